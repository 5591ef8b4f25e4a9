"""What the application writes for people: stored once as a code and its parameters, rendered
in the reader's language when it is read.

A notification or a history note is saved as ``code`` (``"mission.confirmed"``) plus
``params`` (JSON: references, names, ISO dates, status codes), never as a sentence: a
sentence would freeze the language of whoever happened to trigger it. Each app registers
its kinds (``register``) in its own ``messages`` module, imported by its ``AppConfig.ready``.
A kind names its subject and/or body templates (``gettext_lazy``, ``%(name)s`` placeholders)
and how each parameter is shown (``Param``: a status label, a localized date…).

In French, the templates' punctuation gets its no-break spaces (``lib.typography``) before
the parameters are filled in, so people's own words are never retouched.

``render`` never raises: an unknown code shows the code, a missing parameter shows a dash,
and both are logged, so an old row can always be read. ``check`` is the strict side, for
writers: it refuses an unknown code, a missing or undeclared parameter, or a value JSON
cannot store.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import models
from django.utils import formats, translation
from django.utils.translation import gettext

from renfort.lib.countries import country_name
from renfort.lib.languages import language_name
from renfort.lib.templatetags.dates_display import date_range_text
from renfort.lib.typography import french_spacing, is_french

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str

logger = logging.getLogger(__name__)

CODE_MAX = 60
CODE_PATTERN = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
DASH = "–"


@dataclass(frozen=True)
class Param:
    """How one stored parameter is shown.

    ``render`` turns the stored JSON value into text in the active language; ``sample`` is a
    value the catalogue test renders every kind with. A ``paragraph`` parameter is no
    placeholder: when given, it follows the body as a paragraph of its own (someone's own
    words, or a nested message); when absent, nothing is shown.
    """

    render: Callable[[Any], str]
    sample: Any
    paragraph: bool = False


def _date(value: Any) -> str:
    return formats.date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")


def _period(value: Any) -> str:
    """As people write a range: "4–8 Mar 2027", "28 Feb – 3 Mar 2027" (docs: UX.md)."""
    if not value:
        return DASH
    start, end = value
    for day in (start, end):  # an unreadable date is shown raw by ``_show``, not as a dash
        datetime.date.fromisoformat(str(day))
    return date_range_text(start, end) or DASH


def _translated(value: Any) -> str:
    return gettext(str(value))


def _language(value: Any) -> str:
    return language_name(str(value))


def _country(value: Any) -> str:
    return country_name(str(value))


def _nested(value: Any) -> str:
    return str(render(str(value.get("code", "")), value.get("params") or {}))


# Shown as stored: references, people's and organisations' names, titles, slot codes.
TEXT = Param(str, "M-2027-001")
# An ISO date (``date.isoformat()``), shown in the reader's date format.
DATE = Param(_date, "2027-03-04")
# ``[start, end]`` ISO dates (or null: a dash), shown as a range: "4–8 Mar 2027".
PERIOD = Param(_period, ["2027-03-04", "2027-03-08"])
# A name seeded in the catalogue and stored in English, such as a topic's (``Topic.__str__``).
TRANSLATED = Param(_translated, "Risk management")
# An ISO 639-1 code, shown as the language's name in the reader's language.
LANGUAGE = Param(_language, "fr")
# An ISO 3166-1 alpha-2 code, shown as the country's name in the reader's language.
COUNTRY = Param(_country, "BE")
# A person's own words (a reason, a note): never translated, shown after the body.
OWN_WORDS = Param(str, "Their own words.", paragraph=True)
# ``{"code": ..., "params": {...}}``: another message (why this happened), after the body.
NESTED = Param(_nested, None, paragraph=True)


def choice(choices: type[models.Choices]) -> Param:
    """A status, category, level…: stored as its code, shown as its label (else the code)."""

    def label(value: Any) -> str:
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)

    return Param(label, choices.values[0])


def nested(code: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The stored value of a ``NESTED`` parameter."""
    return {"code": code, "params": dict(params or {})}


class Text(NamedTuple):
    """A message rendered in one language."""

    subject: str
    body: str

    def __str__(self) -> str:
        return "\n\n".join(part for part in (self.subject, self.body) if part)


@dataclass(frozen=True)
class Kind:
    """One kind of message: its stable code, templates and parameters."""

    code: str
    subject: StrOrPromise
    body: StrOrPromise
    params: Mapping[str, Param]

    def placeholders(self) -> set[str]:
        """The parameters the English templates name."""
        with translation.override(None):
            return set(PLACEHOLDER.findall(str(self.subject) + "\n" + str(self.body)))

    def sample_params(self) -> dict[str, Any]:
        return {name: p.sample for name, p in self.params.items() if p.sample is not None}


