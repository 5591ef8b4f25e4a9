"""Reads of requests for assistance that depend on who asks."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from renfort.accounts.models import Role, User
from renfort.assistance.models import Request


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
