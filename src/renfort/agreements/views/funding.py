"""An agreement's budget lines and the missions it funds (the secretariat's forms on the
agreement's page), and a mission's funding and cost estimate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.agreements import services
from renfort.agreements.forms import BudgetLineForm, FundingChangeForm, FundingForm
from renfort.agreements.messages import money
from renfort.agreements.models import ActualCost, Agreement, BudgetLine, MissionCostEstimate
from renfort.agreements.selectors import (
    agreement_for_user,
    agreements_visible_to,
    fundings_visible_to,
)
from renfort.agreements.views.common import AGREEMENT_ROLES, SECRETARIAT, done, render_detail
from renfort.lib.forms import add_service_error
from renfort.missions.selectors import mission_for_user


def _summary(form: Any) -> list[tuple[Any, str]]:
    return [(form, "content")] if form.errors else []


def _line_of(agreement: Agreement, pk: str | int | None) -> BudgetLine | None:
    return agreement.lines.filter(pk=pk).first() if pk else None


@role_required(SECRETARIAT)
@require_POST
def budget_line_add(request: AuthedRequest, pk: int) -> HttpResponseBase:
    agreement = agreement_for_user(request.user, pk)
    form = BudgetLineForm(request.POST)
    if form.is_valid():
        try:
            line = services.budget_line_add(
                agreement=agreement, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return done(
                request,
                agreement,
                _("Budget line “%(name)s” added.") % {"name": line.name},
                "lines",
            )
    return render_detail(request, agreement, line_form=form)


@role_required(SECRETARIAT)
def budget_line_edit(request: AuthedRequest, pk: int, line_pk: int) -> HttpResponseBase:
    """Rename a budget line or change its amount."""
    agreement = agreement_for_user(request.user, pk)
    line = get_object_or_404(agreement.lines, pk=line_pk)
    form = BudgetLineForm(
        request.POST if request.method == "POST" else None,
        initial={"name": line.name, "amount": line.amount},
    )
    if form.is_bound and form.is_valid():
        try:
            services.budget_line_update(line=line, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return done(request, agreement, _("Budget line saved."), "lines")
    return render(
        request,
        "agreements/budget_line_form.html",
        {"agreement": agreement, "line": line, "form": form, "summary": _summary(form)},
    )


@role_required(SECRETARIAT)
@require_POST
def budget_line_remove(request: AuthedRequest, pk: int, line_pk: int) -> HttpResponseBase:
    agreement = agreement_for_user(request.user, pk)
    line = get_object_or_404(agreement.lines, pk=line_pk)
    try:
        services.budget_line_remove(line=line, by=request.user)
    except ValidationError as exc:
        # A bound form: add_error needs cleaned_data (an unbound one answered 500).
        form = BudgetLineForm({"name": line.name, "amount": line.amount})
        form.is_valid()
        form.add_error(None, exc)
        return render(
            request,
            "agreements/budget_line_form.html",
            {"agreement": agreement, "line": line, "form": form, "summary": _summary(form)},
        )
    return done(request, agreement, _("Budget line “%(name)s” removed.") % {"name": line.name})


@role_required(SECRETARIAT)
@require_POST
def funding_add(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Fund a mission, named by its reference, from a budget line."""
    agreement = agreement_for_user(request.user, pk)
    form = FundingForm(request.POST, lines=agreement.lines.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            funding = services.agreement_fund_mission(
                agreement=agreement,
                mission=data["mission"],
                amount=data["amount"],
                budget_line=_line_of(agreement, data["budget_line"]),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            message = _("%(agreement)s funds mission %(mission)s.") % {
                "agreement": agreement.reference,
                "mission": funding.mission.reference,
            }
            return done(request, agreement, message, "missions")
    return render_detail(request, agreement, funding_form=form)


def _funding_page(request: AuthedRequest, agreement: Agreement, funding: Any, form: Any) -> Any:
    return render(
        request,
        "agreements/funding_form.html",
        {"agreement": agreement, "funding": funding, "form": form, "summary": _summary(form)},
    )


@role_required(SECRETARIAT)
def funding_edit(request: AuthedRequest, pk: int, funding_pk: int) -> HttpResponseBase:
    """Change the amount or budget line of a mission's funding."""
    agreement = agreement_for_user(request.user, pk)
    funding = get_object_or_404(agreement.fundings.select_related("mission"), pk=funding_pk)
    initial = {"amount": funding.amount, "budget_line": funding.budget_line_id or ""}
    post = request.POST if request.method == "POST" else None
    form = FundingChangeForm(post, initial=initial, lines=agreement.lines.all())
    if post is not None and form.is_valid():
        try:
            services.agreement_fund_mission(
                agreement=agreement,
                mission=funding.mission,
                amount=form.cleaned_data["amount"],
                budget_line=_line_of(agreement, form.cleaned_data["budget_line"]),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return done(request, agreement, _("Funding saved."), "missions")
    return _funding_page(request, agreement, funding, form)


@role_required(SECRETARIAT)
@require_POST
def funding_remove(request: AuthedRequest, pk: int, funding_pk: int) -> HttpResponseBase:
    agreement = agreement_for_user(request.user, pk)
    funding = get_object_or_404(agreement.fundings.select_related("mission"), pk=funding_pk)
    try:
        services.mission_funding_remove(funding=funding, by=request.user)
    except ValidationError as exc:
        form = FundingChangeForm(
            initial={"amount": funding.amount, "budget_line": funding.budget_line_id or ""},
            lines=agreement.lines.all(),
        )
        form.add_error(None, exc)
        return _funding_page(request, agreement, funding, form)
    message = _("%(agreement)s no longer funds mission %(mission)s.") % {
        "agreement": agreement.reference,
        "mission": funding.mission.reference,
    }
    return done(request, agreement, message, "missions")


@role_required(*AGREEMENT_ROLES)
@require_GET
def mission_funding(request: AuthedRequest, mission_pk: int) -> HttpResponseBase:
    """A mission's cost estimate, the agreements (the user may see) that fund it, and the
    actual costs recorded under them."""
    mission = mission_for_user(request.user, mission_pk)
    estimate = MissionCostEstimate.objects.filter(mission=mission).first()
    visible = agreements_visible_to(request.user).values("id")
    costs = (
        ActualCost.objects.filter(mission=mission, agreement__in=visible)
        .select_related("agreement", "budget_line")
        .order_by("-paid_on", "-id")[:50]
    )
    return render(
        request,
        "agreements/mission_funding.html",
        {
            "mission": mission,
            "estimate": estimate,
            "fundings": list(fundings_visible_to(request.user, mission)),
            "costs": list(costs),
            "is_secretariat": request.user.role == SECRETARIAT,
        },
    )


@role_required(SECRETARIAT)
@require_POST
def mission_estimate(request: AuthedRequest, mission_pk: int) -> HttpResponseBase:
    """Compute the mission's cost estimate again from its slots, dates and the rate table."""
    mission = mission_for_user(request.user, mission_pk)
    try:
        estimate = services.mission_cost_estimate(mission=mission, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Cost estimate of %(mission)s computed: %(total)s.")
            % {"mission": mission.reference, "total": money(estimate.total, estimate.currency)},
        )
    return redirect("agreements:mission_funding", mission_pk=mission.pk)
