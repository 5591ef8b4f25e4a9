"""The agreements list and the objectives of the results framework (with their filters), as
files."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Role, User
from renfort.agreements.forms import AgreementFilterForm
from renfort.agreements.selectors import agreements_filtered, with_list_columns
from renfort.exports.lists.base import ListExport, chunked, org_name, sheet
from renfort.lib.tabular import Sheet
from renfort.results.forms_framework import ObjectiveFilterForm
from renfort.results.framework_selectors import (
    FRAMEWORK_ROLES,
    filter_objectives,
    objective_rows,
    objectives_visible_to,
)

AGREEMENT_ROLES = tuple(
    str(r)
    for r in (
        Role.SECRETARIAT_COORDINATOR,
        Role.REGIONAL_COORDINATOR,
        Role.MEMBER_FOCAL_POINT,
        Role.DONOR_FOCAL_POINT,
    )
)


def agreement_rows(user: User, query: QueryDict) -> Sheet:
    """The agreements list's rows: its form, selector (``agreements.selectors``, as the page
    asks it) and order; amounts as numbers with their currency beside."""
    form = AgreementFilterForm(query or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    agreements = with_list_columns(agreements_filtered(user, data)).order_by("-start", "reference")
    headers = (
        _("Reference"),
        _("Title"),
        _("Kind"),
        _("Status"),
        _("Start"),
        _("End"),
        _("Budget"),
        _("Currency"),
        _("Committed"),
        _("Spent"),
        _("Parties"),
        _("Missions"),
    )
    rows = (
        [
            a.reference,
            a.title,
            a.get_kind_display(),
            a.get_status_display(),
            a.start,
            a.end,
            a.budget,
            a.currency,
            a.committed,  # type: ignore[attr-defined]
            a.spent,  # type: ignore[attr-defined]
            ", ".join(
                f"{org_name(p.organisation)} ({p.get_role_display()})" for p in a.parties.all()
            ),
            a.mission_count,  # type: ignore[attr-defined]
        ]
        for a in chunked(agreements)
    )
    return sheet(_("Agreements"), headers, rows)


def objective_list_rows(user: User, query: QueryDict) -> Sheet:
    """The objectives list's rows (results.views.framework.objective_list)."""
    form = ObjectiveFilterForm(query or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    objectives = objective_rows(
        filter_objectives(
            objectives_visible_to(user),
            **{k: data.get(k) or "" for k in ("q", "level", "agreement", "member")},
        )
    )
    headers = (
        _("Objective"),
        _("Level"),
        _("Indicators"),
        _("Missions"),
        _("Requests"),
        _("Agreements"),
    )
    rows = (
        [
            o.title,
            o.get_level_display(),
            o.indicator_count,  # type: ignore[attr-defined]
            o.mission_count,  # type: ignore[attr-defined]
            o.request_count,  # type: ignore[attr-defined]
            o.agreement_count,  # type: ignore[attr-defined]
        ]
        for o in chunked(objectives)
    )
    return sheet(_("Objectives"), headers, rows)


AGREEMENTS = ListExport(
    name="agreements",
    title=_("Agreements"),
    page="agreements:agreement_list",
    roles=AGREEMENT_ROLES,
    sheet=agreement_rows,
)
OBJECTIVES = ListExport(
    name="objectives",
    title=_("Objectives"),
    page="results:objective_list",
    roles=tuple(str(r) for r in FRAMEWORK_ROLES),
    sheet=objective_list_rows,
)
