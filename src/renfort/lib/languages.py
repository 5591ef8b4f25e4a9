"""ISO 639-1 language codes, for forms that ask for a working language, and their names in
the reader's language.

The names come from the Unicode CLDR through Babel (``babel.Locale.languages``), as country
names do (``lib.countries``): "Norwegian" / "norvégien", in the case each language writes them.
Lists are sorted by the reader's names with ``name_key``: accents folded and case ignored,
close enough to each language's collation for names, with no ICU to install.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

_CODES = """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
    hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
    la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny
    oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
    st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo
    za zh zu
"""
ISO_639_1: frozenset[str] = frozenset(_CODES.split())

# Names Django's locale table lacks, for languages customs administrations work in.
_EXTRA_NAMES = {
    "am": gettext_noop("Amharic"),
    "zh": gettext_noop("Chinese"),
    "ha": gettext_noop("Hausa"),
    "mg": gettext_noop("Malagasy"),
    "mt": gettext_noop("Maltese"),
    "ps": gettext_noop("Pashto"),
    "rw": gettext_noop("Kinyarwanda"),
    "so": gettext_noop("Somali"),
    "ti": gettext_noop("Tigrinya"),
    "lo": gettext_noop("Lao"),
    "si": gettext_noop("Sinhala"),
    "ln": gettext_noop("Lingala"),
    "wo": gettext_noop("Wolof"),
    "yo": gettext_noop("Yoruba"),
    "zu": gettext_noop("Zulu"),
    "xh": gettext_noop("Xhosa"),
}


def name_key(name: str) -> tuple[str, str]:
    """A sort key for names in any Latin-script language: "Émirats" beside "Égypte" and before
    "Érythrée", "ÅLAND" beside "Åland"; ties broken by the exact text, so sorting is stable."""
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded.casefold(), name


@lru_cache(maxsize=32)
def _cldr_names(language: str) -> dict[str, str]:
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return dict(locale.languages)


def language_name(code: str, language: str | None = None) -> str:
    """The name of an ISO 639-1 code in ``language`` (default: the active one); the code
    itself when unknown.

    CLDR's name first; for a code it lacks, Django's locale table or our own short list,
    through the catalogue."""
    code = str(code)
    cldr = _cldr_names(language or translation.get_language() or "en").get(code)
    if cldr:
        return cldr
    if language:
        with translation.override(language):
            return _fallback_name(code)
    return _fallback_name(code)


def _fallback_name(code: str) -> str:
    info = LANG_INFO.get(code)
    if info is not None and "name" in info:
        return gettext(str(info["name"]))
    return gettext(_EXTRA_NAMES[code]) if code in _EXTRA_NAMES else code


def language_choices() -> list[tuple[str, str]]:
    """``(code, name)`` for every ISO 639-1 code, named and sorted in the active language
    ("norvégien" between "néerlandais" and "occitan" for a French reader); codes nobody can
    name come last."""
    named: list[tuple[str, str]] = []
    unnamed: list[tuple[str, str]] = []
    for code in ISO_639_1:
        name = language_name(code)
        (unnamed if name == code else named).append((code, name))
    return sorted(named, key=lambda pair: name_key(pair[1])) + sorted(unnamed)
