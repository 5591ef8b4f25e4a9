"""The follow-up actions a party owns, tracked to done apart from their missions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.lib.forms import add_service_error
from renfort.results import services
from renfort.results.forms import FollowUpDoneForm, FollowUpFilterForm
from renfort.results.models import FollowUpAction, FollowUpStatus
from renfort.results.participants import secretariat_organisation
from renfort.results.selectors import can_mark_done, follow_up_for_user, follow_ups_visible_to

PAGE_SIZE = 25
TRACKERS = (Role.SECRETARIAT_COORDINATOR, Role.MEMBER_FOCAL_POINT, Role.REGIONAL_COORDINATOR)


def _filtered(request: AuthedRequest, data: dict[str, Any]) -> QuerySet[FollowUpAction]:
    actions = follow_ups_visible_to(request.user)
    if request.user.role == Role.SECRETARIAT_COORDINATOR and data.get("owner") != "all":
        actions = actions.filter(owner=secretariat_organisation())
    show = data.get("show") or "open"
    today = timezone.localdate()
    if show == "open":
        actions = actions.filter(status=FollowUpStatus.OPEN)
    elif show == "overdue":
        actions = actions.filter(status=FollowUpStatus.OPEN, due_on__lt=today)
    elif show == "done":
        actions = actions.filter(status=FollowUpStatus.DONE)
    return actions


@role_required(*TRACKERS)
@require_http_methods(["GET", "HEAD"])
def follow_up_list(request: AuthedRequest) -> HttpResponse:
    """The follow-up actions the user's organisation owns (the secretariat: its own, or
    everyone's; a regional coordinator: its region's members'), open ones first by due day,
    overdue ones marked."""
    form = FollowUpFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    actions = (
        _filtered(request, data)
        .select_related("owner", "mission", "report__author")
        .order_by("status", "due_on", "pk")
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": timezone.localdate(),
        "is_secretariat": request.user.role == Role.SECRETARIAT_COORDINATOR,
        "is_regional": request.user.role == Role.REGIONAL_COORDINATOR,
        "show": data.get("show") or "open",
    }
    return render(request, "results/follow_up_list.html", context)


@role_required(*TRACKERS)
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up_detail(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """One follow-up action; its owner (or the secretariat) marks it done here."""
    action = follow_up_for_user(request.user, pk)
    allowed = can_mark_done(request.user, action)
    form = None
    if not action.is_done and allowed:
        form = FollowUpDoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            if not allowed:
                raise PermissionDenied
            messages.info(request, _("This action is done already."))
            return redirect("results:follow_up_detail", pk=action.pk)
        if form.is_valid():
            try:
                services.follow_up_done(
                    action=action,
                    by=request.user,
                    note=form.cleaned_data["note"],
                    done_on=form.cleaned_data["done_on"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The follow-up action is marked done."))
                return redirect("results:follow_up_list")
    context = {"action": action, "form": form, "today": timezone.localdate()}
    return render(request, "results/follow_up_detail.html", context)
