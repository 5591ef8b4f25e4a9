"""What a donor funds, what a beneficiary received and what a region's members did.

Donors and regions read ratings as aggregates only (how many, the mean, how many of each
value), never one expert's rating; a beneficiary reads the evaluations it gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from renfort.accounts.models import Organisation
from renfort.agreements.models import Agreement
from renfort.agreements.selectors import with_money
from renfort.assistance.models import (
    ACCEPTED_OR_LATER_REQUEST_STATUSES,
    APPRAISAL_REQUEST_STATUSES,
    Request,
    RequestStatus,
)
from renfort.missions.models import Assignment, Mission
from renfort.results.figures.access import (
    Party,
    agreements_within_view,
    funding_agreements,
    region_members,
)
from renfort.results.figures.common import (
    INDICATORS_SHOWN,
    LATEST,
    TOP,
    FollowUps,
    IndicatorRow,
    MissionCounts,
    Ratings,
    Topics,
    days_annotations,
    days_by_year,
    days_of,
    delivered_assignments,
    expert_days,
    follow_up_counts,
    indicator_rows,
    indicators_of,
    mission_counts,
    mission_rows,
    open_follow_ups,
    ratings_of,
    today,
    topics_of,
    with_days,
)
from renfort.results.models import (
    Evaluation,
    ExpertRating,
    FollowUpAction,
    FollowUpStatus,
    Indicator,
)

ZERO = Decimal("0")
ACCEPTED_OR_LATER = sorted(ACCEPTED_OR_LATER_REQUEST_STATUSES)


def places_on(party: Party) -> QuerySet[Assignment]:
    """The delivered places on the party's missions (as the viewer sees them)."""
    return delivered_assignments().filter(slot__mission__in=party.missions)


@dataclass(frozen=True)
class Money:
    """Budget, committed and spent in one currency (``agreements.selectors.with_money``)."""

    currency: str
    budget: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def spent_share(self) -> float | None:
        return round(float(self.spent / self.budget) * 100, 1) if self.budget else None


def money_by_currency(agreements: QuerySet[Agreement]) -> list[Money]:
    """The agreements' budget, committed and spent, summed per currency (one query)."""
    rows = (
        with_money(agreements)
        .order_by()
        .values("currency")
        .annotate(b=Sum("budget"), c=Sum("committed"), s=Sum("spent"))
        .order_by("currency")
    )
    return [Money(r["currency"], r["b"] or ZERO, r["c"] or ZERO, r["s"] or ZERO) for r in rows]


def party_agreements(party: Party) -> QuerySet[Agreement]:
    """The donor's funding agreements the viewer may see, with their money, latest first."""
    assert party.organisation is not None
    agreements = agreements_within_view(party.viewer, funding_agreements(party.organisation))
    return with_money(agreements).order_by("-start", "reference")


def spent_share(agreement: Agreement) -> float | None:
    spent, budget = getattr(agreement, "spent", ZERO), agreement.budget
    return round(float(spent / budget) * 100, 1) if budget else None


@dataclass(frozen=True)
class Indicators:
    count: int
    shown: list[IndicatorRow]


def indicators_shown(qs: QuerySet[Indicator]) -> Indicators:
    return Indicators(qs.count(), indicator_rows(qs[:INDICATORS_SHOWN]))


@dataclass(frozen=True)
class Funding:
    agreements_count: int
    money: list[Money]
    agreements: list[Agreement]
    missions: MissionCounts
    days: int
    experts: int
    evaluations: Ratings
    expert_ratings: Ratings
    topics: Topics
    indicators: Indicators
    latest: list[Mission]


def funding(party: Party) -> Funding:
    """What the donor funds: its agreements' money, the missions and expert days, the
    ratings as aggregates, the topics and the progress of the indicators of what it funds."""
    agreements = party_agreements(party)
    places = places_on(party)
    ids = agreements.values("id")
    return Funding(
        agreements_count=agreements.count(),
        money=money_by_currency(Agreement.objects.filter(id__in=ids)),
        agreements=list(agreements[:LATEST]),
        missions=mission_counts(party.missions),
        days=expert_days(places),
        experts=places.values("expert_id").distinct().count(),
        evaluations=ratings_of(Evaluation.objects.filter(mission__in=party.missions)),
        expert_ratings=ratings_of(
            ExpertRating.objects.filter(evaluation__mission__in=party.missions)
        ),
        topics=topics_of(places.values("slot_id")),
        indicators=indicators_shown(
            indicators_of(missions=party.missions.values("id"), agreements=ids)
        ),
        latest=with_days(mission_rows(party.missions)[:LATEST]),
    )


def party_indicators(party: Party) -> QuerySet[Indicator]:
    """Every indicator a party's page draws (its full list): of the objectives linked to
    its missions, and to the donor's agreements or the members' requests."""
    missions = party.missions.values("id")
    if party.kind == "donor":
        return indicators_of(missions=missions, agreements=party_agreements(party).values("id"))
    return indicators_of(missions=missions, requests=party_requests(party).values("id"))


def party_requests(party: Party) -> QuerySet[Request]:
    """The requests of the beneficiary, or of the region's members."""
    if party.organisation is not None:
        return Request.objects.filter(
            id__in=Request.administrations.through.objects.filter(
                organisation=party.organisation
            ).values("request_id")
        )
    return Request.objects.filter(
        id__in=Request.administrations.through.objects.filter(
            organisation__in=region_members(party.region)
        ).values("request_id")
    )


