"""Changing a mission after it was created: its title, location, language and window
(``mission_edit``), and postponing a confirmed mission to new dates (``mission_postpone``).

Both lock as every write that may change an expert's commitments does (missions/locking.py:
the mission's experts, the mission, its assignments), re-check the rules on the fresh rows,
write a history row whose note is a message code with parameters, and tell the people
concerned.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.accounts.services import notification_send
from renfort.lib.dates import out_of_range
from renfort.lib.languages import ISO_639_1
from renfort.lib.limits import length_errors
from renfort.missions.locking import booking_refused, lock_assignments, lock_mission_commitments
from renfort.missions.messages import change
from renfort.missions.models import (
    EDITABLE_MISSION_STATUSES,
    OPEN_MISSION_STATUSES,
    STAFFABLE_MISSION_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
)
from renfort.missions.rules import assignment_problems
from renfort.missions.services.assignments import assignment_transition
from renfort.missions.services.common import (
    expert_users,
    history_add,
    lender_focal_points,
    mission_focal_points,
    mission_link,
    mission_params,
)
from renfort.missions.services.mission_status import mission_transition
from renfort.missions.services.schedule import check_bounds

Day = datetime.date


def _iso(first: Day | None, last: Day | None) -> list[str] | None:
    return [first.isoformat(), last.isoformat()] if first and last else None


def _status_label(mission: Mission) -> str:
    return str(MissionStatus(mission.status).label)


def _window_errors(
    mission: Mission,
    window_start: Day | None,
    window_end: Day | None,
    duration_days: int | None,
    today: Day,
    err: Callable[[str, str], None],
) -> None:
    """A window is complete, in the accepted range, in order, not over already, holds the
    duration, and holds the mission's dates when it has them; a mission without dates keeps
    one."""
    given = [v is not None for v in (window_start, window_end, duration_days)]
    if not any(given):
        if not mission.has_dates:
            err(
                "window_start",
                _("Window: mission %(mission)s has no dates yet, so it keeps a window.")
                % {"mission": mission.reference},
            )
        return
    if not all(given):
        err("window_end", _("Window: give its first day, its last day and the duration."))
        return
    assert window_start is not None and window_end is not None and duration_days is not None
    bounds = out_of_range(
        window_start=(_("Window from"), window_start), window_end=(_("Window to"), window_end)
    )
    for key, message in bounds.items():
        err(key, message)
    if bounds:
        return
    if window_end < window_start:
        err(
            "window_end",
            _("Window to: %(end)s is before the first day of the window, %(start)s.")
            % {"end": window_end, "start": window_start},
        )
    elif window_end < today:
        err("window_end", _("Window to: %(end)s is over already.") % {"end": window_end})
    elif duration_days < 1 or duration_days > (window_end - window_start).days + 1:
        err(
            "duration_days",
            _("Duration: %(days)s days do not fit in the window (%(length)s days).")
            % {"days": duration_days, "length": (window_end - window_start).days + 1},
        )
    elif (
        mission.start
        and mission.end
        and not (window_start <= mission.start and mission.end <= window_end)
    ):
        err(
            "window_start",
            _("Window: the mission's dates (%(start)s to %(end)s) must lie within it.")
            % {"start": mission.start, "end": mission.end},
        )


def _recheck(mission: Mission, assignments: Sequence[Assignment]) -> list[str]:
    """Every rule of the mission's open assignments, as the mission now is (saved)."""
    problems: list[str] = []
    for a in assignments:
        if a.status == AssignmentStatus.COMPLETED:
            continue
        a.slot.mission = mission
        problems.extend(
            p
            for p in assignment_problems(slot=a.slot, expert=a.expert, exclude=a)
            if p not in problems
        )
    return problems


def _edit_errors(
    mission: Mission,
    title: str,
    location: str,
    language: str,
    window: tuple[Day | None, Day | None, int | None],
    today: Day,
) -> dict[str, list[str]]:
    """What refuses ``mission_edit``, by field."""
    errors: dict[str, list[str]] = {}

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    names = {"mission": mission.reference, "status": _status_label(mission)}
    if mission.status not in OPEN_MISSION_STATUSES:
        err("title", _("Mission %(mission)s is %(status)s: it can no longer change.") % names)
    if not title:
        err("title", _("Title: give the mission a title."))
    for key, message in length_errors(Mission, title=title, location=location).items():
        err(key, message)
    if language != mission.language:
        if language not in ISO_639_1:
            err("language", _("Language: choose a language from the list."))
        elif mission.status not in STAFFABLE_MISSION_STATUSES:
            err(
                "language",
                _("Language: mission %(mission)s is %(status)s; its language no longer changes.")
                % names,
            )
    if window != (mission.window_start, mission.window_end, mission.duration_days):
        if mission.status not in EDITABLE_MISSION_STATUSES:
            err(
                "window_start",
                _(
                    "Window: mission %(mission)s is %(status)s; postpone it to give it new "
                    "dates instead."
                )
                % names,
            )
        else:
            _window_errors(mission, *window, today, err)
    return errors


