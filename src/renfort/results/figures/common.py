"""The pieces every party's figures are made of, each one aggregate query (or a capped list):
expert days, topics, ratings, follow-ups, indicators, and the rows of a list of missions.

Days: a mission's days run from its first to its last day, both counted: the actual dates
once the secretariat recorded its delivery, else its planned dates. Expert days add up the
days of every expert who took part (accepted, confirmed or completed) in a mission delivered
or later (delivered, reported, closed).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext

from renfort.lib.charts import line_chart
from renfort.missions.models import (
    DEAD_MISSION_STATUSES,
    DONE_MISSION_STATUSES,
    TAKING_PART_ASSIGNMENT_STATUSES,
    UPCOMING_MISSION_STATUSES,
    Assignment,
    Mission,
    SlotRequirement,
)
from renfort.results.models import (
    Evaluation,
    ExpertRating,
    FollowUpAction,
    FollowUpStatus,
    Indicator,
    IndicatorActual,
    Objective,
)

DONE = sorted(DONE_MISSION_STATUSES)
UPCOMING = sorted(UPCOMING_MISSION_STATUSES)
TAKING_PART = sorted(TAKING_PART_ASSIGNMENT_STATUSES)
# How many rows a page shows of a list that grows with the years, before its link to the full
# (paginated) list; how many bars a chart draws; how many years a chart of years goes back.
LATEST = 10
TOP = 10
YEARS = 8
# Indicators drawn on a party's page (each with its line); the rest on the full list.
INDICATORS_SHOWN = 6
# Actuals drawn per indicator: the latest periods.
ACTUALS_DRAWN = 12


def today() -> datetime.date:
    return timezone.localdate()


# --- days -----------------------------------------------------------------------------------


def first_day(prefix: str = "") -> Coalesce:
    """A mission's first day: the actual one once delivered, else the planned one, else the
    opening of its window (a mission without dates yet)."""
    return Coalesce(
        F(f"{prefix}delivery__actual_start"), F(f"{prefix}start"), F(f"{prefix}window_start")
    )


def last_day(prefix: str = "") -> Coalesce:
    return Coalesce(F(f"{prefix}delivery__actual_end"), F(f"{prefix}end"), F(f"{prefix}window_end"))


def _span(prefix: str = "") -> Expression:
    """Last day − first day, as a duration (one day less than the days counted)."""
    first = Coalesce(F(f"{prefix}delivery__actual_start"), F(f"{prefix}start"))
    last = Coalesce(F(f"{prefix}delivery__actual_end"), F(f"{prefix}end"))
    return ExpressionWrapper(last - first, output_field=DurationField())


def days_of(span: datetime.timedelta | None, rows: int | None) -> int:
    """Days counted both ends included, from a summed span and the number of rows summed."""
    return (span.days if span else 0) + (rows or 0)


def delivered_assignments() -> QuerySet[Assignment]:
    """Experts' places on delivered missions: each is one expert's work on one mission."""
    return Assignment.objects.filter(status__in=TAKING_PART, slot__mission__status__in=DONE)


def expert_days(assignments: QuerySet[Assignment]) -> int:
    """The expert days of ``assignments`` (delivered ones: see ``delivered_assignments``)."""
    row = assignments.aggregate(span=Sum(_span("slot__mission__")), n=Count("pk"))
    return days_of(row["span"], row["n"])


def days_annotations() -> dict[str, Any]:
    """Annotations of a grouped query of assignments: ``span`` and ``places``, for
    ``days_of``; ``missions`` counts the distinct missions."""
    return {
        "span": Sum(_span("slot__mission__")),
        "places": Count("pk"),
        "missions": Count("slot__mission", distinct=True),
    }


def days_by_year(assignments: QuerySet[Assignment]) -> list[tuple[str, int]]:
    """Expert days per year of the missions' first day, the latest ``YEARS`` years."""
    rows = list(
        assignments.annotate(year=ExtractYear(first_day("slot__mission__")))
        .values("year")
        .annotate(span=Sum(_span("slot__mission__")), places=Count("pk"))
        .order_by("-year")[:YEARS]
    )
    return [(str(r["year"]), days_of(r["span"], r["places"])) for r in reversed(rows)]


# --- missions --------------------------------------------------------------------------------


