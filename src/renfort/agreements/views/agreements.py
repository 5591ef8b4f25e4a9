"""The agreements the user may see, each one's page, and the secretariat's forms to create an
agreement, change its terms and parties, and move its status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.agreements import services
from renfort.agreements.forms import (
    AgreementFilterForm,
    AgreementForm,
    AgreementTransitionForm,
    parties_from,
    party_formset,
)
from renfort.agreements.models import Agreement, AgreementStatus
from renfort.agreements.selectors import (
    agreement_for_user,
    agreements_filtered,
    with_list_columns,
)
from renfort.agreements.views.common import (
    AGREEMENT_ROLES,
    PAGE_SIZE,
    SECRETARIAT,
    done,
    render_detail,
)
from renfort.lib.forms import add_service_error
from renfort.lib.http import is_htmx


@role_required(*AGREEMENT_ROLES)
@require_GET
def agreement_list(request: AuthedRequest) -> HttpResponse:
    """Agreements the user may see, filtered by status, kind, role and date, paginated."""
    form = AgreementFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    qs = with_list_columns(agreements_filtered(request.user, data)).order_by("-start", "reference")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "agreements/agreement_list.html"
    if is_htmx(request):
        template += "#agreement-table"
    return render(
        request,
        template,
        {"form": form, "page": page, "is_secretariat": request.user.role == SECRETARIAT},
    )


@role_required(*AGREEMENT_ROLES)
@require_GET
def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """An agreement: parties and roles, budget by line (committed, spent), the missions it
    funds, its costs, documents and history."""
    return render_detail(request, agreement_for_user(request.user, pk))


def _party_rows(agreement: Agreement) -> list[dict[str, str]]:
    return [
        {"organisation": str(p.organisation_id), "role": p.role}
        for p in agreement.parties.order_by("role", "id")
    ]


def _save(
    request: AuthedRequest, agreement: Agreement | None, form: AgreementForm, parties: Any
) -> Agreement | None:
    """Call the service with the forms' values; the refusal goes on the forms."""
    data = form.cleaned_data
    terms = {
        "title": data["title"],
        "kind": data["kind"],
        "start": data["start"],
        "end": data["end"],
        "budget": data["budget"],
        "currency": data["currency"],
        "description": data["description"],
        "parties": parties_from(parties),
        "by": request.user,
    }
    try:
        if agreement is None:
            return services.agreement_create(reference=data.get("reference") or "", **terms)
        return services.agreement_update(agreement=agreement, **terms)
    except ValidationError as exc:
        add_service_error(form, exc)
    return None


def _form_page(request: AuthedRequest, agreement: Agreement | None) -> HttpResponseBase:
    editing = agreement is not None
    initial: dict[str, Any] = {}
    rows: list[dict[str, str]] = []
    if agreement is not None:
        initial = {f: getattr(agreement, f) for f in ("title", "kind", "start", "end")}
        initial.update(
            budget=agreement.budget,
            currency=agreement.currency,
            description=agreement.description,
        )
        rows = _party_rows(agreement)
    post = request.POST if request.method == "POST" else None
    form = AgreementForm(post, initial=initial, editing=editing)
    parties = party_formset(post, initial=rows, blank=3 if editing else 4)
    if post is not None and form.is_valid() and parties.is_valid():
        saved = _save(request, agreement, form, parties)
        if saved is not None:
            message = _("Agreement %(ref)s saved.") % {"ref": saved.reference}
            messages.success(request, message)
            return redirect("agreements:agreement_detail", pk=saved.pk)
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "parties": parties,
            "agreement": agreement,
            "summary": [(f, "parties") for f in (form, *parties.forms) if f.errors],
        },
    )


@role_required(SECRETARIAT)
def agreement_create(request: AuthedRequest) -> HttpResponseBase:
    """A new agreement: its terms and parties (it starts as a draft)."""
    return _form_page(request, None)


@role_required(SECRETARIAT)
def agreement_edit(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Change an agreement's terms and parties."""
    agreement = agreement_for_user(request.user, pk)
    if not agreement.is_open:
        messages.error(
            request,
            _("Agreement %(ref)s is closed: reopen it before changing it.")
            % {"ref": agreement.reference},
        )
        return redirect("agreements:agreement_detail", pk=agreement.pk)
    return _form_page(request, agreement)


@role_required(SECRETARIAT)
@require_POST
def agreement_transition(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Activate, close or reopen an agreement."""
    agreement = agreement_for_user(request.user, pk)
    form = AgreementTransitionForm(request.POST, current=agreement.status)
    if form.is_valid():
        try:
            services.agreement_transition(
                agreement=agreement,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_error(form, exc, default="to_status")
        else:
            label = AgreementStatus(form.cleaned_data["to_status"]).label
            return done(
                request,
                agreement,
                _("Agreement %(ref)s is now %(status)s.")
                % {"ref": agreement.reference, "status": str(label).lower()},
            )
    return render_detail(request, agreement, transition_form=form)
