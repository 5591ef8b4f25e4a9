"""The shapes of missions in the API (``routers/missions.py``, ``routers/invitations.py``):
a mission, its slots, their assignments and the histories, as the mission page shows them."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from renfort.agreements.models import AgreementKind
from renfort.api.routers.requests import OrganisationRef
from renfort.assistance.models import Level, RequestStatus
from renfort.missions.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    AssignmentStatusChange,
    DistinctCountries,
    Mission,
    MissionStatus,
    MissionStatusChange,
    MissionType,
    Slot,
    SlotRequirement,
)
from renfort.roster.models import Category, ReleaseStatus


class RequirementOut(Schema):
    topic: str = Field(description="Topic code.")
    topic_name: str
    level: int = Field(ge=1, le=4, description="The lowest level the slot accepts.")

    @staticmethod
    def resolve_topic(obj: SlotRequirement) -> str:
        return obj.topic.code

    @staticmethod
    def resolve_topic_name(obj: SlotRequirement) -> str:
        return str(obj.topic)


class ExpertRef(Schema):
    id: int
    name: str
    home_administration: OrganisationRef

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


class StatusChangeOut(Schema):
    """A step of a status history (a mission's or an assignment's): who, when, why."""

    at: datetime.datetime
    by: str | None = Field(description="Who made the change, by name.")
    note: str = Field(description="Why, in the reader's language (Accept-Language).")

    @staticmethod
    def resolve_from_status(obj: AssignmentStatusChange | MissionStatusChange) -> str | None:
        return obj.from_status or None

    @staticmethod
    def resolve_by(obj: AssignmentStatusChange | MissionStatusChange) -> str | None:
        return str(obj.by) if obj.by else None

    @staticmethod
    def resolve_note(obj: AssignmentStatusChange | MissionStatusChange) -> str:
        return obj.note_text


class AssignmentChangeOut(StatusChangeOut):
    from_status: AssignmentStatus | None
    to_status: AssignmentStatus


class AssignmentOut(Schema):
    id: int
    status: AssignmentStatus
    release_status: ReleaseStatus = Field(description="The home administration's decision.")
    source: AssignmentSource
    pinned: bool
    fit: float | None
    explanation: str = Field(description="Why the expert fits, in the reader's language.")
    decline_reason: str
    expert: ExpertRef
    history: list[AssignmentChangeOut]

    @staticmethod
    def resolve_explanation(obj: Assignment) -> str:
        return obj.explanation_text

    @staticmethod
    def resolve_history(obj: Assignment) -> list[AssignmentStatusChange]:
        return list(obj.history.all())


class SlotOut(Schema):
    id: int
    position: int
    code: str = Field(description="The slot's code in planner runs: <reference>-<position>.")
    category: Category
    requirements: list[RequirementOut]
    assignments: list[AssignmentOut] = Field(
        description="The assignments the mission's page shows you, newest first: the current "
        "one (if any), and to the secretariat the past ones and proposals."
    )

    @staticmethod
    def resolve_requirements(obj: Slot) -> list[SlotRequirement]:
        return list(obj.requirements.all())

    @staticmethod
    def resolve_assignments(obj: Slot) -> list[Assignment]:
        return list(obj.assignments.all())


class MissionOut(Schema):
    id: int
    reference: str
    title: str
    type: MissionType
    level: Level
    status: MissionStatus
    language: str = Field(description="ISO 639-1 code.")
    start: datetime.date | None = Field(description="First day, once the mission has dates.")
    end: datetime.date | None
    window_start: datetime.date | None = Field(description="Without dates: the window.")
    window_end: datetime.date | None
    duration_days: int | None
    location: str
    priority: int
    beneficiaries: list[OrganisationRef]
    slot_count: int
    staffed_count: int = Field(description="Slots holding an active assignment.")

    @staticmethod
    def resolve_beneficiaries(obj: Mission) -> list[Any]:
        return list(obj.beneficiaries.all())


class MissionChangeOut(StatusChangeOut):
    from_status: MissionStatus | None
    to_status: MissionStatus


class MissionRequestRef(Schema):
    id: int
    reference: str
    title: str
    status: RequestStatus


class MissionAgreementRef(Schema):
    id: int
    reference: str
    title: str
    kind: AgreementKind


class MissionDetailOut(MissionOut):
    objectives: str
    distinct_countries: DistinctCountries
    straddle_weekend: bool
    cancel_reason: str
    created_at: datetime.datetime
    requests: list[MissionRequestRef] = Field(
        description="The requests answered that you may open."
    )
    requests_hidden: int = Field(description="Requests answered that you may not open.")
    agreements: list[MissionAgreementRef] = Field(
        description="The funding agreements you may open."
    )
    agreements_hidden: int = Field(description="Funding agreements you may not open.")
    slots: list[SlotOut]
    history: list[MissionChangeOut]

    # ``mission_detail`` reads these for its reader and leaves them on ``api_shown``.
    @staticmethod
    def resolve_requests(obj: Mission) -> Any:
        return obj.api_shown["requests"]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_requests_hidden(obj: Mission) -> Any:
        return obj.api_shown["requests_hidden"]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_agreements(obj: Mission) -> Any:
        return obj.api_shown["agreements"]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_agreements_hidden(obj: Mission) -> Any:
        return obj.api_shown["agreements_hidden"]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_slots(obj: Mission) -> Any:
        return obj.api_shown["slots"]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_history(obj: Mission) -> Any:
        return obj.api_shown["history"]  # type: ignore[attr-defined]
