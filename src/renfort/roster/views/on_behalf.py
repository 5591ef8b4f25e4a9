"""A member focal point answers a mission invitation for an expert of its administration who
has no login (``missions.services.on_behalf``), from the releases page where it sees the
invitation. Both answers ask once more; a refusal asks why (the secretariat reads it)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.lib.confirm import confirmation
from renfort.missions.services.on_behalf import assignment_answer_on_behalf
from renfort.roster.forms import InvitationAnswerForm
from renfort.roster.views.pool import assignments_with_missions


@role_required(Role.MEMBER_FOCAL_POINT)
@require_POST
def answer_on_behalf(request: AuthedRequest, pk: int) -> HttpResponse:
    """Accept or decline a mission invitation on behalf of one of the administration's
    experts; another administration's assignment answers 404."""
    scope = assignments_with_missions().filter(
        expert__home_administration_id=request.user.organisation_id
    )
    assignment = get_object_or_404(scope, pk=pk)
    accept = request.POST.get("answer") == InvitationAnswerForm.ACCEPT
    mission = assignment.slot.mission
    names = {
        "expert": assignment.expert,
        "mission": mission.reference,
        "title": mission.title,
        "slot": assignment.slot.code,
    }
    if accept:
        step = confirmation(
            request,
            title=_("Accept mission %(mission)s on behalf of %(expert)s?") % names,
            consequence=_(
                "%(expert)s has no login: you answer for them that they take slot %(slot)s of "
                "mission %(mission)s (“%(title)s”). The history of the assignment will say that "
                "you answered on their behalf, and the secretariat will be told."
            )
            % names,
            action=_("Accept on their behalf"),
            cancel_url=reverse("roster:releases"),
            danger=False,
        )
    else:
        step = confirmation(
            request,
            title=_("Decline mission %(mission)s on behalf of %(expert)s?") % names,
            consequence=_(
                "%(expert)s has no login: you answer for them that they do not take slot "
                "%(slot)s of mission %(mission)s (“%(title)s”). The history of the assignment "
                "will say that you answered on their behalf, and the secretariat will be told, "
                "with your reason."
            )
            % names,
            action=_("Decline on their behalf"),
            cancel_url=reverse("roster:releases"),
            reason="required",
            reason_label=_("Why does %(expert)s decline?") % names,
        )
    if step.page is not None:
        return step.page
    try:
        assignment_answer_on_behalf(
            assignment=assignment, by=request.user, accept=accept, reason=step.reason
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (
                _("You accepted mission %(mission)s on behalf of %(expert)s.")
                if accept
                else _("You declined mission %(mission)s on behalf of %(expert)s.")
            )
            % names,
        )
    return redirect("roster:releases")
