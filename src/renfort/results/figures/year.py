"""The secretariat's year in numbers.

A mission belongs to the year of its first day (planned, else the opening of its window); a
request to the year it was submitted; an agreement to every year its period touches (its
budget, committed and spent are its whole figures to date). Follow-up actions and
evaluations count with their mission's year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import ExtractYear

from renfort.accounts.models import OrganisationKind, Region
from renfort.agreements.models import Agreement, AgreementParty, PartyRole
from renfort.assistance.models import Level, Request, RequestStatus
from renfort.lib.dates import EARLIEST, LATEST
from renfort.missions.models import Mission, MissionStatus, Slot
from renfort.results.figures.common import (
    TAKING_PART,
    TOP,
    FollowUps,
    Ratings,
    days_annotations,
    days_of,
    delivered_assignments,
    expert_days,
    follow_up_counts,
    ratings_of,
    today,
)
from renfort.results.figures.common import (
    live as live_missions,
)
from renfort.results.figures.members import Money, money_by_currency
from renfort.results.models import Evaluation, ExpertRating, FollowUpAction


def year_missions(year: int) -> QuerySet[Mission]:
    """Missions whose first day (or, without dates, whose window's) falls in ``year``."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Mission.objects.filter(
        Q(start__gte=first, start__lte=last)
        | Q(start__isnull=True, window_start__gte=first, window_start__lte=last)
    )


def year_agreements(year: int) -> QuerySet[Agreement]:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Agreement.objects.filter(start__lte=last, end__gte=first)


def years_with_data() -> list[int]:
    """The years the selector offers: from the first to the last year with a mission or a
    request, and the current year, latest first."""
    missions = Mission.objects.aggregate(
        a=Min("start"), b=Max("start"), c=Min("window_start"), d=Max("window_start")
    )
    requests = Request.objects.aggregate(a=Min(ExtractYear("created_at")))
    now = today().year
    years = [d.year for d in missions.values() if d is not None] + [now]
    if requests["a"]:
        years.append(int(requests["a"]))
    low = max(min(years), EARLIEST.year)
    high = min(max(years), LATEST.year)
    return list(range(high, low - 1, -1))


def _counted(rows: QuerySet[Any], key: str, labels: dict[str, str]) -> list[tuple[str, int]]:
    found = {r[key]: r["n"] for r in rows}
    return [(label, found.get(code, 0)) for code, label in labels.items()]


@dataclass(frozen=True)
class Ranked:
    """A party in a year's top list, linked to its page."""

    pk: int
    name: str
    value: int
    extra: str = ""


@dataclass(frozen=True)
class YearFigures:
    year: int
    requests: int
    requests_by_status: list[tuple[str, int]]
    missions: int
    missions_by_status: list[tuple[str, int]]
    missions_by_region: list[tuple[str, int]]
    missions_by_level: list[tuple[str, int]]
    slots: int
    staffed: int
    days: int
    experts: int
    lenders: int
    money: list[Money]
    evaluations: Ratings
    expert_ratings: Ratings
    follow_ups: FollowUps
    top_lenders: list[Ranked]
    top_beneficiaries: list[Ranked]
    top_experts: list[Ranked]
    donors: list[Ranked]

    @property
    def staffing_rate(self) -> float | None:
        return round(self.staffed / self.slots * 100, 1) if self.slots else None


def _by_status(missions: QuerySet[Mission]) -> list[tuple[str, int]]:
    rows = missions.order_by().values("status").annotate(n=Count("pk"))
    return _counted(rows, "status", {s.value: str(s.label) for s in MissionStatus})


def _by_region(live: QuerySet[Mission]) -> list[tuple[str, int]]:
    rows = (
        Mission.beneficiaries.through.objects.filter(mission_id__in=live.values("id"))
        .values("organisation__region")
        .annotate(n=Count("mission_id", distinct=True))
        .order_by()
    )
    return _counted(rows, "organisation__region", {r.value: str(r.label) for r in Region})