@transaction.atomic
def mission_edit(
    *,
    mission: Mission,
    title: str,
    location: str,
    language: str,
    window_start: Day | None,
    window_end: Day | None,
    duration_days: int | None,
    by: User,
    today: Day | None = None,
) -> Mission:
    """Change the mission's title, location, language and window (with its duration).

    Title and location change while the mission is open (not closed or cancelled); the
    language while it still takes experts (every expert on it is checked again); the window
    while the planner may still choose the dates (draft, planned, scheduled). A window is
    complete, in the accepted dates, not over, holds the duration and the mission's dates.
    The history keeps what changed (``mission.edited``); a new location, language or window
    is told to the experts who know of the mission and to its focal points
    (``mission.details_changed``). ``by`` is the secretariat user (the view checks the role).
    """
    mission, _experts = lock_mission_commitments(mission.pk)
    assignments = lock_assignments(mission=mission)
    title, location = title.strip(), location.strip()
    old_window = (mission.window_start, mission.window_end, mission.duration_days)
    new_window = (window_start, window_end, duration_days)
    errors = _edit_errors(
        mission, title, location, language, new_window, today or timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)

    changes = [
        change(field, old, new)
        for field, old, new in (
            ("title", mission.title, title),
            ("location", mission.location, location),
            ("language", mission.language, language),
            ("window", _iso(*old_window[:2]), _iso(window_start, window_end)),
            ("duration_days", old_window[2], duration_days),
        )
        if old != new
    ]
    if not changes:
        return mission
    mission.title, mission.location, mission.language = title, location, language
    mission.window_start, mission.window_end, mission.duration_days = new_window
    mission.save(
        update_fields=[
            "title",
            "location",
            "language",
            "window_start",
            "window_end",
            "duration_days",
        ]
    )
    # Saved in this transaction, so the rules read the mission as it now is; a broken rule
    # rolls the change back.
    if problems := _recheck(mission, assignments):
        raise ValidationError(problems)
    history_add(
        mission,
        mission.status,
        mission.status,
        by,
        note_code="mission.edited",
        note_params={"changes": changes},
    )
    if any(c["field"] != "title" for c in changes):
        told = [a for a in assignments if a.status != AssignmentStatus.PROPOSED]
        notification_send(
            recipients=[*expert_users(told), *mission_focal_points(mission)],
            code="mission.details_changed",
            params={**mission_params(mission), "changes": changes},
            link=mission_link(mission),
        )
    return mission


# --- postponing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unfit:
    """An expert of the mission who could not take part at the new dates, and why."""

    assignment: Assignment
    problems: list[str]


def postpone_problems(mission: Mission, start: Day, end: Day, today: Day | None = None) -> None:
    """Refuse (by field) what no postponement allows: the mission's status, the dates."""
    check_bounds(start, end, today or timezone.localdate())
    names = {"mission": mission.reference, "status": _status_label(mission)}
    if mission.status != MissionStatus.CONFIRMED:
        raise ValidationError(
            {
                "start": _(
                    "Mission %(mission)s is %(status)s: only a confirmed mission is postponed; "
                    "set its dates instead."
                )
                % names
            }
        )
    if (mission.start, mission.end) == (start, end):
        raise ValidationError(
            {"start": _("First day: mission %(mission)s already runs on these dates.") % names}
        )


def unfit_at(
    mission: Mission, assignments: Sequence[Assignment], start: Day, end: Day
) -> list[Unfit]:
    """The open assignments whose expert breaks a rule at ``start``-``end`` (availability,
    other missions and travel days, released days per year, exclusions...)."""
    found = []
    for a in assignments:
        if a.status == AssignmentStatus.COMPLETED:
            continue
        problems = assignment_problems(
            slot=a.slot, expert=a.expert, start=start, end=end, exclude=a
        )
        if problems:
            found.append(Unfit(a, problems))
    return found


def postpone_preview(mission: Mission, start: Day, end: Day) -> list[Unfit]:
    """Who would be withdrawn if ``mission`` moved to ``start``-``end`` now (a read: the
    confirmation step lists them; ``mission_postpone`` checks again under its locks)."""
    postpone_problems(mission, start, end)
    assignments = list(
        Assignment.objects.active()
        .filter(slot__mission=mission)
        .select_related("slot__mission", "expert__home_administration", "expert__user")
        .order_by("slot__position")
    )
    return unfit_at(mission, assignments, start, end)


