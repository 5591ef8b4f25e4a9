"""Missions, as the mission pages show them (``missions.selectors``): the plan to every role,
each seeing ``missions_visible_to`` (the secretariat all, a regional coordinator its region's,
a member focal point those its administration receives, funds or lends an expert to, a donor
those it funds, an expert those she is invited to); another party's mission answers 404.

A mission's slots carry the assignments its page shows the reader
(``assignment_ids_shown_to``: proposals stay with the secretariat and the administration that
offered the expert; past assignments with the secretariat), each with its history. The
requests and agreements behind the mission are listed where the reader may open them, and
only counted otherwise, as the page says "A request you may not open"."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.utils.translation import gettext as _
from ninja import Query, Router
from pydantic import Field

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Region, User
from renfort.agreements.selectors import agreements_visible_to
from renfort.api.pagination import PageQuery, page_of, paginate
from renfort.api.problems import errors
from renfort.api.routers.mission_schemas import MissionDetailOut, MissionOut
from renfort.assistance.models import Level
from renfort.assistance.selectors import requests_visible_to
from renfort.missions import list_selectors
from renfort.missions.models import (
    Assignment,
    AssignmentStatusChange,
    Mission,
    MissionStatus,
    MissionType,
    Slot,
    SlotRequirement,
)
from renfort.missions.selectors import (
    assignment_ids_shown_to,
    mission_for_user,
    missions_visible_to,
)
from renfort.roster.models import Topic

router = Router(tags=["missions"])

HISTORY_SHOWN = 200


class MissionFilters(PageQuery):
    status: MissionStatus | None = None
    type: MissionType | None = None
    level: Level | None = None
    year: int | None = Field(None, ge=2000, le=2100, description="Missions meeting this year.")
    period_from: datetime.date | None = Field(None, description="Missions ending on or after.")
    period_to: datetime.date | None = Field(None, description="Missions starting on or before.")
    beneficiary: int | None = Field(None, ge=1, description="A beneficiary administration's id.")
    region: Region | None = Field(None, description="Of a beneficiary administration.")
    topic: str | None = Field(None, max_length=40, description="Topic code (slots or requests).")
    q: str | None = Field(None, max_length=100, description="Part of the reference or title.")


def _period(filters: MissionFilters) -> tuple[datetime.date | None, datetime.date | None]:
    start, end = filters.period_from, filters.period_to
    if filters.year is not None:
        first, last = datetime.date(filters.year, 1, 1), datetime.date(filters.year, 12, 31)
        start = max(start, first) if start else first
        end = min(end, last) if end else last
    if filters.period_from and filters.period_to and filters.period_to < filters.period_from:
        raise ValidationError({"period_to": _("The period ends before it starts.")})
    return start, end


def missions_filtered(user: User, filters: MissionFilters) -> QuerySet[Mission]:
    """The missions page's list (``missions.list_selectors``) with the API's filters."""
    topic = None
    if filters.topic:
        topic = Topic.objects.filter(code=filters.topic).first()
        if topic is None:
            return Mission.objects.none()
    start, end = _period(filters)
    data = {
        "q": filters.q,
        "type": filters.type,
        "level": filters.level,
        "region": filters.region,
        "topic": topic,
        "period_from": start,
        "period_to": end,
    }
    qs = list_selectors.missions_filtered(missions_visible_to(user), data)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.beneficiary:
        received = Mission.beneficiaries.through.objects.filter(organisation_id=filters.beneficiary)
        qs = qs.filter(id__in=received.values("mission_id"))
    return (
        list_selectors.with_open_slots(qs)
        .prefetch_related("beneficiaries")
        .annotate(status_order=list_selectors.status_order())
        .order_by("status_order", "start", "window_start", "reference", "id")
    )


@router.get(
    "",
    url_name="mission_list",
    response={200: page_of(MissionOut), **errors(401, 422, 429)},
    summary="List the missions you may see",
)
def mission_list(request: AuthedRequest, filters: Query[MissionFilters]) -> dict[str, Any]:
    """The plan as the missions page shows it to you, filtered; every role may list, each
    sees only its missions."""
    return paginate(missions_filtered(request.user, filters), filters)


def _slots_shown(user: User, mission: Mission) -> list[Slot]:
    """The mission's slots, each with the assignments its page shows ``user`` (newest first)."""
    shown = assignment_ids_shown_to(user, mission)
    assignments = (
        Assignment.objects.filter(pk__in=shown)
        .select_related("expert__home_administration")
        .prefetch_related(
            Prefetch(
                "history",
                queryset=AssignmentStatusChange.objects.select_related("by").order_by("at", "id"),
            )
        )
        .order_by("-created_at", "-id")
    )
    return list(
        mission.slots.prefetch_related(
            Prefetch("requirements", queryset=SlotRequirement.objects.select_related("topic")),
            Prefetch("assignments", queryset=assignments),
        ).order_by("position", "id")
    )


@router.get(
    "{int:pk}/",
    url_name="mission_detail",
    response={200: MissionDetailOut, **errors(401, 404, 429)},
    summary="One mission: slots, assignments and status history",
)
def mission_detail(request: AuthedRequest, pk: int) -> Mission:
    """The mission as its page shows it to you; another party's mission answers 404."""
    user = request.user
    one = Mission.objects.filter(pk=mission_for_user(user, pk).pk)
    mission = list_selectors.with_open_slots(one).prefetch_related("beneficiaries").get()
    requests = list(requests_visible_to(user).filter(missions=mission).order_by("reference", "id"))
    agreements = list(
        agreements_visible_to(user).filter(missions=mission).order_by("reference", "id")
    )
    history = mission.history.select_related("by").order_by("at", "id")[:HISTORY_SHOWN]
    mission.api_shown = {  # type: ignore[attr-defined]
        "requests": requests,
        "requests_hidden": mission.requests.count() - len(requests),
        "agreements": agreements,
        "agreements_hidden": mission.agreements.count() - len(agreements),
        "slots": _slots_shown(user, mission),
        "history": list(history),
    }
    return mission
