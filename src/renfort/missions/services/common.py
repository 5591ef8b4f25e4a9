"""What the mission services share: constants, recipients, labels, message parameters and
history rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from renfort.accounts.models import Role, User
from renfort.assistance.models import Level
from renfort.lib.links import link_to
from renfort.lib.messages import check
from renfort.missions.locking import booking_refused
from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    AssignmentStatusChange,
    Mission,
    MissionStatus,
    MissionStatusChange,
    MissionType,
)
from renfort.roster.models import Category, Expert

# Suggestions when a request is accepted: category, minimum level and days by request level.
SUGGESTED_PROFILE: dict[str, tuple[str, int, str, int]] = {
    Level.STRATEGIC: (Category.MODERNIZATION_ADVISER, 3, MissionType.ADVISORY, 5),
    Level.TACTICAL: (Category.TECHNICAL_OPERATIONAL_EXPERT, 3, MissionType.WORKSHOP, 5),
    Level.OPERATIONAL: (Category.SPECIALIZED_TRAINER, 2, MissionType.TRAINING, 5),
}


def mission_link(mission: Mission) -> str:
    return link_to("missions:mission_detail", mission.pk, fallback=f"/missions/{mission.pk}/")


def secretariat_users() -> list[User]:
    return list(User.objects.filter(role=Role.SECRETARIAT_COORDINATOR, is_active=True))


def mission_focal_points(mission: Mission) -> list[User]:
    """Member focal points of the beneficiaries and the focal points of the requests."""
    beneficiaries = User.objects.filter(
        role=Role.MEMBER_FOCAL_POINT,
        is_active=True,
        organisation__in=mission.beneficiaries.all(),
    )
    askers = User.objects.filter(requests__missions=mission, is_active=True)
    return list((beneficiaries | askers).distinct())


def expert_users(assignments: Iterable[Assignment]) -> list[User]:
    return [a.expert.user for a in assignments if a.expert.user is not None]


def lender_focal_points(expert: Expert) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.MEMBER_FOCAL_POINT,
            is_active=True,
            organisation_id=expert.home_administration_id,
        )
    )


def mission_status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in MissionStatus.choices}


def assignment_status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in AssignmentStatus.choices}


def mission_params(mission: Mission) -> dict[str, Any]:
    """How notifications name a mission (``lib.messages``): reference, title and period
    (its dates, else its window, as ISO dates)."""
    first, last = mission.start or mission.window_start, mission.end or mission.window_end
    return {
        "reference": mission.reference,
        "title": mission.title,
        "dates": [first.isoformat(), last.isoformat()] if first and last else None,
    }


def history_add(
    mission: Mission,
    from_status: str,
    to_status: str,
    by: User | None,
    note: str = "",
    note_code: str = "",
    note_params: Mapping[str, Any] | None = None,
) -> None:
    """A row of the mission's history: ``note`` a person's words, ``note_code`` ours."""
    note_params = dict(note_params or {})
    if note_code:
        check(note_code, note_params)
    MissionStatusChange.objects.create(
        mission=mission,
        from_status=from_status,
        to_status=to_status,
        by=by,
        note=note,
        note_code=note_code,
        note_params=note_params,
    )


def assignment_status_write(
    assignment: Assignment,
    to_status: str,
    by: User | None,
    *,
    fields: Iterable[str] = (),
    mission: Mission | None = None,
    note: str = "",
    note_code: str = "",
    note_params: Mapping[str, Any] | None = None,
) -> AssignmentStatusChange:
    """The one place an assignment's status is written: the new status, its busy range, the
    other changed ``fields``, and its history row, in the caller's transaction. The callers
    (the transition services) have checked the transition and hold the locks; a clash the
    rules missed meets the database's guard (``booking_refused``). ``mission``: the
    assignment's mission when the caller holds a fresher copy (its dates just changed)."""
    from_status = assignment.status
    assignment.status = to_status
    changed = ["status", "updated_at", *fields, *assignment.refresh_busy_range(mission)]
    with booking_refused(assignment.expert):
        assignment.save(update_fields=list(dict.fromkeys(changed)))
    return assignment_history_add(
        assignment, from_status, by, note=note, note_code=note_code, note_params=note_params
    )


def assignment_history_add(
    assignment: Assignment,
    from_status: str,
    by: User | None,
    *,
    note: str = "",
    note_code: str = "",
    note_params: Mapping[str, Any] | None = None,
) -> AssignmentStatusChange:
    """The row every change of an assignment's status writes (``from_status`` to its status
    now; ``""`` for its creation). ``note`` holds a person's own words (a decline reason),
    ``note_code`` and ``note_params`` what the application says (``lib.messages``)."""
    note_params = dict(note_params or {})
    if note_code:
        check(note_code, note_params)
    return AssignmentStatusChange.objects.create(
        assignment=assignment,
        from_status=from_status,
        to_status=assignment.status,
        by=by,
        note=note,
        note_code=note_code,
        note_params=note_params,
    )
