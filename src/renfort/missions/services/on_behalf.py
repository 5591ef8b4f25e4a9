"""A member focal point answers a mission invitation on behalf of an expert of its own
administration who has no login (``assignment_answer_on_behalf``).

The answer is the expert's (accepted or declined, as ``assignment_transition`` writes it);
the history row says who gave it and for whom (note code ``assignment.answered_on_behalf``).
Lock order as ``assignment_transition``: the expert, then the mission, then the assignment.
The expert stays locked while the login is checked, and ``accounts.invitations`` locks the
expert to link a login, so an invitation accepted at the same moment is seen.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.missions.locking import lock_experts
from renfort.missions.models import Assignment, AssignmentStatus
from renfort.missions.services.assignments import assignment_transition

ANSWERS = (AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED)


def may_answer_on_behalf(by: User, assignment: Assignment) -> bool:
    """Whether ``by`` may answer ``assignment``'s invitation for its expert now: ``by`` is an
    active member focal point of the expert's home administration, the expert has no login,
    and the assignment is invited. Reads ``assignment.expert`` as loaded."""
    expert = assignment.expert
    return (
        by.is_active
        and by.role == Role.MEMBER_FOCAL_POINT
        and by.organisation_id is not None
        and expert.home_administration_id == by.organisation_id
        and expert.user_id is None
        and assignment.status == AssignmentStatus.INVITED
    )


@transaction.atomic
def assignment_answer_on_behalf(
    *, assignment: Assignment, by: User, accept: bool, reason: str = ""
) -> Assignment:
    """Accept (or decline, with ``reason``) the invitation of ``assignment`` for its expert,
    answered by ``by``, a member focal point of the expert's home administration, when the
    expert has no login to answer herself. Refused (``ValidationError`` naming what is wrong)
    for anyone else, for an expert with a login, or for an assignment not invited."""
    expert_id = Assignment.objects.values_list("expert_id", flat=True).get(pk=assignment.pk)
    expert = lock_experts([expert_id])[expert_id]
    names = {"expert": str(expert), "by": by.get_full_name() or by.username}
    if (
        not by.is_active
        or by.role != Role.MEMBER_FOCAL_POINT
        or by.organisation_id is None
        or expert.home_administration_id != by.organisation_id
    ):
        raise ValidationError(
            {"expert": _("Expert: %(expert)s is not an expert of your administration.") % names}
        )
    if expert.user_id is not None:
        raise ValidationError(
            {"expert": _("Expert: %(expert)s has a login and answers their invitations.") % names}
        )
    status = Assignment.objects.values_list("status", flat=True).get(pk=assignment.pk)
    if status != AssignmentStatus.INVITED:
        raise ValidationError(
            _("%(expert)s is not invited to this slot (%(status)s): there is nothing to answer.")
            % {**names, "status": AssignmentStatus(status).label}
        )
    return assignment_transition(
        assignment=assignment,
        to_status=AssignmentStatus.ACCEPTED if accept else AssignmentStatus.DECLINED,
        by=by,
        reason=reason,
        note_code="assignment.answered_on_behalf",
        note_params={
            "by": names["by"],
            "org": by.organisation.name if by.organisation else "",
            "expert": names["expert"],
        },
    )
