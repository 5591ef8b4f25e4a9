"""Names, not codes, in templates: ``{{ org.country|country_name }}`` gives "Sénégal" to a
French reader where the row holds "SN", ``{{ mission.language|language_name }}`` "français"
for "fr" (docs: UX.md, "Names, not codes")."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from renfort.lib import countries, languages

register = template.Library()


@register.filter
def country_name(code: str | None) -> str:
    """The country of an ISO 3166-1 alpha-2 code, in the reader's language ("" for none)."""
    return countries.country_name(code) if code else ""


@register.filter
def language_name(code: str | None) -> str:
    """The language of an ISO 639-1 code, in the reader's language ("" for none)."""
    return languages.language_name(str(code)) if code else ""


@register.filter
def language_names(codes: Iterable[str] | None) -> str:
    """Several languages by name, comma-separated, in the order given."""
    return ", ".join(language_name(code) for code in codes or ())