_KINDS: dict[str, Kind] = {}


def register(
    code: str, *, subject: StrOrPromise = "", body: StrOrPromise = "", **params: Param
) -> Kind:
    """Declare a kind of message; call once per code, at import of the app's messages module."""
    if not CODE_PATTERN.match(code) or len(code) > CODE_MAX:
        raise ValueError(f"Message code {code!r}: use dotted lowercase words, at most {CODE_MAX}.")
    if code in _KINDS:
        raise ValueError(f"Message code {code!r} is registered twice.")
    kind = Kind(code=code, subject=subject, body=body, params=params)
    if not (str(subject) or str(body)):
        raise ValueError(f"Message {code!r} has neither subject nor body.")
    named = kind.placeholders()
    if undeclared := named - set(params):
        raise ValueError(f"Message {code!r} names undeclared parameters {sorted(undeclared)}.")
    if misplaced := {n for n in named if params[n].paragraph}:
        raise ValueError(f"Message {code!r}: paragraph parameters {sorted(misplaced)} in text.")
    _KINDS[code] = kind
    return kind


def kinds() -> list[Kind]:
    """Every registered kind, by code."""
    return [_KINDS[code] for code in sorted(_KINDS)]


def kind_of(code: str) -> Kind | None:
    return _KINDS.get(code)


def check(code: str, params: Mapping[str, Any]) -> None:
    """Refuse (``ValueError``) what a writer must not store: an unknown code, a parameter
    missing from or unknown to the kind, a value JSON cannot hold."""
    kind = _KINDS.get(code)
    if kind is None:
        raise ValueError(f"Unknown message code {code!r}.")
    if missing := kind.placeholders() - set(params):
        raise ValueError(f"Message {code!r} lacks parameters {sorted(missing)}.")
    if unknown := set(params) - set(kind.params):
        raise ValueError(f"Message {code!r} does not take parameters {sorted(unknown)}.")
    try:
        json.dumps(dict(params))
    except TypeError as exc:
        raise ValueError(f"Message {code!r}: parameters must be JSON ({exc}).") from exc


class _Values(dict[str, str]):
    """Rendered parameters; a missing one shows a dash and is remembered."""

    def __init__(self, values: Mapping[str, str]) -> None:
        super().__init__(values)
        self.missing: list[str] = []

    def __missing__(self, key: str) -> str:
        self.missing.append(key)
        return DASH


def render(code: str, params: Mapping[str, Any] | None, language: str | None = None) -> Text:
    """The message in ``language`` (default: the active one). Never raises."""
    if language:
        with translation.override(language):
            return _render(code, params or {})
    return _render(code, params or {})


def _render(code: str, params: Mapping[str, Any]) -> Text:
    kind = _KINDS.get(code)
    if kind is None:
        logger.warning("Unknown message code %r: shown as the code.", code)
        return Text(code, "")
    values = _Values(
        {
            name: DASH if params[name] is None else _show(code, name, p, params[name])
            for name, p in kind.params.items()
            if not p.paragraph and name in params
        }
    )
    subject = _fill(code, kind.subject, values)
    body = _fill(code, kind.body, values)
    extra = [
        _show(code, name, p, params[name])
        for name, p in kind.params.items()
        if p.paragraph and params.get(name)
    ]
    body = "\n\n".join(part for part in (body, *extra) if part)
    if values.missing:
        logger.warning("Message %r lacks parameters %s: shown as a dash.", code, values.missing)
    return Text(subject, body)


def _show(code: str, name: str, param: Param, value: Any) -> str:
    try:
        return param.render(value)
    except Exception:  # a stored value the renderer no longer understands: show it raw
        logger.warning("Message %r: cannot render %s=%r.", code, name, value, exc_info=True)
        return str(value)


def _fill(code: str, template: StrOrPromise, values: _Values) -> str:
    text = str(template)
    if not text:
        return ""
    if is_french():  # the template's own punctuation, never the parameters (people's words)
        text = french_spacing(text)
    try:
        return text % values
    except (TypeError, ValueError):  # a broken translation: fall back to the English
        logger.warning("Message %r: the translation %r does not format.", code, text)
    with translation.override(None):
        try:
            return str(template) % values
        except (TypeError, ValueError):
            return code
