"""What the agreement views share: who may come, and the agreement's page, rendered again with
the bound form when an action on it fails."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpResponseBase
from django.shortcuts import redirect, render

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.agreements.forms import (
    ActualCostForm,
    AgreementTransitionForm,
    BudgetLineForm,
    DocumentForm,
    FundingForm,
)
from renfort.agreements.models import AGREEMENT_TRANSITIONS, Agreement
from renfort.agreements.selectors import agreement_money, missions_to_fund
from renfort.missions.selectors import missions_visible_to

# Everyone but experts: an organisation of any kind can be a party.
AGREEMENT_ROLES = (
    Role.SECRETARIAT_COORDINATOR,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)
SECRETARIAT = Role.SECRETARIAT_COORDINATOR
PAGE_SIZE = 50
# The tables of an agreement's page grow with the years: each shows one page at a time.
DETAIL_PAGE_SIZE = 25
HISTORY_SHOWN = 20
# The section of the agreement's page that holds each of the secretariat's forms.
SECTIONS = {
    "line_form": "lines",
    "funding_form": "missions",
    "cost_form": "costs",
    "document_form": "documents",
    "transition_form": "status",
}


def page_of(request: AuthedRequest, qs: Any, param: str, size: int = DETAIL_PAGE_SIZE) -> Page[Any]:
    """One page of ``qs``, read from ``?<param>=``, with ``prev_query`` and ``next_query``:
    the page's address for the pages beside it (the other tables keep their pages)."""
    page = Paginator(qs, size).get_page(request.GET.get(param))
    for attr, number in (
        ("prev_query", page.previous_page_number() if page.has_previous() else None),
        ("next_query", page.next_page_number() if page.has_next() else None),
    ):
        query = request.GET.copy()
        query[param] = str(number)
        setattr(page, attr, f"?{query.urlencode()}" if number else "")
    return page


def done(request: AuthedRequest, agreement: Agreement, message: str, anchor: str = "") -> Any:
    """After a successful action: say so, and go back to the agreement's page."""
    messages.success(request, message)
    response = redirect("agreements:agreement_detail", pk=agreement.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _secretariat_forms(agreement: Agreement, bound: dict[str, Any]) -> dict[str, Any]:
    lines = list(agreement.lines.all())
    return {
        "line_form": bound.get("line_form") or BudgetLineForm(),
        "funding_form": bound.get("funding_form") or FundingForm(lines=lines),
        "cost_form": bound.get("cost_form")
        or ActualCostForm(lines=lines, initial={"paid_currency": agreement.currency}),
        "document_form": bound.get("document_form") or DocumentForm(),
        "transition_form": bound.get("transition_form")
        or (
            AgreementTransitionForm(current=agreement.status)
            if AGREEMENT_TRANSITIONS.get(agreement.status)
            else None
        ),
        "missions_to_fund": missions_to_fund(agreement) if agreement.is_open else [],
    }


def render_detail(request: AuthedRequest, agreement: Agreement, **bound: Any) -> HttpResponseBase:
    """The agreement's page: terms, parties, money by budget line, missions funded, costs,
    documents, history; the secretariat's forms (``bound`` ones show a refusal)."""
    fundings = agreement.fundings.select_related(
        "mission", "mission__cost_estimate", "budget_line"
    ).order_by("mission__start", "mission__window_start", "mission__reference")
    funded = page_of(request, fundings, "missions_page")
    ids = [f.mission_id for f in funded.object_list]
    costs = agreement.actual_costs.select_related("mission", "budget_line").order_by(
        "-paid_on", "-id"
    )
    context: dict[str, Any] = {
        "agreement": agreement,
        "parties": agreement.parties.select_related("organisation").order_by(
            "role", "organisation__name"
        ),
        "money": agreement_money(agreement),
        "funded": funded,
        "visible": set(
            missions_visible_to(request.user).filter(id__in=ids).values_list("id", flat=True)
        ),
        "costs": page_of(request, costs, "costs_page"),
        "documents": page_of(request, agreement.documents.all(), "documents_page"),
        "history": list(
            agreement.history.select_related("by").order_by("-at", "-id")[:HISTORY_SHOWN]
        ),
        "is_secretariat": request.user.role == SECRETARIAT,
        "summary": [
            (form, SECTIONS.get(name, "content"))
            for name, form in bound.items()
            if form is not None and form.errors
        ],
    }
    if context["is_secretariat"]:
        context.update(_secretariat_forms(agreement, bound))
    return render(request, "agreements/agreement_detail.html", context)
