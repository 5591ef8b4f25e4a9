"""The home administration's decision to release an expert for a mission."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.accounts.services import notification_send
from renfort.lib.limits import length_errors
from renfort.missions.locking import lock_assignment_commitments
from renfort.missions.models import (
    RELEASE_ASKED_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
)
from renfort.missions.services.common import (
    assignment_status_write,
    mission_link,
    secretariat_users,
)
from renfort.roster.models import ReleaseStatus


@transaction.atomic
def assignment_release_decide(
    *, assignment: Assignment, granted: bool, by: User, reason: str = ""
) -> Assignment:
    """The expert's home administration grants or refuses their release for this mission.

    ``by`` must be a member focal point of that administration. A refusal withdraws the
    assignment (the slot is free again); the secretariat and the expert are told either way,
    with ``reason`` (the focal point's own words: kept as the decline reason and the history
    note, never translated) when one is given. The release page always asks for it.
    """
    # The expert, then the mission, then the assignment (missions/locking.py): a confirmation
    # of the mission and this decision run one after the other, each on what the other left.
    assignment, _experts = lock_assignment_commitments(assignment.pk)
    expert = assignment.expert
    names = {
        "expert": str(expert),
        "home": expert.home_administration.name,
        "slot": assignment.slot.code,
        "mission": assignment.slot.mission.reference,
    }
    if by.role != Role.MEMBER_FOCAL_POINT or by.organisation_id != expert.home_administration_id:
        raise ValidationError(
            _("Release: only a member focal point of %(home)s, home of %(expert)s, can decide it.")
            % names
        )
    if assignment.status not in RELEASE_ASKED_ASSIGNMENT_STATUSES:
        raise ValidationError(
            _(
                "Release of %(expert)s for slot %(slot)s: the assignment is %(status)s; a "
                "release is decided while the expert is invited or has accepted."
            )
            % {**names, "status": AssignmentStatus(assignment.status).label}
        )
    reason = reason.strip()
    problems = list(length_errors(Assignment, decline_reason=reason).values())
    if problems:
        raise ValidationError({"reason": problems})
    if granted:
        assignment.release_status = ReleaseStatus.GRANTED
        assignment.save(update_fields=["release_status", "updated_at"])
    else:
        assignment.release_status = ReleaseStatus.REFUSED
        assignment.decline_reason = reason
        assignment_status_write(
            assignment,
            AssignmentStatus.WITHDRAWN,
            by,
            fields=["release_status", "decline_reason"],
            note=reason,
            note_code="assignment.release_refused",
            note_params={"home": names["home"]},
        )
    params = {"expert": names["expert"], "home": names["home"], "reference": names["mission"]}
    if not granted and reason:
        params["note"] = reason
    notification_send(
        recipients=[*secretariat_users(), expert.user],
        code="release.granted" if granted else "release.refused",
        params=params,
        link=mission_link(assignment.slot.mission),
    )
    return assignment
