"""The requesting administration changes or withdraws its request while the secretariat has
not decided on it (docs/rules.md, "Requests").

Both are for a member focal point of the administration that submitted the request (other
roles: 403; a request the user cannot see: 404; a co-requester, or a request already decided:
a message on the request's page, nothing written).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.assistance.change_services import (
    request_change_refusal,
    request_update,
    request_withdraw,
)
from renfort.assistance.forms import RequestForm
from renfort.assistance.selectors import request_for_user
from renfort.lib.confirm import confirmation
from renfort.lib.forms import add_service_error
from renfort.lib.messages import render as render_message

SERVICE_ALIASES = {"administrations": "co_requesting"}


@role_required(Role.MEMBER_FOCAL_POINT)
@require_http_methods(["GET", "POST"])
def request_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a request that is still waiting for the secretariat's decision."""
    req = request_for_user(request.user, pk)
    if refusal := request_change_refusal(request=req, by=request.user):
        messages.error(request, refusal)
        return redirect("assistance:request_detail", pk=req.pk)
    organisation = request.user.organisation
    if organisation is None:  # owned_by() has checked it; kept for the type checker
        raise Http404("No administration.")
    form = RequestForm(request.POST or None, organisation=organisation, request=req)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = request_update(
                request=req,
                by=request.user,
                title=data["title"],
                administrations=form.administrations(),
                topics=list(data["topics"]),
                level=data["level"],
                needs=data["needs"],
                preferred_start=data["preferred_start"],
                preferred_end=data["preferred_end"],
                language=data["language"],
                priority=data["priority"],
            )
        except ValidationError as error:
            add_service_error(form, error, aliases=SERVICE_ALIASES)
        else:
            if changed:
                said = render_message("request.changed", {"fields": changed}).body
                messages.success(
                    request,
                    _("Request %(reference)s saved. %(changes)s The secretariat is told.")
                    % {"reference": req.reference, "changes": said},
                )
            else:
                messages.info(request, _("Nothing changed in the request."))
            return redirect("assistance:request_detail", pk=req.pk)
    return render(request, "assistance/request_form.html", {"form": form, "req": req})


@role_required(Role.MEMBER_FOCAL_POINT)
@require_http_methods(["GET", "POST"])
def request_withdraw_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Withdraw a request still waiting for the secretariat's decision, after confirming (a
    reason is optional)."""
    req = request_for_user(request.user, pk)
    detail = reverse("assistance:request_detail", args=[req.pk])
    if refusal := request_change_refusal(request=req, by=request.user, doing="withdraw"):
        messages.error(request, refusal)
        return redirect(detail)
    step = confirmation(
        request,
        title=_("Withdraw request %(reference)s · %(title)s?")
        % {"reference": req.reference, "title": req.title},
        consequence=_(
            "The request leaves the appraisal queue for good: it cannot be reopened, and a new "
            "need means a new request. The secretariat, any regional coordinator asked for an "
            "opinion and the co-requesting administrations are told, with your reason if you "
            "give one."
        ),
        action=_("Withdraw the request"),
        cancel_url=detail,
        reason="optional",
        reason_label=_("Why do you withdraw it?"),
    )
    if step.page is not None:
        return step.page
    try:
        request_withdraw(request=req, by=request.user, reason=step.reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Request %(reference)s withdrawn.") % {"reference": req.reference}
        )
    return redirect(detail)
