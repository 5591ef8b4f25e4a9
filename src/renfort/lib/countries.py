"""Country names in the reader's language, from ISO 3166-1 alpha-2 codes.

The names come from the Unicode CLDR through Babel (``babel.Locale.territories``): one
maintained source with every country in every language, where a table of our own would need
translating by hand and drift.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils import translation


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
