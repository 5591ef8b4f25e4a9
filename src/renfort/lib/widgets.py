"""Searchable selects for long lists (administrations, experts), fed by the server.

``forms.ModelChoiceField(queryset=..., widget=SearchableSelect("organisations"))`` renders a
plain ``<select>`` carrying ``data-lookup`` (the address of the lookup endpoint);
``static/renfort/search-select.js`` turns it into an ARIA 1.2 combobox that asks the endpoint
``?q=<text>&page=<n>`` and reads ``{"results": [{"id": .., "text": ..}], "more": bool}``.

Without JavaScript the page must still work and stay light:

* a field whose queryset holds at most ``threshold`` rows (200 by default) renders every
  option, a plain select;
* a larger one renders only its selected option(s) and a text input named ``<name>__search``.
  On submit the typed text is resolved against the field's queryset by the lookup's rule
  (:func:`lookup_filter`: every word of the text must start a word of one of the lookup's
  fields, case-insensitively; for organisations a word may also start the country's name in
  the reader's language):

  - exactly one match: it is chosen (added to the chosen ones for a multiple select);
  - no match, or several: the field is invalid, with a message naming the field and saying
    how many matched, and the form comes back with the matches (at most 20) as the options
    of the select, so the person picks one and submits again.

  For a multiple select, several names may be typed separated by ``;``, each resolved alone.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from renfort.lib import countries

SEARCH_SUFFIX = "__search"
MATCHES_SHOWN = 20
NO_MATCH = "__no_single_match__"


@dataclass(frozen=True)
class Lookup:
    """A lookup endpoint's address and the fields its search reads."""

    url_name: str
    fields: tuple[str, ...]
    country_field: str | None = None


LOOKUPS: dict[str, Lookup] = {
    "organisations": Lookup("lookups:organisations", ("name", "short_name"), "country"),
    "experts": Lookup("lookups:experts", ("first_name", "last_name")),
    # A slot's staffing forms (missions/views/lookups.py): who fits the slot first.
    "slot_experts": Lookup("missions:slot_experts", ("first_name", "last_name")),
    # The planner's new-run form (planning/lookups.py): secretariat only.
    "plannable_missions": Lookup("planner:plannable_missions", ("reference", "title")),
}


def _country_codes(word: str, language: str | None) -> list[str]:
    word = word.casefold()
    # The CLDR names lib/countries.py shows, so a person finds what they read elsewhere.
    return [
        code
        for code, name in countries.country_choices(language=language)
        if any(part.startswith(word) for part in name.casefold().replace("-", " ").split())
    ]


def lookup_filter(lookup: str, text: str, *, language: str | None = None) -> Q:
    """The rule of ``lookup``'s search: each word of ``text`` starts a word of one of its fields
    (or of the country's name in ``language`` where the lookup has a country). An empty text
    matches everything."""
    spec = LOOKUPS[lookup]
    conditions = []
    for word in text.split()[:8]:
        word = word[:80]
        alternatives = [Q(**{f"{field}__istartswith": word}) for field in spec.fields]
        alternatives += [Q(**{f"{field}__icontains": f" {word}"}) for field in spec.fields]
        if spec.country_field:
            codes = _country_codes(word, language)
            if codes:
                alternatives.append(Q(**{f"{spec.country_field}__in": codes}))
        conditions.append(reduce(operator.or_, alternatives))
    return reduce(operator.and_, conditions, Q())


def lookup_url(lookup: str, params: Mapping[str, Any] | None = None) -> str:
    url = reverse(LOOKUPS[lookup].url_name)
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


