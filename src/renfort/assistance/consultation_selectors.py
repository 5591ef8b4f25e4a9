"""Reads of consultations that depend on who asks: the secretariat sees every consultation,
a regional coordinator those addressed to their region; nobody else sees them."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet
from django.http import Http404

from renfort.accounts.models import Role, User
from renfort.assistance.models import Consultation, Request
from renfort.assistance.selectors import requests_visible_to


def consultations_visible_to(user: User) -> QuerySet[Consultation]:
    qs = Consultation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return qs
    if user.role == Role.REGIONAL_COORDINATOR and user.region:
        return qs.filter(region=user.region)
    return qs.none()


def request_consultations(user: User, request: Request) -> list[Consultation]:
    """The consultations about ``request`` that ``user`` may see, with their answers."""
    return list(
        consultations_visible_to(user)
        .filter(request=request)
        .select_related("answer__by", "asked_by")
        .order_by("asked_at", "id")
    )


def consultation_for_coordinator(user: User, pk: int) -> Consultation:
    """A consultation the user, a regional coordinator, answers: addressed to their region,
    about a request they may see; 404 otherwise."""
    try:
        return (
            consultations_visible_to(user)
            .filter(region=user.region, request__in=requests_visible_to(user).values("pk"))
            .select_related("request")
            .get(pk=pk)
        )
    except Consultation.DoesNotExist as exc:
        raise Http404("No such consultation.") from exc


def attach_consultations(rows: Sequence[Request]) -> None:
    """Set ``consultation_rows`` on each request of a page (for the secretariat's queue), in
    one query whatever the number of requests."""
    found: dict[int, list[Consultation]] = {}
    if rows:
        for c in (
            Consultation.objects.filter(request__in=[r.pk for r in rows])
            .select_related("answer")
            .order_by("asked_at", "id")
        ):
            found.setdefault(c.request_id, []).append(c)
    for r in rows:
        r.consultation_rows = found.get(r.pk, [])  # type: ignore[attr-defined]
