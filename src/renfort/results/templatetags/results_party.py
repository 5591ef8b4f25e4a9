"""Template filters of the party results pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from renfort.results.party_reports.base import day as day_text
from renfort.results.party_reports.base import period

register = template.Library()


@register.filter
def days_range(first: datetime.date | None, last: datetime.date | None) -> str:
    """``{{ m.first|days_range:m.last }}``: 4–8 Mar 2027, in the reader's language."""
    return period(first, last)


@register.filter
def day(value: datetime.date | datetime.datetime | None) -> str:
    """``{{ value|day }}``: 4 Mar 2027, 4 mars 2027 (a moment: its local day)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return day_text(value)
