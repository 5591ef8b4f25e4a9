"""Results for each party: an expert's track record, a lending administration's contribution,
what a donor funds, what a beneficiary received, a region's results and the secretariat's
year in numbers; each page also as CSV, XLSX and PDF (``views.party_files``).

Each view checks the role (``role_required``: 403), then asks ``results.figures.access``
for the party, which answers 404 for another party's page; the secretariat opens any party's
page (an expert's by her id, an organisation's by its id, a region's by its code).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Region, Role
from renfort.accounts.permissions import role_required
from renfort.lib.charts import bar_chart
from renfort.results.figures import access
from renfort.results.figures.access import Party
from renfort.results.figures.cache import cached_figures
from renfort.results.figures.common import today
from renfort.results.figures.experts import contribution, expert_lines, expert_table, track_record
from renfort.results.figures.members import (
    assistance,
    funding,
    member_table,
    region_extras,
    spent_share,
)
from renfort.results.figures.year import year_figures, years_with_data

SECRETARIAT = Role.SECRETARIAT_COORDINATOR
EXPERT_ROLES = (SECRETARIAT, Role.EXPERT, Role.MEMBER_FOCAL_POINT)
MEMBER_ROLES = (SECRETARIAT, Role.MEMBER_FOCAL_POINT)
DONOR_ROLES = (SECRETARIAT, Role.DONOR_FOCAL_POINT, Role.MEMBER_FOCAL_POINT)
REGION_ROLES = (SECRETARIAT, Role.REGIONAL_COORDINATOR)
ALL_ROLES = tuple(Role.values)
PAGE_SIZE = 25


def _page(request: AuthedRequest, items: Any, size: int = PAGE_SIZE) -> Any:
    return Paginator(items, size).get_page(request.GET.get("page"))


def _render(request: AuthedRequest, template: str, party: Party, **context: Any) -> HttpResponse:
    return render(
        request,
        f"results/party/{template}",
        {
            "party": party,
            "today": today(),
            "is_secretariat": access.is_secretariat(request.user),
            **context,
        },
    )


@role_required(*ALL_ROLES)
@require_safe
def party_home(request: AuthedRequest) -> HttpResponseBase:
    """Where the Results link leads: the expert's track record, the donor's or the region's
    page (shown here, so the menu's link is that page); a member focal point chooses among
    its administration's pages; the secretariat among the year in numbers and the regions."""
    user = request.user
    expert = getattr(user, "expert", None)
    if user.role == Role.EXPERT and expert is not None:
        return expert_page(request, expert.pk)
    if user.role == Role.DONOR_FOCAL_POINT and user.organisation_id is not None:
        return donor_page(request, user.organisation_id)
    if user.role == Role.REGIONAL_COORDINATOR and user.region:
        return region_page(request, user.region)
    funds = user.organisation is not None and access.funding_agreements(user.organisation).exists()
    return render(
        request,
        "results/party/home.html",
        {
            "is_secretariat": user.role == SECRETARIAT,
            "is_member": user.role == Role.MEMBER_FOCAL_POINT and user.organisation is not None,
            "funds": funds,
            "regions": list(Region.choices),
        },
    )


@role_required(*EXPERT_ROLES)
@require_safe
def expert_record(request: AuthedRequest, pk: int) -> HttpResponse:
    """An expert's track record: missions, days, topics, and the beneficiaries' ratings of
    her work with their comments (she, her home administration and the secretariat read
    them one by one)."""
    return expert_page(request, pk)


def expert_page(request: AuthedRequest, pk: int) -> HttpResponse:
    party = access.expert_party(request.user, pk)
    record = cached_figures(f"expert:{pk}", request.user, lambda: track_record(party))
    return _render(
        request,
        "expert.html",
        party,
        record=record,
        years_chart=bar_chart(record.days_by_year),
        topics_chart=bar_chart(record.topics.top),
    )


@role_required(*MEMBER_ROLES)
@require_safe
def lending(request: AuthedRequest, pk: int) -> HttpResponse:
    """A lending administration's contribution: its experts' missions, days and ratings."""
    party = access.lending_party(request.user, pk)
    figures = cached_figures(f"lending:{pk}", request.user, lambda: contribution(party))
    page = _page(request, expert_lines(party), 20)
    return _render(
        request,
        "lending.html",
        party,
        figures=figures,
        page=page,
        experts=expert_table(party, list(page.object_list)),
        years_chart=bar_chart(figures.days_by_year),
        ratings_chart=bar_chart(figures.ratings.distribution()),
    )


@role_required(*DONOR_ROLES)
@require_safe
def donor(request: AuthedRequest, pk: int) -> HttpResponse:
    """What a donor funds: missions, expert days, spending against budget per agreement, the
    ratings as aggregates, the progress of the indicators of what it funds."""
    return donor_page(request, pk)


def donor_page(request: AuthedRequest, pk: int) -> HttpResponse:
    party = access.donor_party(request.user, pk)
    figures = cached_figures(f"donor:{pk}", request.user, lambda: funding(party))
    shares = [(a.reference, spent_share(a) or 0) for a in figures.agreements]
    return _render(
        request,
        "donor.html",
        party,
        figures=figures,
        agreements=[(a, spent_share(a)) for a in figures.agreements],
        spent_chart=bar_chart(shares),
        topics_chart=bar_chart(figures.topics.top),
        progress_chart=_progress_chart(figures.indicators.shown),
    )


def _progress_chart(rows: Any) -> dict[str, object]:
    return bar_chart([(r.indicator.name, r.percent or 0) for r in rows])


@role_required(*MEMBER_ROLES)
@require_safe
def beneficiary(request: AuthedRequest, pk: int) -> HttpResponse:
    """What a beneficiary received: missions, expert days, topics, its open follow-up
    actions, and the progress of the indicators linked to its requests and missions."""
    party = access.beneficiary_party(request.user, pk)
    figures = cached_figures(f"beneficiary:{pk}", request.user, lambda: assistance(party))
    return _render(
        request,
        "beneficiary.html",
        party,
        figures=figures,
        years_chart=bar_chart(figures.days_by_year),
        topics_chart=bar_chart(figures.topics.top),
        progress_chart=_progress_chart(figures.indicators.shown),
    )


@role_required(*REGION_ROLES)
@require_safe
def region(request: AuthedRequest, code: str) -> HttpResponse:
    """A region's results: the same figures for its members together, and each member."""
    return region_page(request, code)


def region_page(request: AuthedRequest, code: str) -> HttpResponse:
    party = access.region_party(request.user, code)
    figures, extras = cached_figures(
        f"region:{code}", request.user, lambda: (assistance(party), region_extras(party))
    )
    page = _page(request, access.region_members(party.region), 20)
    return _render(
        request,
        "region.html",
        party,
        figures=figures,
        extras=extras,
        page=page,
        members=cached_figures(
            f"region:{code}:members:{page.number}",
            request.user,
            lambda: member_table(party, list(page.object_list)),
        ),
        members_chart=bar_chart(extras.days_by_member),
        topics_chart=bar_chart(figures.topics.top),
        progress_chart=_progress_chart(figures.indicators.shown),
    )


def read_year(request: AuthedRequest, years: list[int]) -> tuple[int, str]:
    """The year asked for in ``?year=`` (else the current one) and a message when the
    address asks for a year Renfort cannot show."""
    text = (request.GET.get("year") or "").strip()
    current = today().year
    if not text:
        return current, ""
    if text.isdigit() and int(text) in years:
        return int(text), ""
    message = _("Year: “%(value)s” is not a year with data; choose one from %(low)s to %(high)s.")
    return current, message % {"value": text[:10], "low": years[-1], "high": years[0]}


@role_required(SECRETARIAT)
@require_safe
def year(request: AuthedRequest) -> HttpResponse:
    """The secretariat's year in numbers, with a year selector."""
    years = years_with_data()
    chosen, problem = read_year(request, years)
    figures = cached_figures(f"year:{chosen}", None, lambda: year_figures(chosen))
    return render(
        request,
        "results/party/year.html",
        {
            "figures": figures,
            "years": years,
            "year_error": problem,
            "regions": list(Region.choices),
            "status_chart": bar_chart(figures.missions_by_status),
            "region_chart": bar_chart(figures.missions_by_region),
            "level_chart": bar_chart(figures.missions_by_level),
            "requests_chart": bar_chart(figures.requests_by_status),
        },
    )
