"""Experts of the pool, as the roster pages show them (``roster.selectors``, docs/experts.md):
the list to the secretariat, regional coordinators and lending administrations (a donor or
an expert: 403, as on the page); one expert to those and to herself (anyone else: 404). Her
e-mail only to those who contact her (``shows_contact_details``); the reason of an unavailable
period only to herself."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role, User
from renfort.api.fields import ObjectId
from renfort.api.pagination import PageQuery, page_of, paginate
from renfort.api.problems import errors
from renfort.missions.released_days import released_days
from renfort.roster import selectors
from renfort.roster.models import (
    Accreditation,
    AccreditationStatus,
    Category,
    Expert,
    ReleaseStatus,
    Skill,
    Unavailability,
)
from renfort.roster.selectors import expert_for_user, shows_contact_details, with_profile

router = Router(tags=["experts"])

LIST_ROLES = (Role.SECRETARIAT_COORDINATOR, Role.REGIONAL_COORDINATOR, Role.MEMBER_FOCAL_POINT)
UNAVAILABLE_SHOWN = 100


class OrganisationRef(Schema):
    id: int
    name: str
    country: str


class SkillOut(Schema):
    topic: str = Field(description="Topic code.")
    topic_name: str
    level: int = Field(ge=1, le=4)

    @staticmethod
    def resolve_topic(obj: Skill) -> str:
        return obj.topic.code

    @staticmethod
    def resolve_topic_name(obj: Skill) -> str:
        return str(obj.topic)


class AccreditationOut(Schema):
    topic: str
    status: AccreditationStatus
    granted_on: datetime.date
    expires_on: datetime.date | None
    current: bool = Field(description="Granted and not expired today.")

    @staticmethod
    def resolve_topic(obj: Accreditation) -> str:
        return obj.topic.code

    @staticmethod
    def resolve_current(obj: Accreditation) -> bool:
        return obj.state_on(timezone.localdate()) == "current"


class ExpertOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str | None = Field(description="Only to those who contact her; otherwise null.")
    home_administration: OrganisationRef
    categories: list[Category]
    languages: list[str] = Field(description="Working languages, ISO 639-1 codes.")
    released_days_per_year: int
    release_status: ReleaseStatus
    active: bool
    skills: list[SkillOut]
    accreditations: list[AccreditationOut]

    @staticmethod
    def resolve_email(obj: Expert, context: dict[str, Any]) -> str | None:
        user = context["request"].user
        return (obj.email or None) if shows_contact_details(user, obj) else None

    @staticmethod
    def resolve_categories(obj: Expert) -> list[str]:
        return [c for c in obj.categories if c in Category.values]

    @staticmethod
    def resolve_skills(obj: Expert) -> list[Skill]:
        return list(obj.skills.all())

    @staticmethod
    def resolve_accreditations(obj: Expert) -> list[Accreditation]:
        return list(obj.accreditations.all())


class UnavailableOut(Schema):
    start: datetime.date
    end: datetime.date
    reason: str | None = Field(description="Her own words: only to herself; otherwise null.")


class ReleasedDaysOut(Schema):
    year: int
    released: int
    used: int
    left: int


class ExpertDetailOut(ExpertOut):
    unavailable: list[UnavailableOut] = Field(
        description="Her unavailable periods not yet over (the first 100)."
    )
    released_days: list[ReleasedDaysOut] = Field(description="This year and next.")

    @staticmethod
    def resolve_unavailable(obj: Expert, context: dict[str, Any]) -> list[dict[str, Any]]:
        own = obj.user_id is not None and obj.user_id == context["request"].user.pk
        periods = Unavailability.objects.filter(expert=obj, end__gte=timezone.localdate())
        return [
            {"start": p.start, "end": p.end, "reason": p.reason if own else None}
            for p in periods.order_by("start", "id")[:UNAVAILABLE_SHOWN]
        ]

    @staticmethod
    def resolve_released_days(obj: Expert) -> list[dict[str, int]]:
        return [
            {"year": r.year, "released": r.released, "used": r.used, "left": r.left}
            for r in released_days(obj, timezone.localdate())
        ]


class ExpertFilters(PageQuery):
    q: str | None = Field(None, max_length=100, description="Part of the first or last name.")
    topic: str | None = Field(None, max_length=40, description="Topic code.")
    min_level: int | None = Field(None, ge=1, le=4, description="With ``topic``: lowest level.")
    category: Category | None = None
    language: str | None = Field(None, pattern="^[a-z]{2}$", description="ISO 639-1 code.")
    organisation: ObjectId | None = Field(None, description="Home administration id.")
    release_status: ReleaseStatus | None = None


def experts_filtered(user: User, filters: ExpertFilters) -> QuerySet[Expert]:
    """The pool page's experts and filters (``roster.selectors.experts_filtered``), matched
    as the API does (``exact``)."""
    data = {
        "q": filters.q,
        "topic_code": filters.topic,
        "min_level": filters.min_level,
        "category": filters.category,
        "language": filters.language,
        "organisation": filters.organisation,
        "release_status": filters.release_status,
    }
    return selectors.experts_filtered(user, data, exact=True)


@router.get(
    "",
    url_name="expert_list",
    response={200: page_of(ExpertOut), **errors(401, 403, 422, 429)},
    summary="List the experts you may see",
)
def expert_list(request: AuthedRequest, filters: Query[ExpertFilters]) -> dict[str, Any]:
    """The secretariat sees the pool, a regional coordinator its region's experts, a member
    focal point those its administration lends; donors and experts may not list (403)."""
    if request.user.role not in LIST_ROLES:
        raise PermissionDenied(
            _("Only the secretariat, regional coordinators and member focal points list experts.")
        )
    return paginate(experts_filtered(request.user, filters), filters)


@router.get(
    "{int:pk}/",
    url_name="expert_detail",
    response={200: ExpertDetailOut, **errors(401, 403, 404, 422, 429)},
    summary="One expert",
)
def expert_detail(request: AuthedRequest, pk: ObjectId) -> Expert:
    """One expert as you may see her: her profile, unavailable periods and released days.
    A donor reads no expert's profile (403, as on the page)."""
    if request.user.role not in (*LIST_ROLES, Role.EXPERT):
        raise PermissionDenied(_("A donor focal point does not read experts' profiles."))
    expert = expert_for_user(request.user, pk)
    return with_profile(Expert.objects.filter(pk=expert.pk)).get()
