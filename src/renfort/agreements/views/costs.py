"""The daily allowance rate table, and the actual costs the secretariat records on an
agreement after delivery."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.agreements import services
from renfort.agreements.forms import ActualCostForm, AllowanceRateForm
from renfort.agreements.messages import money
from renfort.agreements.models import DailyAllowanceRate
from renfort.agreements.selectors import agreement_for_user
from renfort.agreements.views.common import (
    AGREEMENT_ROLES,
    PAGE_SIZE,
    SECRETARIAT,
    done,
    render_detail,
)
from renfort.lib.countries import country_name
from renfort.lib.forms import add_service_error


@role_required(SECRETARIAT)
@require_POST
def actual_cost_add(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Record what was paid for a delivered mission, on one budget line."""
    agreement = agreement_for_user(request.user, pk)
    lines = list(agreement.lines.all())
    form = ActualCostForm(request.POST, lines=lines)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cost = services.actual_cost_record(
                agreement=agreement,
                mission=data["mission"],
                budget_line=next((x for x in lines if str(x.pk) == data["budget_line"]), None),
                description=data["description"],
                paid_on=data["paid_on"],
                paid_amount=data["paid_amount"],
                paid_currency=data["paid_currency"],
                exchange_rate=data["exchange_rate"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            message = _("Actual cost of %(amount)s recorded for %(mission)s.") % {
                "amount": money(cost.amount, agreement.currency),
                "mission": cost.mission.reference,
            }
            return done(request, agreement, message, "costs")
    return render_detail(request, agreement, cost_form=form)


@role_required(*AGREEMENT_ROLES)
def rate_list(request: AuthedRequest) -> HttpResponseBase:
    """The daily allowance and travel cost per expert of each country; the secretariat sets
    them here (setting a country again replaces its rate)."""
    is_secretariat = request.user.role == SECRETARIAT
    form = None
    if request.method == "POST":
        if not is_secretariat:
            raise PermissionDenied
        form = AllowanceRateForm(request.POST)
        if form.is_valid():
            try:
                rate = services.allowance_rate_set(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Rate of %(country)s saved.") % {"country": country_name(rate.country)},
                )
                return redirect("agreements:rate_list")
    elif is_secretariat:
        editing = DailyAllowanceRate.objects.filter(country=request.GET.get("country", "")).first()
        initial = (
            {
                "country": editing.country,
                "currency": editing.currency,
                "daily_allowance": editing.daily_allowance,
                "travel": editing.travel,
                "illustrative": editing.illustrative,
            }
            if editing
            else {"currency": "EUR"}
        )
        form = AllowanceRateForm(initial=initial)
    # One row per country at most: sorted by name in the reader's language.
    rates = sorted(DailyAllowanceRate.objects.all(), key=lambda r: country_name(r.country))
    page = Paginator(rates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/rate_list.html",
        {
            "page": page,
            "form": form,
            "is_secretariat": is_secretariat,
            "any_illustrative": any(r.illustrative for r in rates),
            "summary": [(form, "rate-form")] if form is not None and form.errors else [],
        },
    )
