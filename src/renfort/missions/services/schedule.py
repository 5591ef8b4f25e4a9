"""Moving a mission in the calendar: its dates, with every assignment checked again, and what
the planner may do with them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.accounts.services import notification_send
from renfort.lib.dates import out_of_range
from renfort.missions.locking import (
    booking_refused,
    lock_assignments,
    lock_mission,
    lock_mission_commitments,
)
from renfort.missions.models import (
    EDITABLE_MISSION_STATUSES,
    STAFFABLE_MISSION_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
)
from renfort.missions.rules import assignment_problems
from renfort.missions.services.common import expert_users, mission_focal_points, mission_link


@transaction.atomic
def mission_set_dates(
    *,
    mission: Mission,
    start: datetime.date,
    end: datetime.date,
    by: User | None = None,
    today: datetime.date | None = None,
) -> Mission:
    """Fix (or move) the mission's dates.

    The new dates lie in the range Renfort accepts and start no earlier than ``today``. Every
    active assignment is checked again at the new dates; one broken rule refuses the move.
    Experts already invited and the focal points are told when the dates move.
    """
    check_bounds(start, end, today or timezone.localdate())
    # Every expert of the mission, then the mission, then its assignments (missions/locking.py):
    # the rules below read those experts' other missions, which cannot move meanwhile.
    mission, _experts = lock_mission_commitments(mission.pk)
    assignments = lock_assignments(mission=mission)
    problems = _move_problems(mission, assignments, start, end)
    if problems:
        raise ValidationError(problems)
    moved = mission.has_dates and (mission.start, mission.end) != (start, end)
    mission.start, mission.end = start, end
    mission.save(update_fields=["start", "end"])
    for a in assignments:
        if busy := a.refresh_busy_range(mission):
            with booking_refused(a.expert):
                a.save(update_fields=busy)
    if moved:
        told = [a for a in assignments if a.status != AssignmentStatus.PROPOSED]
        notification_send(
            recipients=[*expert_users(told), *mission_focal_points(mission)],
            code="mission.moved",
            params={
                "reference": mission.reference,
                "title": mission.title,
                "start": start.isoformat(),
                "end": end.isoformat(),
            },
            link=mission_link(mission),
        )
    return mission


@transaction.atomic
def mission_set_planning_options(*, mission: Mission, straddle_weekend: bool, by: User) -> Mission:
    """Set what the planner may do with the mission's dates: whether a short mission (five
    working days or fewer of its host's calendar) may straddle a weekend.

    Only while the planner may still choose its dates (draft, planned, scheduled); refused
    once the mission is confirmed or later. ``by`` is the secretariat user (the view checks
    the role).
    """
    mission = lock_mission(mission.pk)
    if mission.status not in EDITABLE_MISSION_STATUSES:
        raise ValidationError(
            {
                "straddle_weekend": _(
                    "Mission %(mission)s is %(status)s: its planning options can no longer change."
                )
                % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
            }
        )
    if mission.straddle_weekend != straddle_weekend:
        mission.straddle_weekend = straddle_weekend
        mission.save(update_fields=["straddle_weekend"])
    return mission


def check_bounds(start: datetime.date, end: datetime.date, today: datetime.date) -> None:
    """Dates in the accepted range, in order, and not in the past; refused by field."""
    bounds = out_of_range(start=(_("First day"), start), end=(_("Last day"), end))
    if not bounds and start < today:
        bounds["start"] = _(
            "First day: %(day)s is in the past; a mission moves to %(today)s or later."
        ) % {"day": start, "today": today}
    if not bounds and end < start:
        bounds["end"] = _("Last day: %(end)s is before the first day %(start)s.") % {
            "end": end,
            "start": start,
        }
    if bounds:
        raise ValidationError(bounds)


def _move_problems(
    mission: Mission, assignments: list[Assignment], start: datetime.date, end: datetime.date
) -> list[str]:
    """What forbids moving ``mission`` to ``start``-``end``: its status, its window, and every
    rule of its assignments at the new dates (read after the locks)."""
    problems: list[str] = []
    if mission.status not in STAFFABLE_MISSION_STATUSES:
        problems.append(
            _("Mission %(mission)s is %(status)s: its dates can no longer change.")
            % {"mission": mission.reference, "status": MissionStatus(mission.status).label}
        )
    if (
        mission.window_start
        and mission.window_end
        and not (mission.window_start <= start and end <= mission.window_end)
    ):
        problems.append(
            _(
                "Dates: %(start)s to %(end)s are outside the window of mission %(mission)s "
                "(%(wstart)s to %(wend)s); change the window first."
            )
            % {
                "start": start,
                "end": end,
                "mission": mission.reference,
                "wstart": mission.window_start,
                "wend": mission.window_end,
            }
        )
    for a in assignments:
        if a.status == AssignmentStatus.COMPLETED:
            continue
        problems.extend(
            p
            for p in assignment_problems(
                slot=a.slot, expert=a.expert, start=start, end=end, exclude=a
            )
            if p not in problems
        )
    return problems
