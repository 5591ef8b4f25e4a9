"""The dates Renfort accepts: 2000-01-01 to 2100-12-31, for every date a person types.

Missions, requests, agreements and indicators all live within a few decades of now; a year 1
or 9999 is a typing slip that would otherwise reach the planner, the calendars and the yearly
caps. One range for the whole application, checked by forms and models (the validator), by
services (``date_error``) and by pages that read dates from the address (``parse_date``,
``parse_month``).
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def in_range(day: datetime.date) -> bool:
    return EARLIEST <= day <= LATEST


@deconstructible
class DateRangeValidator:
    """Validator for form and model date fields; a class so that forms can find its code and
    message (``NamedErrorsForm`` puts the field's label in front)."""

    code = "date_range"
    message = gettext_lazy("%(value)s is outside the dates Renfort accepts (%(min)s to %(max)s).")

    def __call__(self, day: datetime.date) -> None:
        if isinstance(day, datetime.date) and not in_range(day):
            raise ValidationError(
                self.message,
                code=self.code,
                params={"value": day.isoformat(), "min": EARLIEST, "max": LATEST},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRangeValidator)

    def __hash__(self) -> int:
        return hash(self.code)


validate_date_in_range = DateRangeValidator()


def date_error(label: str, day: datetime.date | None) -> str | None:
    """The message a service gives for ``day`` out of range, naming the field, else None."""
    if day is None or in_range(day):
        return None
    return _("%(label)s: %(value)s is outside the dates Renfort accepts (%(min)s to %(max)s).") % {
        "label": label,
        "value": day.isoformat(),
        "min": EARLIEST,
        "max": LATEST,
    }


def out_of_range(**days: tuple[str, datetime.date | None]) -> dict[str, str]:
    """A service's errors for the dates out of range, keyed by argument name.

    ``out_of_range(start=(_("First day"), start), end=(_("Last day"), end))``
    """
    errors = {}
    for key, (label, day) in days.items():
        if message := date_error(label, day):
            errors[key] = message
    return errors


def parse_date(text: str | None, label: str) -> tuple[datetime.date | None, str | None]:
    """A date read from a GET parameter: ``(day, None)``, ``(None, None)`` when absent, or
    ``(None, message)`` when it is not an ISO date or out of range. Never raises."""
    text = (text or "").strip()
    if not text:
        return None, None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None, _("%(label)s: “%(value)s” is not a date such as 2030-03-02.") % {
            "label": label,
            "value": text[:40],
        }
    message = date_error(label, day)
    return (None, message) if message else (day, None)


def parse_month(text: str | None, label: str) -> tuple[datetime.date | None, str | None]:
    """A month read from a GET parameter ("2030-03"), as its first day; otherwise like
    ``parse_date``: ``(None, None)`` when absent, ``(None, message)`` when it is not a month
    or lies outside the range. Never raises."""
    text = (text or "").strip()
    if not text:
        return None, None
    match = re.fullmatch(r"(\d{4})-(\d{2})", text, re.ASCII)
    if match is None or not 1 <= int(match[2]) <= 12:
        return None, _("%(label)s: “%(value)s” is not a month such as 2030-03.") % {
            "label": label,
            "value": text[:40],
        }
    year, month = int(match[1]), int(match[2])
    if not EARLIEST.year <= year <= LATEST.year:
        return None, _(
            "%(label)s: %(value)s is outside the dates Renfort accepts (%(min)s to %(max)s)."
        ) % {"label": label, "value": text, "min": EARLIEST, "max": LATEST}
    return datetime.date(year, month, 1), None