def _staffing(live: QuerySet[Mission]) -> tuple[int, int]:
    """Slots of the year's live missions, and those held by an expert who accepted."""
    row = Slot.objects.filter(mission__in=live).aggregate(
        slots=Count("pk", distinct=True),
        staffed=Count("pk", distinct=True, filter=Q(assignments__status__in=TAKING_PART)),
    )
    return row["slots"], row["staffed"]


def _ranked(rows: QuerySet[Any], pk: str, name: str) -> list[Ranked]:
    return [Ranked(r[pk], r[name], days_of(r["span"], r["places"])) for r in rows]


def _top_lenders(places: QuerySet[Any]) -> list[Ranked]:
    rows = (
        places.values("expert__home_administration", "expert__home_administration__name")
        .annotate(**days_annotations())
        .order_by("-places", "-span", "expert__home_administration__name")[:TOP]
    )
    return _ranked(rows, "expert__home_administration", "expert__home_administration__name")


def _top_experts(places: QuerySet[Any]) -> list[Ranked]:
    rows = (
        places.values(
            "expert", "expert__first_name", "expert__last_name", "expert__home_administration__name"
        )
        .annotate(**days_annotations())
        .order_by("-places", "-span", "expert__last_name", "expert")[:TOP]
    )
    return [
        Ranked(
            r["expert"],
            f"{r['expert__first_name']} {r['expert__last_name']}",
            days_of(r["span"], r["places"]),
            r["expert__home_administration__name"],
        )
        for r in rows
    ]


def _top_beneficiaries(live: QuerySet[Mission]) -> list[Ranked]:
    rows = (
        Mission.beneficiaries.through.objects.filter(mission_id__in=live.values("id"))
        .values("organisation", "organisation__name")
        .annotate(n=Count("mission_id"))
        .order_by("-n", "organisation__name")[:TOP]
    )
    return [Ranked(r["organisation"], r["organisation__name"], r["n"]) for r in rows]


def _donors(agreements: QuerySet[Agreement]) -> list[Ranked]:
    rows = (
        AgreementParty.objects.filter(
            role=PartyRole.FUNDING,
            agreement__in=agreements,
            organisation__kind__in=[
                OrganisationKind.DONOR_AGENCY,
                OrganisationKind.MEMBER_ADMINISTRATION,
            ],
        )
        .values("organisation", "organisation__name")
        .annotate(n=Count("agreement", distinct=True))
        .order_by("-n", "organisation__name")[:TOP]
    )
    return [Ranked(r["organisation"], r["organisation__name"], r["n"]) for r in rows]


def year_figures(year: int) -> YearFigures:
    """The year in numbers (about twenty aggregate queries, whatever the volume)."""
    missions = year_missions(year)
    live = live_missions(missions)
    places = delivered_assignments().filter(slot__mission__in=live)
    requests = Request.objects.filter(created_at__year=year)
    request_rows = requests.order_by().values("status").annotate(n=Count("pk"))
    slots, staffed = _staffing(live)
    agreements = year_agreements(year)
    return YearFigures(
        year=year,
        requests=requests.count(),
        requests_by_status=_counted(
            request_rows, "status", {s.value: str(s.label) for s in RequestStatus}
        ),
        missions=live.count(),
        missions_by_status=_by_status(missions),
        missions_by_region=_by_region(live),
        missions_by_level=_counted(
            live.order_by().values("level").annotate(n=Count("pk")),
            "level",
            {lv.value: str(lv.label) for lv in Level},
        ),
        slots=slots,
        staffed=staffed,
        days=expert_days(places),
        experts=places.values("expert").distinct().count(),
        lenders=places.values("expert__home_administration").distinct().count(),
        money=money_by_currency(agreements),
        evaluations=ratings_of(Evaluation.objects.filter(mission__in=live)),
        expert_ratings=ratings_of(ExpertRating.objects.filter(evaluation__mission__in=live)),
        follow_ups=follow_up_counts(FollowUpAction.objects.filter(mission__in=live)),
        top_lenders=_top_lenders(places),
        top_beneficiaries=_top_beneficiaries(live),
        top_experts=_top_experts(places),
        donors=_donors(agreements),
    )
