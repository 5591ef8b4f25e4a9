"""The audit trail's pages: every change of one object (for those who may see it) and the
secretariat's search through all changes (docs/audit.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role, User
from renfort.accounts.permissions import role_required
from renfort.agreements.selectors import agreement_for_user
from renfort.assistance.selectors import request_for_user
from renfort.lib.audit_trail import (
    HistoryEntry,
    Search,
    audited_models,
    object_history,
    search_history,
    targets_of,
)
from renfort.lib.dates import validate_date_in_range
from renfort.lib.forms import NamedErrorsForm
from renfort.missions.models import Mission
from renfort.missions.selectors import assignment_ids_shown_to, mission_for_user
from renfort.results.framework_selectors import FRAMEWORK_ROLES, indicator_for_user
from renfort.roster.selectors import expert_for_user

PAGE_SIZE = 50
# Merging several histories reads every row before the page asked for: pages stop here.
LAST_PAGE = 40
S, RC, M, D, E = (
    Role.SECRETARIAT_COORDINATOR,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
    Role.EXPERT,
)
# Each object whose page shows its history: who may open that page, and the helper that
# returns the object the reader may see (404 otherwise): the same as the page's own.
OBJECTS: dict[str, tuple[tuple[str, ...], Callable[[User, int], models.Model]]] = {
    "assistance.request": ((S, RC, M, D), request_for_user),
    "missions.mission": ((S, RC, M, D, E), mission_for_user),
    "roster.expert": ((S, RC, M, E), expert_for_user),
    "agreements.agreement": ((S, RC, M, D), agreement_for_user),
    "results.indicator": (tuple(str(r) for r in FRAMEWORK_ROLES), indicator_for_user),
}


DETAIL_PAGES = {
    "assistance.request": "assistance:request_detail",
    "missions.mission": "missions:mission_detail",
    "roster.expert": "roster:expert_detail",
    "agreements.agreement": "agreements:agreement_detail",
    "results.indicator": "results:indicator_detail",
}


def _with_links(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    for entry in entries:
        if entry.model_label in DETAIL_PAGES:
            entry.url = reverse(DETAIL_PAGES[entry.model_label], args=[entry.object_id])
    return entries


def _page(request: AuthedRequest) -> int:
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() else 1
    return min(max(number, 1), LAST_PAGE)


@role_required(*Role.values)
@require_GET
def object_changes(request: AuthedRequest, label: str, pk: int) -> HttpResponse:
    """Every recorded change of one object and its parts, 50 a page, newest first."""
    if label not in OBJECTS:
        raise Http404
    roles, access = OBJECTS[label]
    if request.user.role not in roles:
        raise PermissionDenied
    obj = access(request.user, pk)
    only = None
    if isinstance(obj, Mission):
        # As on the mission's page: only the assignments it shows this reader.
        only = {"missions.assignment": assignment_ids_shown_to(request.user, obj)}
    number = _page(request)
    entries = object_history(
        targets_of(obj, only), limit=PAGE_SIZE + 1, offset=(number - 1) * PAGE_SIZE
    )
    return render(
        request,
        "home/audit_object.html",
        {
            "object": obj,
            "entries": entries[:PAGE_SIZE],
            "previous_page": number - 1,
            "next_page": number + 1 if len(entries) > PAGE_SIZE and number < LAST_PAGE else 0,
            "query": "",
        },
    )


def _kinds() -> list[tuple[str, str]]:
    kinds = [(m._meta.label_lower, str(m._meta.verbose_name_plural)) for m in audited_models()]
    return [("", str(_("Every kind of object"))), *sorted(kinds, key=lambda k: k[1].lower())]


class AuditSearchForm(NamedErrorsForm):
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    who = forms.CharField(label=_("Changed by"), max_length=150, required=False)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    reference = forms.CharField(label=_("Reference or name"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kinds()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("To: the last day is before the first day."))
        return data


@role_required(S)
@require_GET
def audit_search(request: AuthedRequest) -> HttpResponse:
    """The secretariat's search through every recorded change: by kind of object, person (or
    task), period and reference; 50 a page, newest first. Other roles get 403."""
    form = AuditSearchForm(request.GET or None)
    entries: list[Any] = []
    number = _page(request)
    searched = form.is_bound and form.is_valid()
    if searched or not form.is_bound:
        data = form.cleaned_data if searched else {}
        search = Search(
            kind=data.get("kind", ""),
            who=data.get("who", "").strip(),
            since=data.get("since"),
            until=data.get("until"),
            reference=data.get("reference", "").strip(),
        )
        entries = search_history(search, limit=PAGE_SIZE + 1, offset=(number - 1) * PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "home/audit_search.html",
        {
            "form": form,
            "entries": _with_links(entries[:PAGE_SIZE]),
            "previous_page": number - 1,
            "next_page": number + 1 if len(entries) > PAGE_SIZE and number < LAST_PAGE else 0,
            "query": query.urlencode(),
        },
    )
