"""An expert's track record and a lending administration's contribution: missions, days,
topics and the beneficiaries' ratings of each expert, which the expert, her home
administration and the secretariat read one by one (``results.selectors``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from renfort.missions.models import Assignment, Mission
from renfort.results.figures.access import Party
from renfort.results.figures.common import (
    LATEST,
    MissionCounts,
    Ratings,
    Topics,
    days_annotations,
    days_by_year,
    days_of,
    delivered_assignments,
    expert_days,
    mission_counts,
    mission_rows,
    ratings_of,
    topics_of,
    with_days,
)
from renfort.results.models import ExpertRating
from renfort.roster.models import Accreditation, Expert


def places_of(party: Party) -> QuerySet[Assignment]:
    """The delivered places of the party's experts (the expert, or the administration's)
    on the missions the viewer may see."""
    places = delivered_assignments().filter(slot__mission__in=party.missions)
    if party.expert is not None:
        return places.filter(expert=party.expert)
    return places.filter(expert__home_administration=party.organisation)


def ratings_received(party: Party) -> QuerySet[ExpertRating]:
    """The per-expert ratings of the party's experts on the missions the viewer may see."""
    ratings = ExpertRating.objects.filter(evaluation__mission__in=party.missions)
    if party.expert is not None:
        return ratings.filter(expert=party.expert)
    return ratings.filter(expert__home_administration=party.organisation)


def latest_ratings(party: Party, limit: int | None = LATEST) -> QuerySet[ExpertRating]:
    """The ratings with their comments, latest first (``limit`` of them, or all)."""
    qs = (
        ratings_received(party)
        .select_related("expert", "evaluation__mission", "evaluation__organisation")
        .order_by("-evaluation__submitted_at", "-pk")
    )
    return qs[:limit] if limit else qs


def _countries(places: QuerySet[Assignment]) -> int:
    through = Mission.beneficiaries.through.objects.filter(
        mission_id__in=places.values("slot__mission_id")
    )
    return through.values("organisation__country").distinct().count()


def missions_with_ratings(party: Party) -> QuerySet[Mission]:
    """The party's missions as a list shows them, with ``rating``: the mean of the ratings
    of the party's experts on each (the expert's own, on a track record)."""
    ratings = (
        ratings_received(party)
        .filter(evaluation__mission=OuterRef("pk"))
        .order_by()
        .values("evaluation__mission")
        .annotate(avg=Avg("rating"))
        .values("avg")
    )
    return mission_rows(party.missions).annotate(rating=Subquery(ratings))


@dataclass(frozen=True)
class TrackRecord:
    expert: Expert
    missions: MissionCounts
    days: int
    countries: int
    topics: Topics
    ratings: Ratings
    days_by_year: list[tuple[str, int]]
    first_day: datetime.date | None
    last_day: datetime.date | None
    latest: list[Mission]
    latest_ratings: list[ExpertRating]
    accreditations: list[Accreditation]


def track_record(party: Party) -> TrackRecord:
    """The expert's missions, days, topics and ratings (about a dozen queries, whatever her
    history), with her latest missions and ratings."""
    assert party.expert is not None
    places = places_of(party)
    period = places.aggregate(
        first=Min(Coalesce("slot__mission__delivery__actual_start", "slot__mission__start")),
        last=Max(Coalesce("slot__mission__delivery__actual_end", "slot__mission__end")),
    )
    return TrackRecord(
        expert=party.expert,
        missions=mission_counts(party.missions),
        days=expert_days(places),
        countries=_countries(places),
        topics=topics_of(places.values("slot_id")),
        ratings=ratings_of(ratings_received(party)),
        days_by_year=days_by_year(places),
        first_day=period["first"],
        last_day=period["last"],
        latest=with_days(missions_with_ratings(party)[:LATEST]),
        latest_ratings=list(latest_ratings(party)),
        accreditations=list(
            party.expert.accreditations.select_related("topic").order_by("topic__name", "pk")
        ),
    )


def delivered_missions(party: Party) -> list[Mission]:
    """Every mission the expert's record counts (delivered or later), latest first: what a
    certificate lists. One query (with the beneficiaries' prefetch)."""
    places = places_of(party)
    return with_days(mission_rows(Mission.objects.filter(id__in=places.values("slot__mission_id"))))


@dataclass(frozen=True)
class ExpertLine:
    """One expert's contribution, in an administration's table."""

    expert_id: int
    name: str
    missions: int
    days: int
    ratings: int = 0
    mean: float | None = None


def expert_lines(party: Party) -> QuerySet[Any]:
    """The administration's experts with delivered places, most missions first, as grouped
    rows (``expert_table`` turns a page of them into ``ExpertLine``s)."""
    return (
        places_of(party)
        .values("expert_id", "expert__first_name", "expert__last_name")
        .annotate(**days_annotations())
        .order_by("-missions", "-span", "expert__last_name", "expert_id")
    )


def expert_table(party: Party, rows: list[dict[str, Any]]) -> list[ExpertLine]:
    """``rows`` of ``expert_lines`` (a page) with each expert's ratings (one query)."""
    ids = [r["expert_id"] for r in rows]
    ratings = {
        r["expert_id"]: r
        for r in ratings_received(party)
        .filter(expert_id__in=ids)
        .order_by()
        .values("expert_id")
        .annotate(n=Count("pk"), mean=Avg("rating"))
    }
    return [
        ExpertLine(
            expert_id=r["expert_id"],
            name=f"{r['expert__first_name']} {r['expert__last_name']}",
            missions=r["missions"],
            days=days_of(r["span"], r["places"]),
            ratings=ratings.get(r["expert_id"], {}).get("n", 0),
            mean=_round(ratings.get(r["expert_id"], {}).get("mean")),
        )
        for r in rows
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


@dataclass(frozen=True)
class Contribution:
    experts_involved: int
    experts_in_pool: int
    missions: MissionCounts
    days: int
    countries: int
    topics: Topics
    ratings: Ratings
    days_by_year: list[tuple[str, int]]
    latest: list[Mission]
    latest_ratings: list[ExpertRating]


def contribution(party: Party) -> Contribution:
    """What the administration's experts did: missions, days, topics and their ratings."""
    assert party.organisation is not None
    places = places_of(party)
    return Contribution(
        experts_involved=places.values("expert_id").distinct().count(),
        experts_in_pool=Expert.objects.in_pool()
        .filter(home_administration=party.organisation)
        .count(),
        missions=mission_counts(party.missions),
        days=expert_days(places),
        countries=_countries(places),
        topics=topics_of(places.values("slot_id")),
        ratings=ratings_of(ratings_received(party)),
        days_by_year=days_by_year(places),
        latest=with_days(missions_with_ratings(party)[:LATEST]),
        latest_ratings=list(latest_ratings(party)),
    )
