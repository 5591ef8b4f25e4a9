"""Writes about assignments: an expert in a slot, invited, accepted, swapped, pinned."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.accounts.services import notification_send
from renfort.lib.limits import length_errors
from renfort.lib.links import link_to
from renfort.lib.messages import check, nested
from renfort.lib.states import transition_error
from renfort.missions.locking import (
    booking_refused,
    lock_assignment_commitments,
    lock_experts,
    lock_mission,
)
from renfort.missions.models import (
    ASSIGNMENT_TRANSITIONS,
    DONE_MISSION_STATUSES,
    STAFFABLE_MISSION_STATUSES,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    AssignmentStatusChange,
    MissionStatus,
    Slot,
)
from renfort.missions.rules import assignment_problems
from renfort.missions.services.common import (
    assignment_history_add,
    assignment_status_labels,
    assignment_status_write,
    lender_focal_points,
    mission_link,
    mission_params,
    secretariat_users,
)
from renfort.roster.models import Expert, ReleaseStatus


@transaction.atomic
def assignment_create(
    *,
    slot: Slot,
    expert: Expert,
    source: str = AssignmentSource.MANUAL,
    pinned: bool = False,
    status: str = AssignmentStatus.PROPOSED,
    fit: float | None = None,
    explanation_code: str = "",
    explanation_params: Mapping[str, Any] | None = None,
    explanation: str = "",
    by: User | None = None,
) -> Assignment:
    """Put ``expert`` in ``slot`` after checking every rule (``assignment_problems``).

    ``status`` is proposed (default) or invited (then the expert and the lending
    administration are told, as ``assignment_transition`` does). Why the expert fits is a
    message code and its parameters (``lib.messages``; refused with ``ValueError`` when the
    code is unknown or a parameter missing); ``explanation`` only carries the planner's own
    words of a plan that has no code.
    """
    explanation_params = dict(explanation_params or {})
    if explanation_code:
        check(explanation_code, explanation_params)
    if status not in {AssignmentStatus.PROPOSED, AssignmentStatus.INVITED}:
        raise ValidationError(
            {
                "status": _("Status: a new assignment is proposed or invited, not %(status)s.")
                % {"status": status}
            }
        )
    if source not in AssignmentSource.values:
        raise ValidationError(
            {"source": _("Source: %(source)s is not planner or manual.") % {"source": source}}
        )
    # The rules read the expert's other commitments and the mission's other assignments: lock
    # the expert, then the mission (missions/locking.py), and check them on fresh rows.
    expert = lock_experts([expert.pk])[expert.pk]
    lock_mission(slot.mission_id)
    slot = Slot.objects.select_related("mission").get(pk=slot.pk)
    problems = assignment_problems(slot=slot, expert=expert)
    if problems:
        raise ValidationError(problems)
    assignment = Assignment(
        slot=slot,
        expert=expert,
        status=AssignmentStatus.PROPOSED,
        source=source,
        pinned=pinned,
        fit=fit,
        explanation=explanation,
        explanation_code=explanation_code,
        explanation_params=explanation_params,
        release_status=ReleaseStatus.PENDING,
    )
    assignment.refresh_busy_range(slot.mission)
    with booking_refused(expert):
        assignment.save(force_insert=True)
    assignment_history_add(assignment, "", by)
    if status == AssignmentStatus.INVITED:
        assignment = assignment_transition(assignment=assignment, to_status=status, by=by)
    return assignment


def _assignment_guard(
    assignment: Assignment, to_status: str, by: User | None, reason: str
) -> list[str]:
    a = assignment
    mission = a.slot.mission
    names = {"expert": str(a.expert), "slot": a.slot.code, "mission": mission.reference}
    problems: list[str] = list(length_errors(Assignment, decline_reason=reason.strip()).values())
    if to_status == AssignmentStatus.INVITED:
        problems.extend(assignment_problems(slot=a.slot, expert=a.expert, exclude=a))
    if to_status == AssignmentStatus.DECLINED and not reason.strip():
        problems.append(_("Reason: say why %(expert)s declines slot %(slot)s.") % names)
    if (
        to_status in {AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED}
        and by is not None
        and by.role == Role.EXPERT
        and a.expert.user_id != by.pk
    ):
        problems.append(_("Only %(expert)s can answer their invitation to slot %(slot)s.") % names)
    if to_status == AssignmentStatus.WITHDRAWN and by is not None and by.role == Role.EXPERT:
        problems.extend(_expert_withdrawal_problems(a, by, reason, names))
    if to_status == AssignmentStatus.INVITED and not mission.has_dates:
        # A proposal may wait on a window (the planner picks dates around it); an invitation
        # asks the expert and the home administration about real dates.
        problems.append(
            _(
                "Mission %(mission)s has no dates yet: set its dates (or let the planner choose "
                "them) before inviting %(expert)s."
            )
            % names
        )
    if to_status == AssignmentStatus.CONFIRMED:
        if a.release_status != ReleaseStatus.GRANTED:
            problems.append(
                _(
                    "%(home)s has not granted the release of %(expert)s for mission "
                    "%(mission)s (%(release)s); it must before the assignment is confirmed."
                )
                % {
                    **names,
                    "home": a.expert.home_administration.name,
                    "release": ReleaseStatus(a.release_status).label,
                }
            )
        if not mission.has_dates:
            problems.append(
                _(
                    "Mission %(mission)s has no dates yet: set its dates or let the planner "
                    "choose them."
                )
                % names
            )
    if to_status == AssignmentStatus.COMPLETED and mission.status not in DONE_MISSION_STATUSES:
        problems.append(
            _("Mission %(mission)s is %(status)s: an assignment completes once it is delivered.")
            % {**names, "status": MissionStatus(mission.status).label}
        )
    if (
        to_status in {AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED}
        and mission.status not in STAFFABLE_MISSION_STATUSES
    ):
        problems.append(
            _("Mission %(mission)s is %(status)s: it takes no more experts.")
            % {**names, "status": MissionStatus(mission.status).label}
        )
    return problems


def _expert_withdrawal_problems(
    a: Assignment, by: User, reason: str, names: Mapping[str, str]
) -> list[str]:
    """An expert withdraws only herself, after accepting (accepted or confirmed), from a
    mission not yet delivered or cancelled, and says why (the secretariat and her home
    administration read it). Before accepting she declines instead."""
    problems = []
    if a.expert.user_id != by.pk:
        problems.append(_("Only %(expert)s can withdraw from slot %(slot)s.") % names)
    if a.status not in {AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED}:
        problems.append(
            _(
                "%(expert)s has not accepted slot %(slot)s (%(status)s): decline the invitation "
                "instead."
            )
            % {**names, "status": AssignmentStatus(a.status).label}
        )
    mission = a.slot.mission
    if mission.status not in STAFFABLE_MISSION_STATUSES:
        problems.append(
            _("Mission %(mission)s is %(status)s: it is too late to withdraw from it.")
            % {**names, "status": MissionStatus(mission.status).label}
        )
    if not reason.strip():
        problems.append(
            _(
                "Reason: say why you withdraw from mission %(mission)s; the secretariat will "
                "read it."
            )
            % names
        )
    return problems


@transaction.atomic
def assignment_transition(
    *,
    assignment: Assignment,
    to_status: str,
    by: User | None = None,
    reason: str = "",
    note_code: str = "",
    note_params: Mapping[str, Any] | None = None,
) -> Assignment:
    """Move ``assignment`` to ``to_status`` if allowed; writes a history row.

    invited: every rule is checked again; the expert is told and the home administration is
    asked to release them (the mission has dates by then). declined: needs a reason; the
    secretariat is told. accepted: the secretariat is told. confirmed: the release must be
    granted. withdrawn: an expert who knew about it is told; withdrawn by the expert herself
    (``by`` her user: only after accepting, while the mission still takes experts, with a
    ``reason``), the secretariat and her home administration's focal points are told instead
    (``assignment.expert_withdrew``, her reason with it). ``reason`` is a person's own words
    (kept as the decline reason); why the application makes the change goes in ``note_code``
    and ``note_params`` (``lib.messages``), rendered in each reader's language.
    """
    assignment, _experts = lock_assignment_commitments(assignment.pk)
    error = transition_error(
        _("Assignment of %(expert)s to slot %(slot)s")
        % {"expert": assignment.expert, "slot": assignment.slot.code},
        assignment.status,
        to_status,
        ASSIGNMENT_TRANSITIONS,
        assignment_status_labels(),
    )
    if error:
        raise ValidationError(error)
    problems = _assignment_guard(assignment, to_status, by, reason)
    if problems:
        raise ValidationError(problems)
    fields = []
    if to_status in {AssignmentStatus.DECLINED, AssignmentStatus.WITHDRAWN} and reason.strip():
        assignment.decline_reason = reason.strip()
        fields.append("decline_reason")
    if to_status == AssignmentStatus.INVITED and assignment.release_status == ReleaseStatus.REFUSED:
        assignment.release_status = ReleaseStatus.PENDING
        fields.append("release_status")
    change = assignment_status_write(
        assignment,
        to_status,
        by,
        fields=fields,
        note=reason.strip(),
        note_code=note_code,
        note_params=note_params,
    )
    _notify_assignment(assignment, change)
    return assignment


def _notify_assignment(a: Assignment, change: AssignmentStatusChange) -> None:
    mission = a.slot.mission
    expert = a.expert
    link = mission_link(mission)
    about = mission_params(mission)
    if a.status == AssignmentStatus.INVITED:
        notification_send(
            recipients=[expert.user],
            code="assignment.invited",
            params={**about, "slot": a.slot.code},
            link=link_to("roster:invitations", fallback=link),
        )
        if a.release_status != ReleaseStatus.GRANTED:
            notification_send(
                recipients=lender_focal_points(expert),
                code="assignment.release_asked",
                params={**about, "expert": str(expert)},
                link=link_to("roster:releases", fallback=link),
            )
    elif a.status in {AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED}:
        params = {**about, "expert": str(expert), "status": a.status, "slot": a.slot.code}
        notification_send(
            recipients=secretariat_users(),
            code="assignment.answered",
            params={**params, "note": change.note} if change.note else params,
            link=link,
        )
    elif a.status == AssignmentStatus.WITHDRAWN and change.by_id and change.by_id == expert.user_id:
        # She withdrew herself: the secretariat and her home administration hear why.
        notification_send(
            recipients=[*secretariat_users(), *lender_focal_points(expert)],
            code="assignment.expert_withdrew",
            params={**about, "expert": str(expert), "slot": a.slot.code, "note": change.note},
            link=link,
        )
    elif a.status == AssignmentStatus.WITHDRAWN and change.from_status != AssignmentStatus.PROPOSED:
        withdrawn: dict[str, Any] = dict(about)
        if change.note_code:
            withdrawn["because"] = nested(change.note_code, change.note_params)
        if change.note:
            withdrawn["note"] = change.note
        notification_send(
            recipients=[expert.user], code="assignment.withdrawn", params=withdrawn, link=link
        )


@transaction.atomic
def assignment_swap(
    *, assignment: Assignment, expert: Expert, by: User | None = None
) -> Assignment:
    """Replace the assignment's expert: the old assignment is withdrawn and a new proposed one
    takes the same slot, after every rule is checked for the new expert."""
    assignment, experts = lock_assignment_commitments(assignment.pk, also=[expert.pk])
    expert = experts[expert.pk]
    if not assignment.is_active or assignment.status == AssignmentStatus.COMPLETED:
        raise ValidationError(
            _("The assignment of %(expert)s to slot %(slot)s is %(status)s: nothing to swap.")
            % {
                "expert": assignment.expert,
                "slot": assignment.slot.code,
                "status": AssignmentStatus(assignment.status).label,
            }
        )
    if expert.pk == assignment.expert_id:
        raise ValidationError(
            _("%(expert)s already holds slot %(slot)s.")
            % {"expert": expert, "slot": assignment.slot.code}
        )
    problems = assignment_problems(slot=assignment.slot, expert=expert, exclude=assignment)
    if problems:
        raise ValidationError(problems)
    assignment_transition(
        assignment=assignment,
        to_status=AssignmentStatus.WITHDRAWN,
        by=by,
        note_code="assignment.replaced_by",
        note_params={"expert": str(expert)},
    )
    return assignment_create(
        slot=assignment.slot,
        expert=expert,
        source=AssignmentSource.MANUAL,
        pinned=assignment.pinned,
        by=by,
    )


@transaction.atomic
def assignment_pin(*, assignment: Assignment, pinned: bool) -> Assignment:
    """Pin (the planner keeps it) or unpin an active assignment."""
    if pinned and not assignment.is_active:
        raise ValidationError(
            _(
                "The assignment of %(expert)s to slot %(slot)s is %(status)s: only an active "
                "one can be pinned."
            )
            % {
                "expert": assignment.expert,
                "slot": assignment.slot.code,
                "status": AssignmentStatus(assignment.status).label,
            }
        )
    assignment.pinned = pinned
    assignment.save(update_fields=["pinned", "updated_at"])
    return assignment