def live(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """Not cancelled (``Mission.objects.live()``, for any query of missions)."""
    return missions.exclude(status__in=DEAD_MISSION_STATUSES)


@dataclass(frozen=True)
class MissionCounts:
    delivered: int
    upcoming: int
    total: int


def mission_counts(missions: QuerySet[Mission]) -> MissionCounts:
    """Missions delivered or later, scheduled or confirmed, and all that are not cancelled."""
    row = live(missions).aggregate(
        delivered=Count("pk", filter=Q(status__in=DONE)),
        upcoming=Count("pk", filter=Q(status__in=UPCOMING)),
        total=Count("pk"),
    )
    return MissionCounts(row["delivered"], row["upcoming"], row["total"])


def mission_rows(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """Missions as a list shows them (not cancelled), latest first: ``first`` and ``last``
    day (actual, planned, or the window), their beneficiaries prefetched (one query per
    page)."""
    return (
        live(missions)
        .annotate(first=first_day(), last=last_day())
        .prefetch_related("beneficiaries")
        .order_by(F("first").desc(nulls_last=True), "-pk")
    )


def shown_days(mission: Mission) -> int | None:
    """The days of a row of ``mission_rows`` (None for a mission without dates yet)."""
    first, last = getattr(mission, "first", None), getattr(mission, "last", None)
    if mission.start is None or first is None or last is None:
        return None
    return (last - first).days + 1


def with_days(missions: Iterable[Mission]) -> list[Mission]:
    """The rows, each with ``days_shown`` set (see ``shown_days``)."""
    rows = list(missions)
    for m in rows:
        m.days_shown = shown_days(m)  # type: ignore[attr-defined]
    return rows


# --- topics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topics:
    count: int
    top: list[tuple[str, int]]  # (topic name in the reader's language, missions)


def topics_of(slots: QuerySet[Any]) -> Topics:
    """The topics the ``slots`` (a query of slot ids) asked for, with the missions of each:
    the ``TOP`` most frequent, and how many topics in all."""
    requirements = SlotRequirement.objects.filter(slot_id__in=slots)
    top = list(
        requirements.values("topic__name")
        .annotate(n=Count("slot__mission", distinct=True))
        .order_by("-n", "topic__name")[:TOP]
    )
    count = requirements.values("topic").distinct().count()
    return Topics(count, [(gettext(r["topic__name"]), r["n"]) for r in top])


# --- ratings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratings:
    """How many ratings (1 to 5), their mean and how many of each value."""

    count: int = 0
    mean: float | None = None
    by_value: dict[int, int] = field(default_factory=dict)

    def distribution(self) -> list[tuple[str, int]]:
        return [(str(v), self.by_value.get(v, 0)) for v in range(5, 0, -1)]


def ratings_of(qs: QuerySet[ExpertRating] | QuerySet[Evaluation]) -> Ratings:
    """The ratings of ``qs`` (expert ratings or evaluations), aggregated (one query)."""
    rows = {r["rating"]: r["n"] for r in qs.order_by().values("rating").annotate(n=Count("pk"))}
    count = sum(rows.values())
    if not count:
        return Ratings()
    mean = sum(v * n for v, n in rows.items()) / count
    return Ratings(count, round(mean, 2), rows)


# --- follow-up actions -------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUps:
    open: int
    overdue: int
    done: int


def follow_up_counts(actions: QuerySet[FollowUpAction]) -> FollowUps:
    row = actions.aggregate(
        open=Count("pk", filter=Q(status=FollowUpStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=FollowUpStatus.OPEN, due_on__lt=today())),
        done=Count("pk", filter=Q(status=FollowUpStatus.DONE)),
    )
    return FollowUps(row["open"], row["overdue"], row["done"])


def open_follow_ups(actions: QuerySet[FollowUpAction]) -> list[FollowUpAction]:
    """The first ``LATEST`` open actions, soonest due first."""
    return list(
        actions.filter(status=FollowUpStatus.OPEN)
        .select_related("owner", "mission")
        .order_by("due_on", "pk")[:LATEST]
    )


# --- indicators --------------------------------------------------------------------------------


def indicators_of(
    *,
    missions: QuerySet[Any] | None = None,
    requests: QuerySet[Any] | None = None,
    agreements: QuerySet[Any] | None = None,
) -> QuerySet[Indicator]:
    """Indicators of the objectives linked to any of the missions, requests or agreements
    (queries of ids), each once."""
    linked = Q(pk__in=[])
    if missions is not None:
        by_mission = Objective.missions.through.objects.filter(mission_id__in=missions)
        linked |= Q(objective_id__in=by_mission.values("objective_id"))
    if requests is not None:
        by_request = Objective.requests.through.objects.filter(request_id__in=requests)
        linked |= Q(objective_id__in=by_request.values("objective_id"))
    if agreements is not None:
        by_agreement = Objective.agreements.through.objects.filter(agreement_id__in=agreements)
        linked |= Q(objective_id__in=by_agreement.values("objective_id"))
    return (
        Indicator.objects.filter(linked)
        .select_related("objective")
        .order_by("objective__title", "name", "pk")
    )


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    latest: IndicatorActual | None
    progress: Decimal | None
    chart: dict[str, object]

    @property
    def html_id(self) -> str:
        return f"indicator-{self.indicator.pk}"

    @property
    def percent(self) -> float | None:
        return None if self.progress is None else round(float(self.progress) * 100, 1)


def indicator_rows(indicators: QuerySet[Indicator]) -> list[IndicatorRow]:
    """``indicators`` (a slice of ``indicators_of``) with their actuals prefetched (one
    query), their progress (``Indicator.progress``, from the latest) and a line chart of the
    latest ``ACTUALS_DRAWN`` periods."""
    rows = []
    for indicator in indicators.prefetch_related("actuals"):
        actuals = sorted(indicator.actuals.all(), key=lambda a: a.period_start)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                latest=indicator.latest_actual(),
                progress=indicator.progress(),
                chart=line_chart(
                    [(a.period_start, a.value) for a in actuals[-ACTUALS_DRAWN:]],
                    baseline=indicator.baseline,
                    target=indicator.target,
                ),
            )
        )
    return rows
