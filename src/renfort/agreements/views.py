"""HTML views of coordination agreements: who funds, implements, benefits from and extends
which missions."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.agreements.forms import AgreementFilterForm
from renfort.agreements.models import AgreementParty
from renfort.agreements.selectors import agreement_for_user, agreements_visible_to
from renfort.missions.selectors import missions_visible_to

# Everyone but experts: an organisation of any kind can be a party.
AGREEMENT_ROLES = (
    Role.SECRETARIAT_COORDINATOR,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)
PAGE_SIZE = 50


@role_required(*AGREEMENT_ROLES)
@require_GET
def agreement_list(request: AuthedRequest) -> HttpResponse:
    """Agreements the user's organisation is a party to (all, for the secretariat)."""
    form = AgreementFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    qs = agreements_visible_to(request.user)
    if data.get("q"):
        qs = qs.filter(Q(reference__icontains=data["q"]) | Q(title__icontains=data["q"]))
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("role"):
        parties = AgreementParty.objects.filter(role=data["role"])
        if request.user.role != Role.SECRETARIAT_COORDINATOR:
            parties = parties.filter(organisation=request.user.organisation)
        qs = qs.filter(id__in=parties.values("agreement_id"))
    if data.get("active_on"):
        qs = qs.filter(start__lte=data["active_on"], end__gte=data["active_on"])
    qs = (
        qs.annotate(mission_count=Count("missions", distinct=True))
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation"))
        )
        .order_by("-start", "reference")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "agreements/agreement_list.html"
    if getattr(request, "htmx", False):
        template += "#agreement-table"
    return render(request, template, {"form": form, "page": page})


@role_required(*AGREEMENT_ROLES)
@require_GET
def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An agreement: parties and roles, budget, and the missions it funds."""
    agreement = agreement_for_user(request.user, pk)
    missions = list(
        agreement.missions.prefetch_related("beneficiaries").order_by(
            "start", "window_start", "reference"
        )
    )
    visible = set(
        missions_visible_to(request.user)
        .filter(id__in=[m.pk for m in missions])
        .values_list("id", flat=True)
    )
    parties = agreement.parties.select_related("organisation").order_by(
        "role", "organisation__name"
    )
    contributed = sum((p.contribution or 0) for p in parties)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": parties,
            "contributed": contributed,
            "missions": missions,
            "visible": visible,
        },
    )
