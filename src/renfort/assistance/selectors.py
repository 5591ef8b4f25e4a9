"""Reads of requests for assistance that depend on who asks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from renfort.accounts.models import Role, User
from renfort.assistance.models import ENDED_REQUEST_STATUSES, Request


def requests_visible_to(user: User) -> QuerySet[Request]:
    """Requests the user may see: all for the secretariat, their region's for a regional
    coordinator, their administration's for a member focal point, those behind funded missions
    for a donor focal point, none for an expert."""
    qs = Request.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return qs
    org = user.organisation
    if org is None:
        return qs.none()
    if user.role == Role.REGIONAL_COORDINATOR and org.region:
        ids = Request.objects.filter(administrations__region=org.region).values("id")
        return qs.filter(id__in=ids)
    if user.role == Role.MEMBER_FOCAL_POINT:
        ids = Request.objects.filter(administrations=org).values("id")
        return qs.filter(id__in=ids)
    if user.role == Role.DONOR_FOCAL_POINT:
        ids = Request.objects.filter(
            Q(missions__agreements__parties__organisation=org)
            & Q(missions__agreements__parties__role="funding")
        ).values("id")
        return qs.filter(id__in=ids)
    return qs.none()


def request_for_user(user: User, pk: int) -> Request:
    """The request if the user may see it; 404 otherwise."""
    try:
        return requests_visible_to(user).get(pk=pk)
    except Request.DoesNotExist as exc:
        raise Http404("No such request.") from exc


def request_duplicates(*, request: Request) -> QuerySet[Request]:
    """Other open requests that may ask for the same thing: a shared requesting
    administration, a shared topic and an overlapping preferred period (neither closed nor
    declined)."""
    ids = (
        Request.objects.filter(
            administrations__in=request.administrations.all(),
            topics__in=request.topics.all(),
            preferred_start__lte=request.preferred_end,
            preferred_end__gte=request.preferred_start,
        )
        .exclude(pk=request.pk)
        .exclude(status__in=ENDED_REQUEST_STATUSES)
        .values("id")
    )
    return Request.objects.filter(id__in=ids)


def duplicate_request_ids(requests: Iterable[Request]) -> dict[int, list[int]]:
    """For a page of requests, ``{request id: [ids of its possible duplicates]}`` in five
    queries whatever the number of requests (for flags in a list)."""
    page = list(requests)
    if not page:
        return {}
    ids = [r.pk for r in page]
    admins = _pairs(Request.administrations.through, "organisation_id", ids)
    topics = _pairs(Request.topics.through, "topic_id", ids)
    periods = {r.pk: (r.preferred_start, r.preferred_end) for r in page}
    candidates = (
        Request.objects.filter(
            administrations__in={a for s in admins.values() for a in s},
            topics__in={t for s in topics.values() for t in s},
            preferred_start__lte=max(end for _, end in periods.values()),
            preferred_end__gte=min(start for start, _ in periods.values()),
        )
        .exclude(status__in=ENDED_REQUEST_STATUSES)
        .values_list("id", "preferred_start", "preferred_end")
        .distinct()
    )
    others = {pk: (start, end) for pk, start, end in candidates}
    other_admins = _pairs(Request.administrations.through, "organisation_id", list(others))
    other_topics = _pairs(Request.topics.through, "topic_id", list(others))
    result: dict[int, list[int]] = {}
    for pk, (start, end) in periods.items():
        result[pk] = sorted(
            other
            for other, (o_start, o_end) in others.items()
            if other != pk
            and o_start <= end
            and o_end >= start
            and admins.get(pk, set()) & other_admins.get(other, set())
            and topics.get(pk, set()) & other_topics.get(other, set())
        )
    return result


def _pairs(through: Any, column: str, request_ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for request_id, value in through.objects.filter(request_id__in=request_ids).values_list(
        "request_id", column
    ):
        out.setdefault(request_id, set()).add(value)
    return out