@dataclass(frozen=True)
class RequestCounts:
    total: int
    in_appraisal: int
    declined: int
    accepted: int  # accepted, then planned, delivered or closed


def request_counts(requests: QuerySet[Request]) -> RequestCounts:
    row = requests.aggregate(
        total=Count("pk"),
        appraisal=Count("pk", filter=Q(status__in=APPRAISAL_REQUEST_STATUSES)),
        declined=Count("pk", filter=Q(status=RequestStatus.DECLINED)),
        accepted=Count("pk", filter=Q(status__in=ACCEPTED_OR_LATER)),
    )
    return RequestCounts(row["total"], row["appraisal"], row["declined"], row["accepted"])


def follow_ups_owned(party: Party) -> QuerySet[FollowUpAction]:
    if party.organisation is not None:
        return FollowUpAction.objects.filter(owner=party.organisation)
    return FollowUpAction.objects.filter(owner__in=region_members(party.region))


@dataclass(frozen=True)
class Assistance:
    """What a beneficiary (or a region's members together) received."""

    requests: RequestCounts
    missions: MissionCounts
    days: int
    experts: int
    topics: Topics
    days_by_year: list[tuple[str, int]]
    follow_ups: FollowUps
    open_follow_ups: list[FollowUpAction]
    evaluations: Ratings
    indicators: Indicators
    latest: list[Mission]


def assistance(party: Party) -> Assistance:
    """Requests, missions received, expert days and topics, the follow-up actions owned,
    the evaluations given (a region: its members', as aggregates) and the indicators of the
    objectives linked to the requests and missions."""
    places = places_on(party)
    requests = party_requests(party)
    owned = follow_ups_owned(party)
    if party.organisation is not None:
        evaluations = Evaluation.objects.filter(organisation=party.organisation)
    else:
        evaluations = Evaluation.objects.filter(organisation__in=region_members(party.region))
    return Assistance(
        requests=request_counts(requests),
        missions=mission_counts(party.missions),
        days=expert_days(places),
        experts=places.values("expert_id").distinct().count(),
        topics=topics_of(places.values("slot_id")),
        days_by_year=days_by_year(places),
        follow_ups=follow_up_counts(owned),
        open_follow_ups=open_follow_ups(owned),
        evaluations=ratings_of(evaluations.filter(mission__in=party.missions)),
        indicators=indicators_shown(
            indicators_of(missions=party.missions.values("id"), requests=requests.values("id"))
        ),
        latest=with_days(mission_rows(party.missions)[:LATEST]),
    )


@dataclass(frozen=True)
class RegionExtras:
    members: int
    members_helped: int
    experts_lent: int
    days_lent: int
    days_by_member: list[tuple[str, int]]


def region_extras(party: Party) -> RegionExtras:
    """The region's members: how many, how many received a delivered mission, the top
    ``TOP`` by expert days received, and the experts they lent (to any mission: an
    aggregate of the region's own experts)."""
    members = region_members(party.region)
    places = places_on(party)
    received = (
        places.filter(slot__mission__beneficiaries__in=members)
        .values("slot__mission__beneficiaries__name")
        .annotate(**days_annotations())
        .order_by("-places", "-span", "slot__mission__beneficiaries__name")[:TOP]
    )
    helped = Mission.beneficiaries.through.objects.filter(
        organisation__in=members, mission_id__in=places.values("slot__mission_id")
    )
    lent = delivered_assignments().filter(expert__home_administration__in=members)
    return RegionExtras(
        members=members.count(),
        members_helped=helped.values("organisation_id").distinct().count(),
        experts_lent=lent.values("expert_id").distinct().count(),
        days_lent=expert_days(lent),
        days_by_member=[
            (r["slot__mission__beneficiaries__name"], days_of(r["span"], r["places"]))
            for r in received
        ],
    )


@dataclass(frozen=True)
class MemberLine:
    organisation: Organisation
    missions: int
    days: int
    open_follow_ups: int
    overdue: int


def member_table(party: Party, members: list[Organisation]) -> list[MemberLine]:
    """A page of the region's members, each with the missions and expert days it received
    and its open follow-up actions (two queries)."""
    ids = [m.pk for m in members]
    received = {
        r["slot__mission__beneficiaries"]: r
        for r in places_on(party)
        .filter(slot__mission__beneficiaries__in=ids)
        .values("slot__mission__beneficiaries")
        .annotate(**days_annotations())
        .order_by()
    }
    owned: dict[int, dict[str, Any]] = {
        r["owner_id"]: r
        for r in FollowUpAction.objects.filter(owner_id__in=ids, status=FollowUpStatus.OPEN)
        .values("owner_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today())))
        .order_by()
    }
    lines = []
    for org in members:
        row = received.get(org.pk, {})
        lines.append(
            MemberLine(
                organisation=org,
                missions=row.get("missions", 0),
                days=days_of(row.get("span"), row.get("places")),
                open_follow_ups=owned.get(org.pk, {}).get("n", 0),
                overdue=owned.get(org.pk, {}).get("late", 0),
            )
        )
    return lines
