"""Mission invitations, as the experts' pages show them: an expert lists hers
(``roster:invitations``, ``roster:my_missions``) and accepts or declines one through
``missions.services.assignment_transition``; a member focal point lists those of the experts
its administration lends (``roster:releases``) and answers for an expert who has no login
(``missions.services.on_behalf``, refused with 422 for an expert who has one). Other roles:
403; someone else's invitation: 404. A rule that refuses the answer (the invitation is no
longer open, the mission takes no more experts) answers 422 naming it, and nothing is
written."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role, User
from renfort.api.pagination import PageQuery, page_of, paginate
from renfort.api.problems import errors
from renfort.api.routers.mission_schemas import ExpertRef, RequirementOut
from renfort.api.routers.requests import OrganisationRef
from renfort.assistance.models import Level
from renfort.lib.limits import SHORT_TEXT
from renfort.missions.models import (
    KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
    MissionType,
    Slot,
    SlotRequirement,
)
from renfort.missions.services import assignment_transition
from renfort.missions.services.on_behalf import assignment_answer_on_behalf, may_answer_on_behalf
from renfort.roster.models import Category, ReleaseStatus

router = Router(tags=["invitations"])


class InvitedMissionOut(Schema):
    id: int
    reference: str
    title: str
    status: MissionStatus
    type: MissionType
    level: Level
    language: str = Field(description="ISO 639-1 code.")
    location: str
    start: datetime.date | None
    end: datetime.date | None
    window_start: datetime.date | None
    window_end: datetime.date | None
    duration_days: int | None
    beneficiaries: list[OrganisationRef]

    @staticmethod
    def resolve_beneficiaries(obj: Mission) -> list[Any]:
        return list(obj.beneficiaries.all())


class InvitedSlotOut(Schema):
    position: int
    code: str
    category: Category
    requirements: list[RequirementOut]

    @staticmethod
    def resolve_requirements(obj: Slot) -> list[SlotRequirement]:
        return list(obj.requirements.all())


class InvitationOut(Schema):
    id: int
    status: AssignmentStatus
    release_status: ReleaseStatus = Field(description="The home administration's decision.")
    decline_reason: str
    explanation: str = Field(description="Why the expert fits, in the reader's language.")
    expert: ExpertRef
    mission: InvitedMissionOut
    slot: InvitedSlotOut
    may_answer: bool = Field(description="You may accept or decline it now.")

    @staticmethod
    def resolve_explanation(obj: Assignment) -> str:
        return obj.explanation_text

    @staticmethod
    def resolve_mission(obj: Assignment) -> Mission:
        return obj.slot.mission

    @staticmethod
    def resolve_may_answer(obj: Assignment, context: dict[str, Any]) -> bool:
        user = context["request"].user
        if user.role == Role.EXPERT:
            return obj.status == AssignmentStatus.INVITED and obj.expert.user_id == user.pk
        return may_answer_on_behalf(user, obj)


class InvitationFilters(PageQuery):
    status: AssignmentStatus | None = Field(None, description="Default: every status.")
    mission: int | None = Field(None, ge=1, description="A mission's id.")


class DeclineIn(Schema):
    reason: str = Field(
        max_length=SHORT_TEXT, description="Why; the secretariat reads it (required)."
    )

    @field_validator("reason")
    @classmethod
    def _said(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Say why the invitation is declined."))
        return value.strip()


def invitations_of(user: User) -> QuerySet[Assignment]:
    """The invitations ``user`` follows: an expert her own, a member focal point those of the
    experts its administration lends (never proposals: those stay with the secretariat).
    Any other role: 403."""
    known = Assignment.objects.filter(status__in=KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES)
    if user.role == Role.EXPERT:
        return known.filter(expert__user=user)
    if user.role == Role.MEMBER_FOCAL_POINT and user.organisation_id is not None:
        return known.filter(expert__home_administration_id=user.organisation_id)
    raise PermissionDenied(
        _("Only experts and the focal points of their administrations follow invitations.")
    )


def _with_mission(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.select_related("expert__home_administration", "slot__mission").prefetch_related(
        "slot__mission__beneficiaries",
        Prefetch("slot__requirements", queryset=SlotRequirement.objects.select_related("topic")),
    )


def invitation_for_user(user: User, pk: int) -> Assignment:
    """The invitation if ``user`` follows it; 404 otherwise (403 for a role that follows none)."""
    try:
        return _with_mission(invitations_of(user)).get(pk=pk)
    except Assignment.DoesNotExist as exc:
        raise Http404("No such invitation.") from exc


@router.get(
    "",
    url_name="invitation_list",
    response={200: page_of(InvitationOut), **errors(401, 403, 422, 429)},
    summary="List your invitations (an expert) or your experts' (a member focal point)",
)
def invitation_list(request: AuthedRequest, filters: Query[InvitationFilters]) -> dict[str, Any]:
    qs = invitations_of(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.mission:
        qs = qs.filter(slot__mission_id=filters.mission)
    qs = _with_mission(qs).order_by("slot__mission__start", "slot__mission__window_start", "id")
    return paginate(qs, filters)


@router.get(
    "{int:pk}/",
    url_name="invitation_detail",
    response={200: InvitationOut, **errors(401, 403, 404, 429)},
    summary="One invitation",
)
def invitation_detail(request: AuthedRequest, pk: int) -> Assignment:
    return invitation_for_user(request.user, pk)


def _answer(request: AuthedRequest, pk: int, *, accept: bool, reason: str = "") -> Assignment:
    user = request.user
    assignment = invitation_for_user(user, pk)
    if user.role == Role.EXPERT:
        assignment_transition(
            assignment=assignment,
            to_status=AssignmentStatus.ACCEPTED if accept else AssignmentStatus.DECLINED,
            by=user,
            reason=reason,
        )
    else:
        assignment_answer_on_behalf(assignment=assignment, by=user, accept=accept, reason=reason)
    return invitation_for_user(user, pk)


@router.post(
    "{int:pk}/accept/",
    url_name="invitation_accept",
    response={200: InvitationOut, **errors(401, 403, 404, 422, 429)},
    summary="Accept an invitation",
)
def invitation_accept(request: AuthedRequest, pk: int) -> Assignment:
    """The expert takes the slot (a member focal point answers so for an expert of its
    administration who has no login); the secretariat is told."""
    return _answer(request, pk, accept=True)


@router.post(
    "{int:pk}/decline/",
    url_name="invitation_decline",
    response={200: InvitationOut, **errors(401, 403, 404, 422, 429)},
    summary="Decline an invitation, saying why",
)
def invitation_decline(request: AuthedRequest, pk: int, payload: DeclineIn) -> Assignment:
    """The expert does not take the slot; the secretariat reads the reason."""
    return _answer(request, pk, accept=False, reason=payload.reason)
