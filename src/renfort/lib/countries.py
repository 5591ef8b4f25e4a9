"""Country names in the reader's language, from ISO 3166-1 alpha-2 codes.

The names come from the Unicode CLDR through Babel (``babel.Locale.territories``): one
maintained source with every country in every language, where a table of our own would need
translating by hand and drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils import translation

from renfort.lib.languages import name_key

# Two-letter codes CLDR names that are no country: unions, pseudo-locales, "unknown region".
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@lru_cache(maxsize=32)
def _territories(language: str) -> dict[str, str]:
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return dict(locale.territories)


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (default: the active one); the code when unknown."""
    code = str(code).upper()
    return _territories(language or translation.get_language() or "en").get(code, code)


def country_choices(
    codes: Iterable[str] | None = None, language: str | None = None
) -> list[tuple[str, str]]:
    """``(code, name)`` for ``codes`` (default: every two-letter ISO 3166-1 code CLDR names),
    sorted by the name in ``language`` (default: the active one), accents and case folded."""
    names = _territories(language or translation.get_language() or "en")
    if codes is None:
        codes = [c for c in names if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES]
    pairs = {(str(c).upper(), country_name(c, language)) for c in codes}
    return sorted(pairs, key=lambda pair: name_key(pair[1]))
