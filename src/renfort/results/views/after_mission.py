"""A mission after it ran: its results page (delivery, reports, evaluation, follow-up actions),
the secretariat's delivery, an expert's report and a beneficiary's evaluation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.lib.forms import add_service_error
from renfort.missions.models import DONE_MISSION_STATUSES, Mission, MissionStatus
from renfort.results import services
from renfort.results.forms import DeliveryForm, EvaluationForm, FollowUpFormSet, ReportForm
from renfort.results.models import Evaluation, FollowUpAction, MissionDelivery, MissionReport
from renfort.results.participants import beneficiary_of, follow_up_owners, mission_experts
from renfort.results.selectors import (
    evaluation_access,
    evaluation_summary,
    evaluations_for,
    mission_results_for,
    report_for_user,
)
from renfort.results.services.reports import REPORTABLE
from renfort.roster.models import Expert

ALL_ROLES = tuple(Role.values)
SECRETARIAT = Role.SECRETARIAT_COORDINATOR


def _reports_by_author(mission: Mission) -> dict[int, MissionReport]:
    return {r.author_id: r for r in MissionReport.objects.filter(mission=mission)}


def _owes_report(
    request: AuthedRequest,
    mission: Mission,
    experts: list[Expert],
    reports: dict[int, MissionReport],
) -> bool:
    expert = getattr(request.user, "expert", None)
    return (
        mission.status in REPORTABLE
        and expert is not None
        and any(e.pk == expert.pk for e in experts)
        and expert.pk not in reports
    )


def _may_evaluate(request: AuthedRequest, mission: Mission) -> bool:
    organisation = beneficiary_of(request.user, mission)
    return (
        organisation is not None
        and mission.status in DONE_MISSION_STATUSES
        and not Evaluation.objects.filter(mission=mission, organisation=organisation).exists()
    )


def render_results(
    request: AuthedRequest, mission: Mission, *, deliver_form: DeliveryForm | None = None
) -> HttpResponse:
    """The mission's results page; a failed delivery passes its bound form."""
    experts = mission_experts(mission)
    reports = _reports_by_author(mission)
    is_secretariat = request.user.role == SECRETARIAT
    context: dict[str, Any] = {
        "mission": mission,
        "beneficiaries": list(mission.beneficiaries.order_by("name")),
        "delivery": MissionDelivery.objects.filter(mission=mission).select_related("by").first(),
        "rows": [(e, reports.get(e.pk)) for e in experts],
        "is_secretariat": is_secretariat,
        "reportable": mission.status in REPORTABLE,
        "owes_report": _owes_report(request, mission, experts, reports),
        "may_evaluate": _may_evaluate(request, mission),
        "summary": evaluation_summary(mission),
        "follow_ups": FollowUpAction.objects.filter(mission=mission).select_related(
            "owner", "report__author"
        ),
        "today": timezone.localdate(),
    }
    if is_secretariat and (deliver_form is not None or mission.status == MissionStatus.CONFIRMED):
        context["deliver_form"] = deliver_form or DeliveryForm(
            initial={"actual_start": mission.start, "actual_end": mission.end}
        )
    return render(request, "results/mission_results.html", context)


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "HEAD"])
def mission_results(request: AuthedRequest, pk: int) -> HttpResponse:
    """What followed the mission: its delivery, each expert's report, the evaluation and the
    follow-up actions, with the actions each reader may take."""
    return render_results(request, mission_results_for(request.user, pk))


@role_required(SECRETARIAT)
@require_POST
def mission_deliver(request: AuthedRequest, pk: int) -> HttpResponseBase:
    mission = mission_results_for(request.user, pk)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.mission_deliver(mission=mission, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Mission %(ref)s is delivered; its experts are asked for their reports.")
                % {"ref": mission.reference},
            )
            return redirect("results:mission_results", pk=mission.pk)
    return render_results(request, mission, deliver_form=form)


