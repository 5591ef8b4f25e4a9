"""Date ranges as people write them: ``{{ start|date_range:end }}`` gives "4–8 Mar 2027",
"28 Feb – 3 Mar 2027", "30 Dec 2026 – 2 Jan 2027" (and "4–8 mars 2027" in French), built
from the language's DATE_FORMAT and MONTH_DAY_FORMAT (config/formats/)."""

from __future__ import annotations

import datetime

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format

register = template.Library()


def _day(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_range_text(start: object, end: object) -> str:
    """The range from ``start`` to ``end`` (dates or ISO strings) in the active language; one
    date when they are the same day or one is missing, "" when both are."""
    first, last = _day(start), _day(end)
    if first and last and last < first:
        first, last = last, first
    if first is None or last is None or first == last:
        one = first or last
        return date_format(one, get_format("DATE_FORMAT")) if one else ""
    full = get_format("DATE_FORMAT")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{date_format(last, full)}"
    if first.year == last.year:
        return (
            f"{date_format(first, get_format('MONTH_DAY_FORMAT'))} \u2013 {date_format(last, full)}"
        )
    return f"{date_format(first, full)} \u2013 {date_format(last, full)}"


@register.filter
def date_range(start: object, end: object = None) -> str:
    return date_range_text(start, end)
