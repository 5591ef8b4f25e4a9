"""Messages stored as codes: every registered kind renders in English and in French, and an
old or broken row can always be read."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from renfort.lib import messages
from renfort.lib.messages import DATE, OWN_WORDS, PERIOD, TEXT, Text, nested, register, render


@pytest.fixture
def scratch() -> Iterator[None]:
    """Kinds registered by a test are forgotten after it."""
    saved = dict(messages._KINDS)
    yield
    messages._KINDS.clear()
    messages._KINDS.update(saved)


def _in(language: str | None, template: object) -> str:
    with translation.override(language):
        return str(template)


KINDS = messages.kinds()


def test_every_app_registers_its_kinds() -> None:
    codes = {k.code for k in KINDS}
    assert {
        "request.status_changed",
        "request.planned_in_mission",
        "assignment.invited",
        "assignment.release_refused",
        "mission.confirmed",
        "assignment.fit",
        "assignment.swapped_in_by",
        "demo.welcome",
    } <= codes


@pytest.mark.parametrize("kind", KINDS, ids=[k.code for k in KINDS])
def test_every_kind_renders_in_english_and_in_french(kind: messages.Kind, caplog) -> None:
    params = kind.sample_params()
    caplog.set_level(logging.WARNING, logger="renfort.lib.messages")
    english = render(kind.code, params, "en")
    french = render(kind.code, params, "fr")
    assert caplog.records == [], "a parameter is missing or cannot be rendered"
    for text in (*english, *french):
        assert "%(" not in text
    assert str(english), f"{kind.code} renders nothing"
    for part, template in (("subject", kind.subject), ("body", kind.body)):
        if not _in(None, template):
            continue
        translated = _in("fr", template) != _in(None, template)
        assert translated, f"{kind.code} {part}: no French in the catalogue"
        assert getattr(french, part) != getattr(english, part), f"{kind.code} {part}"


# Kinds whose French may equal their English (a part made only of names or numbers): none
# today. Add ``code: reason`` here rather than weakening the test below.
SAME_IN_FRENCH: dict[str, str] = {}
# Stored values that are codes people must never read: ISO dates, snake_case identifiers
# (statuses, categories, topic codes), ISO 639-1 / 3166-1 codes, dotted message codes.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
MESSAGE_CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")


def _raw_codes(param: messages.Param) -> set[str]:
    """The code-like strings in a parameter's sample (not for parameters shown as stored)."""
    if param.render is str or param.sample is None:
        return set()
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, str) and (
            re.fullmatch(r"[a-z][a-z0-9]*_[a-z0-9_]+|[a-z]{2}|[A-Z]{2}", value)
            or ISO_DATE.fullmatch(value)
        ):
            found.add(value)

    walk(param.sample)
    if isinstance(param.sample, str):  # a status, a topic, a language: a code turned into words
        with translation.override("fr"):
            if param.render(param.sample) != param.sample:
                found.add(param.sample)
    return found


@pytest.mark.parametrize("kind", KINDS, ids=[k.code for k in KINDS])
def test_french_differs_from_english_and_shows_no_code(kind: messages.Kind) -> None:
    params = kind.sample_params()
    english = render(kind.code, params, "en")
    french = render(kind.code, params, "fr")
    if kind.code not in SAME_IN_FRENCH:
        assert str(french) != str(english), f"{kind.code}: the French is the English"
    # What is shown as stored after the body (someone's words, a technical detail) aside:
    shown = {
        n: v
        for n, v in params.items()
        if not (kind.params[n].paragraph and kind.params[n].render is str)
    }
    text = str(render(kind.code, shown, "fr"))
    assert not ISO_DATE.search(text), f"{kind.code}: an ISO date in {text!r}"
    assert not MESSAGE_CODE.search(text), f"{kind.code}: a message code in {text!r}"
    for name, param in kind.params.items():
        for code in _raw_codes(param):
            assert not re.search(rf"\b{re.escape(code)}\b", text), (
                f"{kind.code}: parameter {name} shows its code {code!r} in {text!r}"
            )


def test_parameters_are_rendered_in_the_readers_language(scratch) -> None:
    register(
        "test.dates",
        body=gettext_lazy("%(day)s; %(period)s"),
        day=DATE,
        period=PERIOD,
        note=OWN_WORDS,
    )
    params = {"day": "2027-03-04", "period": ["2027-03-04", "2027-03-08"], "note": "Mes mots."}
    assert render("test.dates", params, "en").body == ("4 Mar 2027; 4–8 Mar 2027\n\nMes mots.")
    assert render("test.dates", params, "fr").body == (
        "4 mars 2027\u00a0; 4–8 mars 2027\n\nMes mots."
    )


def test_a_nested_message_follows_the_body() -> None:
    params = {
        "reference": "R-1",
        "title": "Audit",
        "status": "planned",
        "because": nested("request.planned_in_mission", {"mission": "M-7"}),
    }
    assert render("request.status_changed", params, "fr").body == (
        "Votre demande «\u00a0Audit\u00a0» est désormais\u00a0: Planifiée.\n\n"
        "Planifiée dans la mission M-7."
    )


def test_an_unknown_code_shows_the_code_and_logs(caplog) -> None:
    assert render("gone.away", {"x": 1}) == Text("gone.away", "")
    assert "Unknown message code" in caplog.text


def test_a_missing_parameter_shows_a_dash_and_logs(caplog) -> None:
    text = render("request.planned_in_mission", {})
    assert text.body == "Planned in mission –."
    assert "lacks parameters ['mission']" in caplog.text


def test_a_value_the_renderer_cannot_read_is_shown_raw(caplog) -> None:
    text = render("mission.moved", {"reference": "M-1", "title": "T", "start": "soon", "end": 3})
    assert text.body == "Mission “T” now runs from soon to 3."
    assert "cannot render" in caplog.text


def test_an_unknown_status_code_shows_the_code() -> None:
    params = {"reference": "R-1", "title": "T", "status": "archived"}
    assert render("request.status_changed", params).subject == "Request R-1: archived"


def test_registration_refuses_slips(scratch) -> None:
    with pytest.raises(ValueError, match="dotted lowercase"):
        register("Nodots", body="x")
    with pytest.raises(ValueError, match="registered twice"):
        register("mission.confirmed", body="x")
    with pytest.raises(ValueError, match="undeclared parameters"):
        register("test.undeclared", body="%(who)s")
    with pytest.raises(ValueError, match="paragraph parameters"):
        register("test.paragraph", body="%(note)s", note=OWN_WORDS)
    with pytest.raises(ValueError, match="neither subject nor body"):
        register("test.empty", who=TEXT)


def test_check_refuses_what_json_cannot_store() -> None:
    import datetime

    with pytest.raises(ValueError, match="must be JSON"):
        messages.check("request.planned_in_mission", {"mission": datetime.date(2027, 1, 1)})


def test_every_messages_module_is_registered() -> None:
    """A kind is known only once its module is imported (by its app's ``ready``): a new
    ``*messages.py`` left unimported would make every notification of it unreadable."""
    import sys
    from pathlib import Path

    import renfort

    root = Path(renfort.__file__).resolve().parent
    modules = {
        "renfort." + ".".join(path.relative_to(root).with_suffix("").parts)
        for path in root.rglob("*messages.py")
        if "tests" not in path.parts and path.parent.name != "lib"
    }
    assert modules, "no messages module found"
    unimported = sorted(m for m in modules if m not in sys.modules)
    assert not unimported, f"not imported by their app's ready(): {unimported}"
