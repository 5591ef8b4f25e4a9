"""Helpers of templates/_form.html."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def says_optional(label: object) -> bool:
    """Whether a label already says it is optional ("Note (optional)", "Note (facultative)"):
    the form template then adds no second "(optional)". The word's last letter is left out so
    that a gendered form ("facultatif" / "facultative") matches too."""
    word = gettext("optional")
    return f"({word[:-1]}".casefold() in str(label).casefold()
