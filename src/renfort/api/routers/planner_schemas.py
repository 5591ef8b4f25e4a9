"""The shapes of planner runs in the API (``routers/planner.py``): a run, its progress and
outcome, its plan a mission at a time, and what accepting it did."""

from __future__ import annotations

import datetime
from typing import Literal

from django.conf import settings
from ninja import Schema
from pydantic import Field

from renfort.api.pagination import PageQuery
from renfort.planning import services
from renfort.planning.models import PlannerRun, PlannerRunStatus

# The time limit a run started here may ask for: the new-run form's range, its top lowered by
# ``API_PLANNER_TIME_LIMIT_MAX_S`` where a deployment (or a test run) wants short runs only.
TIME_LIMIT_MIN = services.TIME_LIMIT_RANGE[0]
TIME_LIMIT_MAX = min(
    services.TIME_LIMIT_RANGE[1],
    float(getattr(settings, "API_PLANNER_TIME_LIMIT_MAX_S", services.TIME_LIMIT_RANGE[1])),
)
MISSIONS_MAX = 1000
SLOTS_MAX = 5000


class RunOut(Schema):
    id: int
    status: PlannerRunStatus
    created_at: datetime.datetime
    created_by: str | None
    period_start: datetime.date | None
    period_end: datetime.date | None
    time_limit_s: float
    finished_at: datetime.datetime | None
    mission_count: int = Field(description="Missions in the run.")
    staffed_count: int | None = Field(description="Missions staffed, once done.")
    proposal_count: int | None = Field(description="Slots filled, once done.")
    objective: int | None
    objective_bound: int | None
    plan_status: str = Field(description='The planner\'s verdict: "optimal", "feasible", ...')
    duration_s: float | None

    @staticmethod
    def resolve_created_by(obj: PlannerRun) -> str | None:
        return str(obj.created_by) if obj.created_by else None


class ProgressPoint(Schema):
    t: float = Field(description="Seconds since the planner started.")
    primary: int = Field(description="The best plan's primary objective so far.")
    bound: int | None = None


class QualityOut(Schema):
    missions: int
    staffed: int
    experts: int = Field(description="Distinct experts proposed.")
    administrations: int = Field(description="Their lending administrations.")
    crewed: int = Field(description="Staffed missions with two experts or more.")
    mixed: int = Field(description="Of those, missions whose experts' countries all differ.")


class LeftOutOut(Schema):
    reference: str
    mission_id: int | None
    reason: str = Field(description="Why, in the reader's language.")


class RunDetailOut(RunOut):
    progress: list[ProgressPoint]
    stalled: bool = Field(description="Queued or running long past its time limit.")
    failure: list[str] = Field(description="Why a failed run has no plan.")
    open_proposals: int | None = Field(description="Proposals still to accept, once done.")
    quality: QualityOut | None
    left_out: list[LeftOutOut] = Field(description="Missions the run could not plan (first 50).")
    left_out_count: int


class RunFilters(PageQuery):
    status: PlannerRunStatus | None = None


class RunIn(Schema):
    missions: list[int] = Field(
        default_factory=list,
        max_length=MISSIONS_MAX,
        description="Ids of plannable missions (draft, planned, scheduled, with slots).",
    )
    period_start: datetime.date | None = Field(
        None, description="Plannable missions meeting the period are planned without choosing."
    )
    period_end: datetime.date | None = None
    time_limit_s: float = Field(
        min(float(settings.PLANNER_TIME_LIMIT_S), TIME_LIMIT_MAX),
        ge=TIME_LIMIT_MIN,
        le=TIME_LIMIT_MAX,
        description="The planner returns its best plan when the time is up.",
    )


class ProposalOut(Schema):
    slot: str = Field(description="The slot's code: <reference>-<position>.")
    slot_position: int
    expert_id: str = Field(description="As in the plan (an expert's id).")
    expert_name: str | None = Field(description="None if the expert no longer exists.")
    country: str = Field(description="The expert's home country, by name.")
    fit: float | None
    explanation: str = Field(description="Why the expert fits, in the reader's language.")
    pinned: bool
    swapped: bool
    state: Literal["open", "held", "taken"] = Field(
        description="open: may be accepted; held: the slot holds this expert already; "
        "taken: the slot holds another expert now."
    )
    acceptable: bool
    declined: str | None = Field(description="The expert declined this slot before: why.")
    assignment_id: int | None = Field(description="The assignment holding the slot, if any.")


class MissionResultOut(Schema):
    mission_id: int | None = Field(description="None if the mission no longer exists.")
    reference: str
    title: str | None
    staffed: bool
    start: datetime.date | None = Field(description="The plan's dates for the mission.")
    end: datetime.date | None
    proposals: list[ProposalOut]
    reasons: list[str] = Field(description="Why an unstaffed mission stayed unstaffed.")


class ResultFilters(PageQuery):
    staffed: bool = Field(True, description="Staffed missions (true) or the unstaffed ones.")
    q: str = Field("", max_length=100, description="Part of a mission's reference or title.")


class AcceptIn(Schema):
    slots: list[str] = Field(
        default_factory=list,
        max_length=SLOTS_MAX,
        description="The slot codes of the proposals to accept.",
    )
    all: bool = Field(False, description="Accept every open proposal instead.")


class InvitedOut(Schema):
    slot: str
    assignment_id: int
    mission_id: int
    expert_id: int


class RefusedOut(Schema):
    slot: str
    reason: str = Field(description="The rule that refused it, in the reader's language.")


class AcceptOut(Schema):
    invited: list[InvitedOut]
    refused: list[RefusedOut]
