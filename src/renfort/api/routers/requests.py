"""Requests for assistance, as the request pages show them (``assistance.selectors``): the
secretariat sees all, a regional coordinator its region's, a member focal point its
administration's, a donor those behind the missions it funds; an expert none (403, as on the
page). A member focal point submits through ``assistance.services.request_submit``, whose
refusals come back as 422 naming the field."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Organisation, OrganisationKind, Region, Role, User
from renfort.api.fields import IsoDate, ObjectId
from renfort.api.pagination import PageQuery, page_of, paginate
from renfort.api.problems import errors
from renfort.assistance import services
from renfort.assistance.models import Level, Request, RequestStatus, RequestStatusChange
from renfort.assistance.selectors import request_for_user, requests_visible_to
from renfort.roster.models import Topic

router = Router(tags=["requests"])

SEES_REQUESTS = (
    Role.SECRETARIAT_COORDINATOR,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)
HISTORY_SHOWN = 200
CO_REQUESTING_MAX = 50


class OrganisationRef(Schema):
    id: int
    name: str
    country: str


class TopicRef(Schema):
    code: str
    name: str

    @staticmethod
    def resolve_name(obj: Topic) -> str:
        return str(obj)


class RequestOut(Schema):
    id: int
    reference: str
    title: str
    status: RequestStatus
    level: Level
    needs: str
    preferred_start: datetime.date
    preferred_end: datetime.date
    language: str = Field(description="ISO 639-1 code.")
    priority: int = Field(ge=1, le=5)
    created_at: datetime.datetime
    administrations: list[OrganisationRef]
    topics: list[TopicRef]

    @staticmethod
    def resolve_administrations(obj: Request) -> list[Organisation]:
        return list(obj.administrations.all())

    @staticmethod
    def resolve_topics(obj: Request) -> list[Topic]:
        return list(obj.topics.all())


class StatusChangeOut(Schema):
    from_status: RequestStatus | None
    to_status: RequestStatus
    at: datetime.datetime
    note: str = Field(description="Why, in the reader's language (Accept-Language).")

    @staticmethod
    def resolve_from_status(obj: RequestStatusChange) -> str | None:
        return obj.from_status or None

    @staticmethod
    def resolve_note(obj: RequestStatusChange) -> str:
        return obj.note_text


class RequestDetailOut(RequestOut):
    decline_reason: str
    history: list[StatusChangeOut]

    @staticmethod
    def resolve_history(obj: Request) -> list[RequestStatusChange]:
        rows = RequestStatusChange.objects.filter(request=obj).order_by("at", "id")
        return list(rows[:HISTORY_SHOWN])


class RequestFilters(PageQuery):
    status: RequestStatus | None = None
    level: Level | None = None
    topic: str | None = Field(None, max_length=40, description="Topic code.")
    region: Region | None = Field(None, description="Of a requesting administration.")
    organisation: ObjectId | None = Field(None, description="A requesting administration's id.")
    submitted_since: IsoDate | None = None


class RequestIn(Schema):
    title: str = Field(max_length=200)
    topics: list[str] = Field(max_length=20, description="Topic codes.")
    level: Level
    needs: str = Field(max_length=4000)
    preferred_start: IsoDate
    preferred_end: IsoDate
    language: str = Field(description="ISO 639-1 code, such as fr.")
    priority: int = Field(3, ge=1, le=5)
    co_requesting: list[ObjectId] = Field(
        default_factory=list,
        max_length=CO_REQUESTING_MAX,
        description="Ids of the other member administrations asking with yours (regional).",
    )


def requests_filtered(user: User, filters: RequestFilters) -> QuerySet[Request]:
    qs = requests_visible_to(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.level:
        qs = qs.filter(level=filters.level)
    links = Request.topics.through.objects
    if filters.topic:
        qs = qs.filter(pk__in=links.filter(topic__code=filters.topic).values("request_id"))
    admins = Request.administrations.through.objects
    if filters.region:
        qs = qs.filter(
            pk__in=admins.filter(organisation__region=filters.region).values("request_id")
        )
    if filters.organisation:
        qs = qs.filter(
            pk__in=admins.filter(organisation_id=filters.organisation).values("request_id")
        )
    if filters.submitted_since:
        qs = qs.filter(created_at__date__gte=filters.submitted_since)
    return qs.prefetch_related("administrations", "topics").order_by("-created_at", "-id")


def _roles(user: User) -> None:
    if user.role not in SEES_REQUESTS:
        raise PermissionDenied(_("Your role does not follow requests for assistance."))


@router.get(
    "",
    url_name="request_list",
    response={200: page_of(RequestOut), **errors(401, 403, 422, 429)},
    summary="List the requests you may see",
)
def request_list(request: AuthedRequest, filters: Query[RequestFilters]) -> dict[str, Any]:
    _roles(request.user)
    return paginate(requests_filtered(request.user, filters), filters)


@router.get(
    "{int:pk}/",
    url_name="request_detail",
    response={200: RequestDetailOut, **errors(401, 403, 404, 422, 429)},
    summary="One request, with its status history",
)
def request_detail(request: AuthedRequest, pk: ObjectId) -> Request:
    _roles(request.user)
    return request_for_user(request.user, pk)


def _by_keys(model: Any, field: str, keys: list[Any], label: str, **scope: Any) -> list[Any]:
    """The rows of ``model`` whose ``field`` is in ``keys``, in order, or a 422 naming the
    unknown ones under ``label``."""
    found = {getattr(o, field): o for o in model.objects.filter(**{f"{field}__in": keys}, **scope)}
    unknown = [str(k) for k in keys if k not in found]
    if unknown:
        raise ValidationError(
            {label: _("Unknown: %(values)s.") % {"values": ", ".join(unknown)}}, code="unknown"
        )
    return [found[k] for k in dict.fromkeys(keys)]


@router.post(
    "",
    url_name="request_submit",
    response={201: RequestDetailOut, **errors(401, 403, 422, 429)},
    summary="Submit a request for assistance (member focal point)",
)
def request_submit(request: AuthedRequest, payload: RequestIn) -> Status:
    """Your administration asks for help (with ``co_requesting``: a regional request). The
    same rules as the page: a refused rule answers 422 naming the field, and nothing is
    written."""
    user = request.user
    if user.role != Role.MEMBER_FOCAL_POINT or user.organisation is None:
        raise PermissionDenied(_("Only a member focal point submits a request."))
    others = _by_keys(
        Organisation,
        "pk",
        [pk for pk in payload.co_requesting if pk != user.organisation_id],
        "co_requesting",
        kind=OrganisationKind.MEMBER_ADMINISTRATION,
    )
    created = services.request_submit(
        by=user,
        title=payload.title,
        administrations=[user.organisation, *others],
        topics=_by_keys(Topic, "code", payload.topics, "topics"),
        level=payload.level,
        needs=payload.needs,
        preferred_start=payload.preferred_start,
        preferred_end=payload.preferred_end,
        language=payload.language,
        priority=payload.priority,
    )
    return Status(201, created)
