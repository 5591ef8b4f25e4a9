"""French typography for what the application writes: a non-breaking space before ``:``,
``;``, ``?`` and ``!`` and inside ``« »``.

One character for all four marks and the quotes: U+00A0 NO-BREAK SPACE. French printers put a
thinner space (U+202F) before ``;``, ``?`` and ``!``, but not every font a customs office
reads with has that glyph, and the rule that matters on a screen is that the mark never
starts a line; U+00A0 keeps it there everywhere (docs: UX.md, "Words").

Only text the application wrote goes through here (the catalogue's templates before their
parameters are filled in): never what people typed, so titles and reasons stay as written.
Times (``10:30``), URLs (``https://``, ``?page=2``) and ratios keep their marks untouched: a
space is added only where the mark follows a word and is followed by a space or the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils import translation
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import pgettext

NBSP = "\u00a0"
# Plain or missing spaces: " :" (any spaces, not a line break) becomes one no-break space.
_SPACE_BEFORE = re.compile(r"[ \u202f]+(?=[:;?!](?:\s|$|[»”\"')]))|[ \u202f]+(?=»)")
# "mot:" followed by a space or the end: a word (or a closing mark) before the punctuation.
_GLUED_BEFORE = re.compile(r"(?<=[\w)\]»”])(?=[:;?!](?:\s|$))")
# Glued guillemets: «mot or mot».
_AFTER_OPENING = re.compile(r"«[ \u202f]*(?=\S)")
_GLUED_CLOSING = re.compile(r"(?<=\S)(?<![\u00a0 \u202f])(?=»)")
# In HTML, tags and character references (&amp;) are left alone.
_TAG = re.compile(r"(<[^>]*>|&#?\w+;)")


def french_spacing(text: str) -> str:
    """``text`` with a no-break space before ``: ; ? !`` and inside ``« »``. Idempotent."""
    if not text:
        return text
    text = _SPACE_BEFORE.sub(NBSP, text)
    text = _GLUED_BEFORE.sub(NBSP, text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    return _GLUED_CLOSING.sub(NBSP, text)


def is_french(language: str | None = None) -> bool:
    """Whether ``language`` (default: the active one) is French."""
    return (language or translation.get_language() or "").split("-")[0].lower() == "fr"


def typeset(text: str, language: str | None = None) -> str:
    """``text`` set for ``language`` (default: the active one): French spacing in French,
    unchanged otherwise. Safe HTML stays safe: only the text between its tags changes."""
    if not is_french(language):
        return text
    if isinstance(text, SafeData):
        # tags and references kept as they were; the text only gains spaces
        return mark_safe(typeset_markup(str(text)))
    return french_spacing(text)


def typeset_markup(text: str) -> str:
    """French spacing on the text of a catalogue entry, whose HTML tags and character
    references (``<a href="?page=2">``, ``&amp;``) are left as they are."""
    return "".join(
        part if _TAG.fullmatch(part) else french_spacing(part) for part in _TAG.split(text)
    )


def semicolon_join(items: Iterable[str]) -> str:
    """Items of a list in a sentence, separated by semicolons as the reader's language writes
    them ("a; b" in English, "a ; b" with a non-breaking space in French)."""
    return pgettext("between the items of a list", "; ").join(items)
