"""ISO 639-1 language codes, for forms that ask for a working language."""

from __future__ import annotations

from django.conf.locale import LANG_INFO
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


def language_name(code: str) -> str:
    """The name of an ISO 639-1 code in the active language (the code itself when unknown).

    Django's own catalogue translates the names in its locale table."""
    info = LANG_INFO.get(code)
    if info is not None and "name" in info:
        return gettext(str(info["name"]))
    return gettext(_EXTRA_NAMES[code]) if code in _EXTRA_NAMES else code


def language_choices() -> list[tuple[str, str]]:
    """``(code, "Name (code)")`` for every ISO 639-1 code, sorted by name (codes Django
    cannot name come last)."""
    named, unnamed = [], []
    for code in ISO_639_1:
        name = language_name(code)
        if name == code:
            unnamed.append((code, code))
        else:
            named.append((code, f"{name} ({code})"))
    return sorted(named, key=lambda pair: pair[1].lower()) + sorted(unnamed)
