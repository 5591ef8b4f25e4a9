"""French typography in templates: ``{{ text|typeset }}`` puts a no-break space before
``: ; ? !`` and inside ``« »`` when the page is French (``lib.typography``). For sentences the
application builds in code; the catalogue's own strings already carry their spaces, and
people's own words (titles, reasons) are left as they typed them."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from renfort.lib import typography

register = template.Library()


@register.filter(is_safe=True)
def typeset(text: object) -> str:
    """``text`` with French spacing in a French page; unchanged in any other language."""
    if text is None:
        return ""
    return typography.typeset(text if isinstance(text, str) else str(text))


REFERENCE = re.compile(r"\b[A-Z]{1,3}-\d{4}-\d{1,6}\b")


@register.filter(needs_autoescape=True)
def keep_references(text: object, autoescape: bool = True) -> str:
    """``text`` escaped, each reference (``M-2026-051``) in a ``<span class="ref">`` so that it
    never breaks across lines ("M-\\n2026-051"); the reference itself stays as typed."""
    raw = "" if text is None else str(text)
    escaped = conditional_escape(raw) if autoescape else raw
    return mark_safe(REFERENCE.sub(r'<span class="ref">\g<0></span>', str(escaped)))
