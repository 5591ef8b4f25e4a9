"""ISO 639-1 language codes, for forms that ask for a working language."""

from __future__ import annotations

from django.conf.locale import LANG_INFO

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
    "am": "Amharic",
    "zh": "Chinese",
    "ha": "Hausa",
    "mg": "Malagasy",
    "mt": "Maltese",
    "ps": "Pashto",
    "rw": "Kinyarwanda",
    "so": "Somali",
    "ti": "Tigrinya",
    "lo": "Lao",
    "si": "Sinhala",
    "ln": "Lingala",
    "wo": "Wolof",
    "yo": "Yoruba",
    "zu": "Zulu",
    "xh": "Xhosa",
}


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 code (the code itself when unknown)."""
    info = LANG_INFO.get(code)
    if info is not None and "name" in info:
        return str(info["name"])
    return _EXTRA_NAMES.get(code, code)


def language_choices() -> list[tuple[str, str]]:
    """``(code, "Name (code)")`` for every ISO 639-1 code, sorted by name."""
    pairs = [(code, f"{language_name(code)} ({code})") for code in ISO_639_1]
    return sorted(pairs, key=lambda pair: pair[1].lower())