def _refuse_unexpected(mission: Mission, unfit: Sequence[Unfit], withdraw: Collection[int]) -> None:
    """Refuse when an expert who no longer fits was not among those agreed to withdraw (booked
    elsewhere since the confirmation step): naming them and why."""
    unexpected = [u for u in unfit if u.assignment.pk not in set(withdraw)]
    if unexpected:
        raise ValidationError(
            [
                _(
                    "%(expert)s no longer fits mission %(mission)s at the new dates and was not "
                    "among the experts to withdraw; review the postponement again."
                )
                % {"expert": u.assignment.expert, "mission": mission.reference}
                for u in unexpected
            ]
            + [p for u in unexpected for p in u.problems]
        )


@transaction.atomic
def mission_postpone(
    *,
    mission: Mission,
    start: Day,
    end: Day,
    by: User,
    withdraw: Collection[int] = (),
    reason: str = "",
    today: Day | None = None,
) -> tuple[Mission, list[Assignment]]:
    """Move a confirmed mission to new dates, withdrawing the experts who no longer fit.

    Every open assignment is checked again at the new dates under the locks (the mission's
    experts, the mission, its assignments). The experts who break a rule must be among
    ``withdraw`` (the assignment ids the coordinator agreed to withdraw on the confirmation
    step), else the postponement is refused naming them: someone booked them meanwhile. They
    are withdrawn (``assignment.unfit_after_postponing``, the expert is told); if any is, the
    mission goes back to scheduled to be staffed again. A window that does not hold the new
    dates widens to hold them. The experts, their home administrations' focal points and the
    beneficiaries' are told (``mission.postponed``, with ``reason`` in the coordinator's
    words). Returns the mission and the withdrawn assignments.
    """
    postpone_problems(mission, start, end, today)
    mission, _experts = lock_mission_commitments(mission.pk)
    assignments = lock_assignments(mission=mission)
    postpone_problems(mission, start, end, today)
    if errors := length_errors(Assignment, decline_reason=reason.strip()):
        raise ValidationError({"reason": list(errors.values())})
    unfit = unfit_at(mission, assignments, start, end)
    _refuse_unexpected(mission, unfit, withdraw)
    old = _iso(mission.start, mission.end)
    new = _iso(start, end)
    withdrawn = [
        assignment_transition(
            assignment=u.assignment,
            to_status=AssignmentStatus.WITHDRAWN,
            by=by,
            reason=reason,
            note_code="assignment.unfit_after_postponing",
            note_params={"mission": mission.reference, "dates": new},
        )
        for u in unfit
    ]
    gone = {a.pk for a in withdrawn}
    staying = [a for a in assignments if a.pk not in gone]
    mission.start, mission.end = start, end
    fields = ["start", "end"]
    if mission.window_start and mission.window_end:
        mission.window_start = min(mission.window_start, start)
        mission.window_end = max(mission.window_end, end)
        fields += ["window_start", "window_end"]
    mission.save(update_fields=fields)
    for a in staying:
        if busy := a.refresh_busy_range(mission):
            with booking_refused(a.expert):
                a.save(update_fields=busy)
    history_add(
        mission,
        mission.status,
        mission.status,
        by,
        note=reason.strip(),
        note_code="mission.postponed_from",
        note_params={"old": old, "new": new},
    )
    if withdrawn:
        # A slot lost its expert: the mission is no longer confirmed until staffed again.
        mission = mission_transition(
            mission=mission,
            to_status=MissionStatus.SCHEDULED,
            by=by,
            note_code="mission.unstaffed_by_postponing",
        )
    _notify_postponed(mission, assignments, staying, old, new, reason.strip())
    return mission, withdrawn


def _notify_postponed(
    mission: Mission,
    assignments: Sequence[Assignment],
    staying: Sequence[Assignment],
    old: Any,
    new: Any,
    reason: str,
) -> None:
    """The experts still on it, the home administrations of every expert who knew of it
    (those withdrawn too: their release is no longer needed) and the focal points."""
    known = [a for a in assignments if a.status != AssignmentStatus.PROPOSED]
    lenders = [u for a in known for u in lender_focal_points(a.expert)]
    still = [a for a in staying if a.status != AssignmentStatus.PROPOSED]
    params: dict[str, Any] = {
        "reference": mission.reference,
        "title": mission.title,
        "old": old,
        "new": new,
    }
    if reason:
        params["note"] = reason
    notification_send(
        recipients=[*expert_users(still), *lenders, *mission_focal_points(mission)],
        code="mission.postponed",
        params=params,
        link=mission_link(mission),
    )
