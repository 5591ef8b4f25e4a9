"""Results, as the results pages show them.

- The framework (``results.framework_selectors``): objectives, their indicators (baseline,
  target, progress) and the values recorded for them (actuals). Every role but experts
  (403); another party's objective or indicator answers 404. The secretariat, or a member
  focal point of an administration the objective serves, records a value through
  ``services.indicator_actual_record`` (anyone else who reads it: 403; a broken rule: 422
  naming the field, nothing written).
- After a mission (``results.selectors``): its reports (whoever reads the mission's results;
  an expert only those of missions they took part in) and its evaluations, each reader seeing
  what the evaluation page shows them (averages for all; comments and ratings for those
  concerned).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import User
from renfort.api.pagination import PageQuery, page_of, paginate
from renfort.api.problems import errors
from renfort.assistance.models import Level
from renfort.results import services
from renfort.results.framework_selectors import (
    FRAMEWORK_ROLES,
    filter_objectives,
    indicator_for_user,
    objective_for_user,
    objective_rows,
    objectives_visible_to,
)
from renfort.results.indicator_cards import with_actuals
from renfort.results.models import (
    Direction,
    Evaluation,
    ExpertRating,
    Indicator,
    IndicatorActual,
    MissionReport,
)
from renfort.results.selectors import (
    evaluation_access,
    evaluation_summary,
    evaluations_for,
    mission_results_for,
    report_for_user,
    reports_visible_to,
)

router = Router(tags=["results"])

# Text with a NUL character is refused (422): PostgreSQL stores none.
NO_NUL = r"^[^\x00]*$"
# Ids beyond a database integer are refused (422) rather than sent to the database.
MAX_ID = 2_147_483_647
NUMBER = "A decimal number with two places, as a string."


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _framework(user: User) -> None:
    if user.role not in FRAMEWORK_ROLES:
        raise PermissionDenied(_("Your role does not read the results framework."))


# --- objectives -------------------------------------------------------------------------------


class ObjectiveOut(Schema):
    id: int
    title: str
    level: Level
    description: str
    indicator_count: int
    mission_count: int
    request_count: int
    agreement_count: int


class ObjectiveFilters(PageQuery):
    q: str | None = Field(None, max_length=100, pattern=NO_NUL, description="Part of the title.")
    level: Level | None = None
    agreement: str | None = Field(
        None,
        max_length=100,
        pattern=NO_NUL,
        description="Part of a linked agreement's reference or title.",
    )
    member: str | None = Field(
        None,
        max_length=100,
        pattern=NO_NUL,
        description="Part of the name (or the country code) of a member administration served.",
    )


@router.get(
    "objectives/",
    url_name="objective_list",
    response={200: page_of(ObjectiveOut), **errors(401, 403, 422, 429)},
    summary="List the objectives you may read, strategic first",
)
def objective_list(request: AuthedRequest, filters: Query[ObjectiveFilters]) -> dict[str, Any]:
    _framework(request.user)
    objectives = filter_objectives(
        objectives_visible_to(request.user),
        q=filters.q or "",
        level=filters.level or "",
        agreement=filters.agreement or "",
        member=filters.member or "",
    )
    return paginate(objective_rows(objectives), filters)


@router.get(
    "objectives/{int:pk}/",
    url_name="objective_detail",
    response={200: ObjectiveOut, **errors(401, 403, 404, 429)},
    summary="One objective (its indicators: indicator_list?objective=)",
)
def objective_detail(request: AuthedRequest, pk: int) -> Any:
    _framework(request.user)
    objective = objective_for_user(request.user, pk)
    return objective_rows(objectives_visible_to(request.user).filter(pk=objective.pk)).get()


# --- indicators and actuals -------------------------------------------------------------------


class ActualOut(Schema):
    period_start: datetime.date
    period_end: datetime.date
    value: str = Field(description=NUMBER)
    note: str
    recorded_by: str | None = Field(description="Who recorded it, as the page names them.")
    recorded_at: datetime.datetime | None

    @staticmethod
    def resolve_value(obj: IndicatorActual) -> str | None:
        return _number(obj.value)

    @staticmethod
    def resolve_recorded_by(obj: IndicatorActual) -> str | None:
        return str(obj.recorded_by) if obj.recorded_by else None


class IndicatorOut(Schema):
    id: int
    objective_id: int
    name: str
    unit: str
    direction: Direction
    baseline: str = Field(description=NUMBER)
    target: str = Field(description=NUMBER)
    baseline_date: datetime.date
    target_date: datetime.date
    latest: ActualOut | None = Field(description="The value of the latest period, if any.")
    progress: float | None = Field(
        description="(latest − baseline) / (target − baseline): 0 at the baseline, 1 at the "
        "target; null before any value."
    )

    @staticmethod
    def resolve_baseline(obj: Indicator) -> str | None:
        return _number(obj.baseline)

    @staticmethod
    def resolve_target(obj: Indicator) -> str | None:
        return _number(obj.target)

    @staticmethod
    def resolve_latest(obj: Indicator) -> IndicatorActual | None:
        return obj.latest_actual()

    @staticmethod
    def resolve_progress(obj: Indicator) -> float | None:
        progress = obj.progress()
        return None if progress is None else round(float(progress), 4)


class IndicatorFilters(PageQuery):
    objective: int | None = Field(None, ge=1, le=MAX_ID, description="An objective's id.")


class ActualIn(Schema):
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal = Field(max_digits=14, decimal_places=2)
    note: str = Field("", max_length=1000, pattern=NO_NUL)


def _indicators(user: User, filters: IndicatorFilters) -> QuerySet[Indicator]:
    qs = Indicator.objects.filter(objective__in=objectives_visible_to(user))
    if filters.objective:
        qs = qs.filter(objective_id=filters.objective)
    return with_actuals(qs.order_by("objective_id", "name", "id"))


@router.get(
    "indicators/",
    url_name="indicator_list",
    response={200: page_of(IndicatorOut), **errors(401, 403, 422, 429)},
    summary="List the indicators of the objectives you may read",
)
def indicator_list(request: AuthedRequest, filters: Query[IndicatorFilters]) -> dict[str, Any]:
    _framework(request.user)
    return paginate(_indicators(request.user, filters), filters)


@router.get(
    "indicators/{int:pk}/",
    url_name="indicator_detail",
    response={200: IndicatorOut, **errors(401, 403, 404, 429)},
    summary="One indicator, with its latest value and progress",
)
def indicator_detail(request: AuthedRequest, pk: int) -> Indicator:
    _framework(request.user)
    indicator = indicator_for_user(request.user, pk)
    return with_actuals(Indicator.objects.filter(pk=indicator.pk)).get()


@router.get(
    "indicators/{int:pk}/actuals/",
    url_name="indicator_actuals",
    response={200: page_of(ActualOut), **errors(401, 403, 404, 422, 429)},
    summary="The values recorded for an indicator, latest period first",
)
def indicator_actuals(request: AuthedRequest, pk: int, filters: Query[PageQuery]) -> Any:
    _framework(request.user)
    indicator = indicator_for_user(request.user, pk)
    actuals = indicator.actuals.select_related("recorded_by").order_by("-period_start", "-id")
    return paginate(actuals, filters)


@router.post(
    "indicators/{int:pk}/actuals/",
    url_name="indicator_actual_record",
    response={201: ActualOut, **errors(401, 403, 404, 422, 429)},
    summary="Record (or correct) an indicator's value for a period",
)
def indicator_actual_record(request: AuthedRequest, pk: int, payload: ActualIn) -> Status:
    """The secretariat, or a member focal point of an administration the objective serves.
    Recording the same period again corrects it. A broken rule answers 422 naming the field,
    and nothing is written."""
    _framework(request.user)
    indicator = indicator_for_user(request.user, pk)
    if not services.may_record_actuals(objective=indicator.objective, by=request.user):
        raise PermissionDenied(_("Only the secretariat or a focal point it serves records it."))
    actual = services.indicator_actual_record(
        indicator=indicator,
        by=request.user,
        period_start=payload.period_start,
        period_end=payload.period_end,
        value=payload.value,
        note=payload.note,
    )
    return Status(201, actual)


# --- reports and evaluations ------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    mission_id: int
    mission: str = Field(description="The mission's reference.")
    author: str = Field(description="The expert who wrote it.")
    submitted_at: datetime.datetime
    activities: str
    findings: str
    recommendations: str

    @staticmethod
    def resolve_mission(obj: MissionReport) -> str:
        return obj.mission.reference

    @staticmethod
    def resolve_author(obj: MissionReport) -> str:
        return str(obj.author)


class ReportFilters(PageQuery):
    mission: int | None = Field(None, ge=1, le=MAX_ID, description="A mission's id.")


@router.get(
    "reports/",
    url_name="report_list",
    response={200: page_of(ReportOut), **errors(401, 422, 429)},
    summary="List the mission reports you may read",
)
def report_list(request: AuthedRequest, filters: Query[ReportFilters]) -> dict[str, Any]:
    qs = reports_visible_to(request.user).select_related("mission", "author")
    if filters.mission:
        qs = qs.filter(mission_id=filters.mission)
    return paginate(qs.order_by("-submitted_at", "-id"), filters)


@router.get(
    "reports/{int:pk}/",
    url_name="report_detail",
    response={200: ReportOut, **errors(401, 404, 429)},
    summary="One mission report",
)
def report_detail(request: AuthedRequest, pk: int) -> MissionReport:
    return report_for_user(request.user, pk)


class RatingOut(Schema):
    expert: str
    home_administration: str | None
    rating: int = Field(ge=1, le=5)
    comment: str

    @staticmethod
    def resolve_expert(obj: ExpertRating) -> str:
        return str(obj.expert)

    @staticmethod
    def resolve_home_administration(obj: ExpertRating) -> str | None:
        home = obj.expert.home_administration
        return home.name if home else None


class EvaluationOut(Schema):
    organisation: str = Field(description="The beneficiary administration that evaluated.")
    submitted_at: datetime.datetime
    rating: int | None = Field(description="The mission's rating (1–5), where you may read it.")
    comments: str | None
    ratings: list[RatingOut] = Field(description="The experts' ratings you may read.")


class EvaluationsOut(Schema):
    mission_id: int
    count: int
    rating: float | None = Field(description="Average mission rating.")
    expert_rating: float | None = Field(description="Average expert rating.")
    evaluations: list[EvaluationOut]


def _evaluation(evaluation: Evaluation) -> dict[str, Any]:
    comments = evaluation.comments_shown  # type: ignore[attr-defined]
    return {
        "organisation": evaluation.organisation.name,
        "submitted_at": evaluation.submitted_at,
        "rating": evaluation.rating if comments else None,
        "comments": evaluation.comments if comments else None,
        "ratings": evaluation.shown,  # type: ignore[attr-defined]
    }


@router.get(
    "missions/{int:pk}/evaluations/",
    url_name="mission_evaluations",
    response={200: EvaluationsOut, **errors(401, 404, 429)},
    summary="A mission's evaluations, as far as they concern you",
)
def mission_evaluations(request: AuthedRequest, pk: int) -> dict[str, Any]:
    mission = mission_results_for(request.user, pk)
    access = evaluation_access(request.user, mission)
    summary = evaluation_summary(mission)
    return {
        "mission_id": mission.pk,
        "count": summary.count,
        "rating": None if summary.rating is None else round(summary.rating, 2),
        "expert_rating": None if summary.expert_rating is None else round(summary.expert_rating, 2),
        "evaluations": [_evaluation(e) for e in evaluations_for(mission, access)],
    }
