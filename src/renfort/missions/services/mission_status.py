"""Mission status changes and what follows them (requests, assignments, notices)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.accounts.services import notification_send
from renfort.assistance.models import ANSWERABLE_REQUEST_STATUSES, RequestStatus
from renfort.assistance.services import request_transition
from renfort.lib.limits import length_errors
from renfort.lib.states import transition_error
from renfort.missions.locking import lock_assignments, lock_mission_commitments
from renfort.missions.models import (
    DEAD_MISSION_STATUSES,
    DONE_MISSION_STATUSES,
    MISSION_TRANSITIONS,
    OPEN_ASSIGNMENT_STATUSES,
    TAKING_PART_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
)
from renfort.missions.services.common import (
    assignment_status_write,
    expert_users,
    history_add,
    mission_focal_points,
    mission_link,
    mission_params,
    mission_status_labels,
)
from renfort.missions.terms import terms_problems
from renfort.roster.models import ReleaseStatus


def _mission_guard(
    mission: Mission, assignments: list[Assignment], to_status: str, note: str
) -> list[str]:
    """What forbids ``to_status`` beyond the transition table."""
    problems: list[str] = list(length_errors(Mission, cancel_reason=note.strip()).values())
    names = {"mission": mission.reference}
    if to_status in {MissionStatus.PLANNED, MissionStatus.SCHEDULED, MissionStatus.CONFIRMED}:
        if not mission.slots.exists():
            problems.append(
                _("Mission %(mission)s has no expert slot; add one before planning it.") % names
            )
        if mission.requests.exclude(status__in=list(ANSWERABLE_REQUEST_STATUSES)).exists():
            refs = ", ".join(
                mission.requests.exclude(status__in=list(ANSWERABLE_REQUEST_STATUSES)).values_list(
                    "reference", flat=True
                )
            )
            problems.append(
                _("Mission %(mission)s answers %(refs)s, no longer accepted.")
                % {**names, "refs": refs}
            )
    if to_status in {MissionStatus.SCHEDULED, MissionStatus.CONFIRMED} and not mission.has_dates:
        problems.append(
            _("Mission %(mission)s has no dates yet: set its dates or let the planner choose them.")
            % names
        )
    if to_status == MissionStatus.CONFIRMED:
        problems.extend(terms_problems(mission))
        held = {a.slot_id: a for a in assignments}
        for slot in mission.slots.all():
            a = held.get(slot.pk)
            if a is None:
                problems.append(_("Slot %(slot)s has no expert.") % {"slot": slot.code})
            elif a.status not in {AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED}:
                problems.append(
                    _("Slot %(slot)s: %(expert)s is %(status)s, not accepted.")
                    % {
                        "slot": slot.code,
                        "expert": a.expert,
                        "status": AssignmentStatus(a.status).label,
                    }
                )
            elif a.release_status != ReleaseStatus.GRANTED:
                problems.append(
                    _(
                        "Slot %(slot)s: %(home)s has not granted the release of %(expert)s "
                        "(%(release)s)."
                    )
                    % {
                        "slot": slot.code,
                        "home": a.expert.home_administration.name,
                        "expert": a.expert,
                        "release": ReleaseStatus(a.release_status).label,
                    }
                )
    problems.extend(_after_delivery_problems(mission, assignments, to_status))
    if to_status == MissionStatus.CANCELLED and not note.strip():
        problems.append(_("Reason: say why mission %(mission)s is cancelled.") % names)
    return problems


def _after_delivery_problems(
    mission: Mission, assignments: list[Assignment], to_status: str
) -> list[str]:
    """What forbids delivered, reported or closed. The delivery (its actual dates), the
    reports and the evaluations are the results app's (``results.services``): read here
    through their relations to the mission."""
    names = {"mission": mission.reference}
    problems: list[str] = []
    if to_status == MissionStatus.DELIVERED:
        today = timezone.localdate()
        actual_end = (
            Mission.objects.filter(pk=mission.pk).values_list("delivery__actual_end", flat=True)
        )[0]
        if actual_end is None:
            if mission.end is None or mission.end > today:
                problems.append(
                    _("Mission %(mission)s ends on %(end)s: it cannot be delivered before then.")
                    % {**names, "end": mission.end or "-"}
                )
            problems.append(
                _(
                    "Mission %(mission)s: record its delivery with the days it actually ran "
                    "(After the mission page)."
                )
                % names
            )
        elif actual_end > today:
            problems.append(
                _("Mission %(mission)s ran until %(end)s: it cannot be delivered before then.")
                % {**names, "end": actual_end}
            )
    if to_status == MissionStatus.REPORTED:
        reported = set(mission.reports.values_list("author_id", flat=True))
        missing = sorted(
            {
                str(a.expert)
                for a in assignments
                if a.status in TAKING_PART_ASSIGNMENT_STATUSES and a.expert_id not in reported
            }
        )
        if not reported:
            problems.append(
                _("Mission %(mission)s has no report yet: an expert must submit one first.") % names
            )
        if missing:
            problems.append(
                _("Mission %(mission)s waits for the report of %(experts)s.")
                % {**names, "experts": ", ".join(missing)}
            )
    if to_status == MissionStatus.CLOSED and not mission.evaluations.exists():
        problems.append(
            _(
                "Mission %(mission)s has no evaluation yet: a beneficiary administration "
                "evaluates it first."
            )
            % names
        )
    return problems


@transaction.atomic
def mission_transition(
    *,
    mission: Mission,
    to_status: str,
    by: User | None = None,
    note: str = "",
    note_code: str = "",
) -> Mission:
    """Move ``mission`` to ``to_status``; writes a history row and follows through.

    planned: its accepted requests become planned. confirmed: every slot holds an accepted
    expert whose release is granted; their assignments become confirmed. delivered: the
    mission has ended; assignments complete, requests whose missions are all delivered become
    delivered (the delivery, with the actual dates, is recorded first:
    ``results.services.mission_deliver``). reported: every expert's report is in. closed: an
    evaluation is in; requests whose missions are all closed close. cancelled (reason
    required): assignments are
    withdrawn, requests no mission answers any more go back to accepted.
    Experts and focal points are told when a mission is confirmed or cancelled. ``note`` is
    the user's own words; ``note_code`` a message of ours about the mission (lib/messages.py).
    """
    # Its experts, the mission, its assignments (missions/locking.py); the guard then reads
    # them fresh: a release refused meanwhile is seen, and none can be refused until we commit.
    mission, _experts = lock_mission_commitments(mission.pk)
    assignments = lock_assignments(mission=mission)
    error = transition_error(
        _("Mission %(mission)s") % {"mission": mission.reference},
        mission.status,
        to_status,
        MISSION_TRANSITIONS,
        mission_status_labels(),
    )
    if error:
        raise ValidationError(error)
    problems = _mission_guard(mission, assignments, to_status, note)
    if problems:
        raise ValidationError(problems)

    from_status = mission.status
    mission.status = to_status
    fields = ["status"]
    if to_status == MissionStatus.CANCELLED:
        mission.cancel_reason = note.strip()
        fields.append("cancel_reason")
    mission.save(update_fields=fields)
    note_params = {"mission": mission.reference} if note_code else None
    history_add(mission, from_status, to_status, by, note.strip(), note_code, note_params)

    if to_status == MissionStatus.PLANNED:
        for req in mission.requests.filter(status=RequestStatus.ACCEPTED):
            request_transition(
                request=req,
                to_status=RequestStatus.PLANNED,
                by=by,
                note_code="request.planned_in_mission",
                note_params={"mission": mission.reference},
            )
    elif to_status in {MissionStatus.DRAFT, MissionStatus.CANCELLED}:
        _requests_back_to_accepted(mission, by)
    told = [a for a in assignments if a.status != AssignmentStatus.PROPOSED]
    _assignments_follow(mission, assignments, by, note.strip())
    if to_status == MissionStatus.DELIVERED:
        _requests_delivered(mission, by)
    elif to_status == MissionStatus.CLOSED:
        _requests_closed(mission, by)
    _notify_mission(mission, told, note.strip())
    return mission


def _notify_mission(mission: Mission, told: list[Assignment], note: str) -> None:
    """Experts who knew of their assignment and focal points hear of a confirmation or a
    cancellation (with its reason, in the coordinator's words)."""
    code = {
        MissionStatus.CONFIRMED: "mission.confirmed",
        MissionStatus.CANCELLED: "mission.cancelled",
    }.get(MissionStatus(mission.status))
    if code is None:
        return
    params = mission_params(mission)
    if code == "mission.cancelled" and note:
        params["note"] = note
    notification_send(
        recipients=[*expert_users(told), *mission_focal_points(mission)],
        code=code,
        params=params,
        link=mission_link(mission),
    )


# What a mission's new status does to its assignments: (from these statuses, to this one, why).
FOLLOW: dict[str, tuple[frozenset[str], str, str]] = {
    MissionStatus.CONFIRMED: (
        frozenset({AssignmentStatus.ACCEPTED}),
        AssignmentStatus.CONFIRMED,
        "assignment.mission_confirmed",
    ),
    MissionStatus.DELIVERED: (
        frozenset({AssignmentStatus.CONFIRMED}),
        AssignmentStatus.COMPLETED,
        "assignment.mission_delivered",
    ),
    MissionStatus.CANCELLED: (
        OPEN_ASSIGNMENT_STATUSES,
        AssignmentStatus.WITHDRAWN,
        "assignment.mission_cancelled",
    ),
}


def _assignments_follow(
    mission: Mission, assignments: list[Assignment], by: User | None, note: str
) -> None:
    """Assignments follow their mission (confirmed, completed, withdrawn), each with a history
    row saying why; the mission's notice tells the people, so no notice of their own."""
    if mission.status not in FOLLOW:
        return
    from_statuses, to_status, why = FOLLOW[mission.status]
    for a in assignments:
        if a.status not in from_statuses:
            continue
        assignment_status_write(
            a,
            to_status,
            by,
            mission=mission,
            note=note if to_status == AssignmentStatus.WITHDRAWN else "",
            note_code=why,
            note_params={"mission": mission.reference},
        )


def _requests_back_to_accepted(mission: Mission, by: User | None) -> None:
    """Planned requests that no other live mission answers return to accepted."""
    for req in mission.requests.filter(status=RequestStatus.PLANNED):
        still = req.missions.exclude(pk=mission.pk).exclude(
            status__in=[*DEAD_MISSION_STATUSES, MissionStatus.DRAFT]
        )
        if not still.exists():
            request_transition(
                request=req,
                to_status=RequestStatus.ACCEPTED,
                by=by,
                note_code="request.unplanned",
                note_params={"mission": mission.reference},
            )


def _requests_delivered(mission: Mission, by: User | None) -> None:
    """Planned requests whose live missions are all delivered become delivered."""
    for req in mission.requests.filter(status=RequestStatus.PLANNED):
        pending = req.missions.exclude(status__in=[*DONE_MISSION_STATUSES, *DEAD_MISSION_STATUSES])
        if not pending.exists():
            request_transition(
                request=req,
                to_status=RequestStatus.DELIVERED,
                by=by,
                note_code="request.delivered_by_mission",
                note_params={"mission": mission.reference},
            )


def _requests_closed(mission: Mission, by: User | None) -> None:
    """Delivered requests whose live missions are all closed close with the mission (the
    note's code is registered by the results app, ``results/messages.py``)."""
    for req in mission.requests.filter(status=RequestStatus.DELIVERED):
        pending = req.missions.exclude(status__in=[MissionStatus.CLOSED, *DEAD_MISSION_STATUSES])
        if not pending.exists():
            request_transition(
                request=req,
                to_status=RequestStatus.CLOSED,
                by=by,
                note_code="request.closed_by_mission",
                note_params={"mission": mission.reference},
            )
