"""The year's delivery plan: its missions by region, level and topic with their objectives (a
page and a PDF), drafted, approved and published by the secretariat.

Before publication only the secretariat reads a plan (everyone else: 404); once published
every role but the experts reads it (experts: 403). Its content is read from the missions of
the year each time it is shown (``results.delivery_plan_contents``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.missions.models import Mission
from renfort.missions.selectors import missions_visible_to
from renfort.results import services
from renfort.results.delivery_plan_contents import (
    filter_plan_missions,
    mission_topics,
    plan_counts,
    plan_missions,
    plan_pdf,
    plan_rows,
)
from renfort.results.forms_framework import PlanFilterForm, PlanYearForm
from renfort.results.framework_selectors import (
    FRAMEWORK_ROLES,
    SECRETARIAT,
    delivery_plan_for_user,
    delivery_plans_visible_to,
    objectives_visible_to,
)
from renfort.results.models import DeliveryPlan, DeliveryPlanStatus

PAGE_SIZE = 25
# The transitions the plan's page offers as buttons (publishing asks once more first).
PAGE_TRANSITIONS = {DeliveryPlanStatus.APPROVED, DeliveryPlanStatus.DRAFT}


@role_required(*FRAMEWORK_ROLES)
@require_safe
def delivery_plan_list(request: AuthedRequest) -> HttpResponseBase:
    """The delivery plans the user may read, latest year first (the secretariat: every plan,
    and a year to open, drafted or not; others: the published ones)."""
    is_secretariat = request.user.role == SECRETARIAT
    form = PlanYearForm(request.GET or None) if is_secretariat else None
    if form is not None and form.is_bound and form.is_valid():
        return redirect("results:delivery_plan_detail", year=form.cleaned_data["year"])
    plans = delivery_plans_visible_to(request.user).order_by("-year")
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    this_year = timezone.localdate().year
    context = {
        "page": page,
        "form": form,
        "is_secretariat": is_secretariat,
        "years": [this_year, this_year + 1],
    }
    return render(request, "results/framework/delivery_plan_list.html", context)


def _row_links(request: AuthedRequest, rows: list[Mission]) -> tuple[set[int], set[int]]:
    """The missions and objectives of the page's rows the reader may open (two queries; none
    for the secretariat, who opens all)."""
    mission_ids = {m.pk for m in rows}
    objective_ids = {o.pk for m in rows for o in m.result_objectives.all()}
    if request.user.role == SECRETARIAT:
        return mission_ids, objective_ids
    missions = set(
        missions_visible_to(request.user).filter(pk__in=mission_ids).values_list("pk", flat=True)
    )
    objectives = set(
        objectives_visible_to(request.user)
        .filter(pk__in=objective_ids)
        .values_list("pk", flat=True)
    )
    return missions, objectives


@role_required(*FRAMEWORK_ROLES)
@require_safe
def delivery_plan_detail(request: AuthedRequest, year: int) -> HttpResponse:
    """The plan of ``year``: its missions counted by region, level and topic, then listed
    (filtered by the same, 25 a page) with the objectives each serves."""
    plan = delivery_plan_for_user(request.user, year)
    form = PlanFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    missions = filter_plan_missions(
        plan_missions(year), **{k: data.get(k) or "" for k in ("region", "level", "topic")}
    )
    page = Paginator(plan_rows(missions), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for m in rows:
        m.topic_names = mission_topics(m)
    openable_missions, openable_objectives = _row_links(request, rows)
    context = {
        "year": year,
        "plan": plan,
        "counts": plan_counts(year),
        "form": form,
        "filtered": any(data.values()),
        "page": page,
        "rows": rows,
        "openable_missions": openable_missions,
        "openable_objectives": openable_objectives,
        "is_secretariat": request.user.role == SECRETARIAT,
        "Status": DeliveryPlanStatus,
    }
    return render(request, "results/framework/delivery_plan_detail.html", context)


@role_required(*FRAMEWORK_ROLES)
@require_safe
def delivery_plan_file(request: AuthedRequest, year: int) -> HttpResponse:
    """The plan as a PDF in the reader's language (every mission of the year)."""
    plan = delivery_plan_for_user(request.user, year)
    content, name = plan_pdf(plan, year)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _existing(request: AuthedRequest, year: int) -> DeliveryPlan:
    plan = delivery_plan_for_user(request.user, year)
    if plan is None:
        raise Http404("The plan of this year is not drafted.")
    return plan


def _refused(request: AuthedRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@role_required(SECRETARIAT)
@require_POST
def delivery_plan_draft(request: AuthedRequest, year: int) -> HttpResponseBase:
    """Draft the plan of ``year`` (its content is read from the year's missions)."""
    delivery_plan_for_user(request.user, year)  # the year's range
    try:
        services.delivery_plan_create(year=year, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("The delivery plan of %(year)s is drafted: check it, then approve it.")
            % {"year": year},
        )
    return redirect("results:delivery_plan_detail", year=year)


@role_required(SECRETARIAT)
@require_POST
def delivery_plan_status(request: AuthedRequest, year: int) -> HttpResponseBase:
    """Approve the draft plan, or send the approved plan back to draft."""
    plan = _existing(request, year)
    to_status = request.POST.get("to_status", "")
    if to_status not in PAGE_TRANSITIONS:
        messages.error(request, _("Status: choose approve or back to draft."))
        return redirect("results:delivery_plan_detail", year=year)
    try:
        services.delivery_plan_transition(plan=plan, to_status=to_status, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        done = {
            DeliveryPlanStatus.APPROVED: _(
                "The delivery plan of %(year)s is approved; publish it to tell the members."
            ),
            DeliveryPlanStatus.DRAFT: _("The delivery plan of %(year)s is a draft again."),
        }[DeliveryPlanStatus(to_status)]
        messages.success(request, done % {"year": year})
    return redirect("results:delivery_plan_detail", year=year)


@role_required(SECRETARIAT)
@require_http_methods(["GET", "HEAD", "POST"])
def delivery_plan_publish(request: AuthedRequest, year: int) -> HttpResponseBase:
    """Publish the approved plan, after asking once more: every member focal point is told
    and may read it, and a published plan is not withdrawn."""
    plan = _existing(request, year)
    if request.method == "POST":
        try:
            services.delivery_plan_transition(
                plan=plan, to_status=DeliveryPlanStatus.PUBLISHED, by=request.user
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                _("The delivery plan of %(year)s is published; the members are told.")
                % {"year": year},
            )
        return redirect("results:delivery_plan_detail", year=year)
    context = {"plan": plan, "year": year, "counts": plan_counts(year)}
    return render(request, "results/framework/delivery_plan_publish.html", context)