class _Searchable:
    """What both widgets share; mixed into ``forms.Select`` / ``forms.SelectMultiple``."""

    allow_multiple_selected: bool
    choices: Any
    attrs: dict[str, Any]

    def _setup(self, lookup: str, params: Mapping[str, Any] | None, threshold: int) -> None:
        if lookup not in LOOKUPS:
            raise ValueError(f"Unknown lookup {lookup!r}: one of {sorted(LOOKUPS)}.")
        self.lookup = lookup
        self.params = dict(params or {})
        self.threshold = threshold
        self._search_text = ""
        self._matches: list[Any] | None = None

    # Reading the submitted data -------------------------------------------------------------

    def _queryset(self) -> QuerySet[Any] | None:
        return getattr(self.choices, "queryset", None)

    def _field(self) -> forms.Field | None:
        return getattr(self.choices, "field", None)

    def _resolve(self, text: str) -> list[Any]:
        queryset = self._queryset()
        if queryset is None:
            return []
        rows = queryset.filter(lookup_filter(self.lookup, text))
        return list(rows[: MATCHES_SHOWN + 1])

    def _refuse(self, text: str, matches: list[Any]) -> None:
        """Make the field's invalid-choice message say what happened to ``text``."""
        field = self._field()
        if field is None:
            return
        label = str(field.label or "")
        if matches:
            shown = min(len(matches), MATCHES_SHOWN)
            more = len(matches) > MATCHES_SHOWN
            detail = ngettext(
                "“%(text)s” matches %(count)s%(more)s entry: choose one in the list.",
                "“%(text)s” matches %(count)s%(more)s entries: choose one in the list.",
                shown,
            ) % {"text": text, "count": shown, "more": "+" if more else ""}
        else:
            detail = gettext("nothing matches “%(text)s”: type the start of a name.") % {
                "text": text
            }
        message = gettext("{label}: {message}").format(label=label, message=detail)
        message = message.replace("%", "%%")
        for code in ("invalid_choice", "invalid_pk_value"):
            field.error_messages[code] = message

    def _search(self, data: Mapping[str, Any], name: str) -> tuple[list[str], bool]:
        """The primary keys the typed text resolves to, and whether some text did not."""
        text = str(data.get(name + SEARCH_SUFFIX, "") or "").strip()[:400]
        self._search_text = text
        self._matches = None
        if not text:
            return [], False
        parts = [p.strip() for p in text.split(";")] if self.allow_multiple_selected else [text]
        found: list[str] = []
        for part in filter(None, parts):
            matches = self._resolve(part)
            if len(matches) == 1:
                found.append(str(matches[0].pk))
                continue
            self._matches = matches[:MATCHES_SHOWN]
            self._refuse(part, matches)
            return found, True
        self._search_text = ""
        return found, False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        chosen = super().value_from_datadict(data, files, name)  # type: ignore[misc]
        found, refused = self._search(data, name)
        if self.allow_multiple_selected:
            values = [str(v) for v in chosen or []]
            values += [pk for pk in found if pk not in values]
            return [*values, NO_MATCH] if refused else values
        if refused:
            return NO_MATCH
        return found[0] if found else chosen

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        omitted = super().value_omitted_from_data(data, files, name)  # type: ignore[misc]
        return bool(omitted and name + SEARCH_SUFFIX not in data)

    # Rendering ------------------------------------------------------------------------------

    def _is_large(self) -> bool:
        queryset = self._queryset()
        return queryset is not None and queryset.count() > self.threshold

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)  # type: ignore[misc]
        attrs["data-lookup"] = lookup_url(self.lookup, self.params)
        attrs["data-search-select"] = "multiple" if self.allow_multiple_selected else "single"
        attrs["data-text-results"] = gettext("Results: %(count)s")
        attrs["data-text-more"] = gettext("More results: type more of the name.")
        attrs["data-text-none"] = gettext("No results")
        attrs["data-text-remove"] = gettext("Remove %(name)s")
        attrs["data-text-hint"] = gettext("Type to search, then choose with the arrow keys.")
        attrs.pop("size", None)
        return attrs

    def _limited_choices(self, value: Any) -> list[tuple[Any, str]]:
        """The options rendered for a large queryset: the empty one, the chosen ones, then the
        matches of a search that did not settle on one."""
        field = self._field()
        queryset = self._queryset()
        assert field is not None and queryset is not None
        label = getattr(field, "label_from_instance", str)
        values = [v for v in (value if isinstance(value, list | tuple) else [value]) if v]
        pks = [v for v in map(str, values) if v != NO_MATCH]
        options: list[tuple[Any, str]] = []
        if not self.allow_multiple_selected:
            options.append(("", getattr(field, "empty_label", None) or "---------"))
        rows = list(queryset.filter(pk__in=[p for p in pks if p.isdigit()])) if pks else []
        rows += [m for m in self._matches or [] if str(m.pk) not in pks]
        options += [(str(row.pk), label(row)) for row in rows]
        return options

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if not self._is_large():
            return super().render(name, value, attrs, renderer)  # type: ignore[misc]
        full = self.choices
        self.choices = self._limited_choices(value)
        try:
            select = super().render(name, value, attrs, renderer)  # type: ignore[misc]
        finally:
            self.choices = full
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        search_id = f"{base_id}{SEARCH_SUFFIX}"
        hint = (
            gettext("Or type names separated by “;”: each must match one entry.")
            if self.allow_multiple_selected
            else gettext("Or type the start of a name: it must match one entry.")
        )
        return format_html(
            '{}<span class="search-fallback" data-search-fallback>'
            '<label for="{}" class="search-fallback-label">{}</label>'
            '<input type="search" name="{}" id="{}" value="{}" maxlength="400" '
            'autocomplete="off" aria-describedby="{}_hint">'
            '<small class="help" id="{}_hint">{}</small></span>',
            select,
            search_id,
            gettext("Search"),
            name + SEARCH_SUFFIX,
            search_id,
            self._search_text,
            search_id,
            search_id,
            hint,
        )


class SearchableSelect(_Searchable, forms.Select):
    """A select of one row of a long list, searched on the server (see the module's doc).

    ``lookup`` names the endpoint (``"organisations"``, ``"experts"``); ``params`` are added
    to its address (e.g. ``{"kind": "member"}``); above ``threshold`` rows the no-JavaScript
    fallback is a search box instead of every option.
    """

    def __init__(
        self,
        lookup: str,
        attrs: dict[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        threshold: int = 200,
    ) -> None:
        super().__init__(attrs)
        self._setup(lookup, params, threshold)


class SearchableSelectMultiple(_Searchable, forms.SelectMultiple):
    """A select of several rows of a long list, searched on the server (see the module's
    doc)."""

    def __init__(
        self,
        lookup: str,
        attrs: dict[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        threshold: int = 200,
    ) -> None:
        super().__init__(attrs)
        self._setup(lookup, params, threshold)


LOOKUP_PAGE_SIZE = 20
LOOKUP_MAX_PAGE = 500


def lookup_page(request: Any, queryset: QuerySet[Any], lookup: str, text: Any) -> JsonResponse:
    """The JSON answer of a lookup endpoint: ``queryset`` searched by ``?q=`` under
    ``lookup``'s rule, page ``?page=`` (20 rows, one query), each row as ``{"id", "text"}``
    with ``text(row)``."""
    q = str(request.GET.get("q", ""))[:200]
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), LOOKUP_MAX_PAGE)
    except ValueError:
        page = 1
    start = (page - 1) * LOOKUP_PAGE_SIZE
    rows = list(queryset.filter(lookup_filter(lookup, q))[start : start + LOOKUP_PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [{"id": row.pk, "text": text(row)} for row in rows[:LOOKUP_PAGE_SIZE]],
            "more": len(rows) > LOOKUP_PAGE_SIZE,
        }
    )
