"""The plan (the missions the user may see, filtered and paginated), a mission's page, and the
secretariat's changes to a mission's status and dates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
)
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.lib.confirm import Confirmation, confirmation
from renfort.lib.forms import add_service_error
from renfort.lib.http import is_htmx
from renfort.missions import services
from renfort.missions.forms import (
    DatesForm,
    MissionFilterForm,
    PlanningOptionsForm,
    TransitionForm,
)
from renfort.missions.list_selectors import (
    ByStatus,
    missions_filtered,
    status_order,
    with_open_slots,
)
from renfort.missions.models import (
    MISSION_TRANSITIONS,
    Mission,
    MissionStatus,
)
from renfort.missions.selectors import mission_for_user, missions_visible_to
from renfort.missions.views.common import (
    ALL_ROLES,
    SECRETARIAT,
    paginate,
)
from renfort.missions.views.detail import (
    BACKWARD_ACTIONS,
    CANCEL_ACTION,
    done,
    is_backward,
    render_detail,
)


@role_required(*ALL_ROLES)
@require_GET
def mission_list(request: AuthedRequest) -> HttpResponse:
    """The plan: the missions the user may see, by status, filtered and paginated."""
    form = MissionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    missions = missions_filtered(missions_visible_to(request.user), data)
    counts = dict(
        missions.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    total = sum(counts.values())
    if data.get("status"):
        missions = missions.filter(status=data["status"])
        total = counts.get(data["status"], 0)
    missions = (
        with_open_slots(missions)
        .annotate(status_order=status_order())
        .prefetch_related("beneficiaries")
        .order_by("status_order", "start", "window_start", "reference")
    )
    by_status = [(value, label, counts.get(value, 0)) for value, label in MissionStatus.choices]
    shown = {data["status"]: total} if data.get("status") else counts
    context = {
        "form": form,
        "page": paginate(request, ByStatus(missions, shown), count=total),
        "by_status": by_status,
        "total": sum(counts.values()),
        "current_status": data.get("status", ""),
    }
    template = "missions/mission_list.html"
    if is_htmx(request):
        template += "#mission-table"
        # Only the table is swapped in: the filter's errors (which name their field) with it.
        context["filter_errors"] = [m for errors in form.errors.values() for m in errors]
    return render(request, template, context)


@role_required(*ALL_ROLES)
@require_GET
def mission_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A mission: requests, beneficiaries, dates, slots with their assignments, history,
    agreements; the secretariat's actions."""
    return render_detail(request, mission_for_user(request.user, pk))


def _transition_step(request: AuthedRequest, mission: Mission, to_status: str) -> Confirmation:
    """Cancelling (with the reason everyone will read) and going a step back ask once more;
    forward steps do not."""
    cancel_url = reverse("missions:mission_detail", args=[mission.pk])
    names = {"ref": mission.reference, "title": mission.title}
    if to_status == MissionStatus.CANCELLED:
        return confirmation(
            request,
            title=_("Cancel mission %(ref)s, %(title)s?") % names,
            consequence=_(
                "Every expert not yet done is withdrawn, the requests it answers go back to "
                "accepted, and the experts and the beneficiaries are told, with your reason. "
                "A cancelled mission cannot be reopened."
            ),
            action=str(CANCEL_ACTION),
            cancel_url=cancel_url,
            reason="required",
            reason_label=_("Reason for cancelling"),
        )
    if to_status in MissionStatus.values and is_backward(mission.status, to_status):
        return confirmation(
            request,
            title=_("Move mission %(ref)s back to %(status)s?")
            % {**names, "status": MissionStatus(to_status).label},
            consequence=_(
                "The mission leaves %(current)s; its experts stay, and the requests it answers "
                "go back to accepted if it returns to draft."
            )
            % {"current": MissionStatus(mission.status).label},
            action=str(BACKWARD_ACTIONS.get(to_status) or _("Move the mission back")),
            cancel_url=cancel_url,
            reason="optional",
            reason_label=_("Note"),
            danger=False,
        )
    return Confirmation(page=None, reason=request.POST.get("note", ""))


@role_required(SECRETARIAT)
@require_POST
def mission_transition(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """One button per allowed step; cancelling and going back are confirmed first."""
    mission = mission_for_user(request.user, pk)
    to_status = request.POST.get("to_status", "")
    allowed = to_status in MISSION_TRANSITIONS.get(mission.status, frozenset())
    if allowed:
        step = _transition_step(request, mission, to_status)
        if step.page is not None:
            return step.page
        note = step.reason
    else:
        note = request.POST.get("note", "")
    form = TransitionForm({"to_status": to_status, "note": note}, current=mission.status)
    if form.is_valid():
        try:
            services.mission_transition(
                mission=mission,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_error(form, exc, default="to_status")
        else:
            return done(
                request,
                mission,
                _("Mission %(ref)s is now %(status)s.")
                % {
                    "ref": mission.reference,
                    "status": MissionStatus(form.cleaned_data["to_status"]).label,
                },
            )
    mission.refresh_from_db()
    return render_detail(request, mission, transition_form=form)


@role_required(SECRETARIAT)
@require_POST
def mission_set_dates(request: AuthedRequest, pk: int) -> HttpResponseBase:
    mission = mission_for_user(request.user, pk)
    form = DatesForm(request.POST)
    if form.is_valid():
        try:
            services.mission_set_dates(
                mission=mission,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return done(request, mission, _("Dates set."))
    mission.refresh_from_db()
    return render_detail(request, mission, dates_form=form)


@role_required(SECRETARIAT)
@require_POST
def mission_set_planning_options(request: AuthedRequest, pk: int) -> HttpResponseBase:
    mission = mission_for_user(request.user, pk)
    form = PlanningOptionsForm(request.POST)
    if form.is_valid():
        try:
            services.mission_set_planning_options(
                mission=mission,
                straddle_weekend=form.cleaned_data["straddle_weekend"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return done(request, mission, _("Planning options saved."))
    mission.refresh_from_db()
    return render_detail(request, mission, options_form=form)