def _author(request: AuthedRequest, mission: Mission, experts: list[Expert]) -> Expert:
    """The expert whose report this is: the signed-in expert, or for the secretariat the
    expert named by ``expert`` (one of the mission's)."""
    if request.user.role == Role.EXPERT:
        expert = getattr(request.user, "expert", None)
        wanted = expert.pk if expert is not None else None
    else:
        raw = request.POST.get("expert") or request.GET.get("expert") or ""
        wanted = int(raw) if raw.isdigit() else None
    for candidate in experts:
        if candidate.pk == wanted:
            return candidate
    raise Http404("No such expert on this mission.")


@role_required(Role.EXPERT, SECRETARIAT)
@require_http_methods(["GET", "HEAD", "POST"])
def report_create(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """An expert's report on the mission, with its follow-up actions (the secretariat may file
    it on the expert's behalf)."""
    mission = mission_results_for(request.user, pk)
    experts = mission_experts(mission)
    author = _author(request, mission, experts)
    filed = MissionReport.objects.filter(mission=mission, author=author).first()
    if filed is not None:
        messages.info(request, _("This report is filed already."))
        return redirect("results:report_detail", pk=filed.pk)
    owners = follow_up_owners(mission)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data)
    formset = FollowUpFormSet(data, prefix="follow_up", form_kwargs={"owners": owners})
    if data is not None and form.is_valid() and formset.is_valid():
        specs = [
            services.FollowUpSpec(f.cleaned_data["description"], owner, f.cleaned_data["due_on"])
            for f in formset.forms
            if f.cleaned_data.get("description") and (owner := f.owner_organisation()) is not None
        ]
        try:
            report = services.mission_report_submit(
                mission=mission,
                author=author,
                by=request.user,
                follow_ups=specs,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Thank you: your report is filed."))
            return redirect("results:report_detail", pk=report.pk)
    context = {
        "mission": mission,
        "author": author,
        "form": form,
        "formset": formset,
        "reportable": mission.status in REPORTABLE,
    }
    return render(request, "results/report_form.html", context)


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "HEAD"])
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = report_for_user(request.user, pk)
    follow_ups = report.follow_ups.select_related("owner", "done_by")
    context = {
        "report": report,
        "mission": report.mission,
        "follow_ups": follow_ups,
        "today": timezone.localdate(),
    }
    return render(request, "results/report_detail.html", context)


@role_required(Role.MEMBER_FOCAL_POINT)
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_create(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """A beneficiary's evaluation of the mission and of each of its experts."""
    mission = mission_results_for(request.user, pk)
    organisation = beneficiary_of(request.user, mission)
    if organisation is None:
        raise Http404("Not a beneficiary of this mission.")
    if Evaluation.objects.filter(mission=mission, organisation=organisation).exists():
        messages.info(
            request, _("%(org)s has evaluated this mission already.") % {"org": organisation}
        )
        return redirect("results:evaluation_detail", pk=mission.pk)
    experts = mission_experts(mission)
    data = request.POST if request.method == "POST" else None
    form = EvaluationForm(data, experts=experts)
    if data is not None and form.is_valid():
        try:
            services.evaluation_submit(
                mission=mission,
                by=request.user,
                rating=form.cleaned_data["rating"],
                comments=form.cleaned_data["comments"],
                expert_ratings=[services.ExpertRatingSpec(*row) for row in form.expert_ratings()],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Thank you: your evaluation is recorded."))
            return redirect("results:evaluation_detail", pk=mission.pk)
    context = {
        "mission": mission,
        "organisation": organisation,
        "form": form,
        "experts": experts,
        "evaluable": mission.status in DONE_MISSION_STATUSES,
    }
    return render(request, "results/evaluation_form.html", context)


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "HEAD"])
def evaluation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The mission's evaluations as the reader may see them: averages for all, comments and
    expert ratings for those concerned (``results.selectors``)."""
    mission = mission_results_for(request.user, pk)
    access = evaluation_access(request.user, mission)
    context = {
        "mission": mission,
        "summary": evaluation_summary(mission),
        "evaluations": evaluations_for(mission, access),
        "averages_only": not (access.everything or access.comments or access.experts),
        "may_evaluate": _may_evaluate(request, mission),
    }
    return render(request, "results/evaluation_detail.html", context)
