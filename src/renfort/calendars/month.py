"""One month of missions as a grid of weeks: what the month calendar page shows, and the
expert page beside her profile (``roster.views.expert_detail``).

A few queries whatever the number of missions: the reads go through ``calendars.selectors``
(the missions the user may see first), the layout through ``calendars.layout``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.calendars import layout
from renfort.calendars.selectors import (
    CalendarScope,
    assignment_rows,
    calendar_missions,
    mission_rows,
    unavailable_rows,
)
from renfort.lib.dates import parse_month
from renfort.missions.models import travel_days


def month_from_query(value: str | None, today: datetime.date) -> tuple[int, int, str | None]:
    """The month asked for (``YYYY-MM``), or this month with a message naming the field."""
    first_day, problem = parse_month(value, _("Month"))
    day = first_day or today
    return day.year, day.month, problem


def month_context(
    user: User, *, year: int, month: int, scope: CalendarScope, today: datetime.date
) -> dict[str, Any]:
    """The template context of ``calendars/_month.html`` for this month."""
    weeks_span = layout.month_grid(year, month)
    first, last = weeks_span[0][0], weeks_span[-1][-1]
    missions = calendar_missions(user, first, last, scope)
    rows = mission_rows(missions)
    assignments = assignment_rows(user, [r.id for r in rows])
    unavailable = unavailable_rows(user, first, last, scope)
    clashing = layout.conflicting_assignments(assignments, {m.id: m for m in rows}, travel_days())
    month_start, month_end = layout.month_bounds(year, month)
    windowed = [
        m
        for m in rows
        if not m.has_dates
        and m.span is not None
        and layout.overlaps(m.span, (month_start, month_end))
    ]
    previous = layout.add_months(month_start, -1)
    following = layout.add_months(month_start, 1)
    return {
        "weeks": layout.month_view(year, month, rows, unavailable=unavailable),
        "month_start": month_start,
        "previous": f"{previous.year:04d}-{previous.month:02d}",
        "following": f"{following.year:04d}-{following.month:02d}",
        "this_month": f"{today.year:04d}-{today.month:02d}",
        "today": today,
        "windowed": windowed,
        "has_unavailable": bool(unavailable),
        "shows_unavailable": user.role == Role.EXPERT or scope.expert is not None,
        "weekdays": weeks_span[0],
        "conflicts": {a.mission_id for a in assignments if a.id in clashing},
    }
