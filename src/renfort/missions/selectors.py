"""Reads of missions that depend on who asks."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from renfort.accounts.models import Role, User
from renfort.assistance.models import APPRAISAL_REQUEST_STATUSES, Request, RequestStatus
from renfort.missions.models import (
    KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
)


def missions_visible_to(user: User) -> QuerySet[Mission]:
    """Missions the user may see.

    Secretariat: all. Regional coordinator: missions with a beneficiary in their region.
    Member focal point: missions their administration receives, funds, or lends an expert to.
    Donor focal point: missions of agreements their organisation funds. Expert: missions they
    are invited to or assigned to.
    """
    qs = Mission.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return qs
    org = user.organisation
    if user.role == Role.EXPERT:
        expert = getattr(user, "expert", None)
        if expert is None:
            return qs.none()
        ids = Assignment.objects.filter(
            expert=expert, status__in=KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES
        ).values("slot__mission_id")
        return qs.filter(id__in=ids)
    if org is None:
        return qs.none()
    if user.role == Role.REGIONAL_COORDINATOR and org.region:
        return qs.filter(id__in=_received_by(region=org.region))
    # Each way of being concerned is its own subquery of ids, joined by OR: one query whose
    # joins mix them (LEFT JOINs under an OR) reads every mission of the history on PostgreSQL.
    funded = Mission.objects.filter(
        agreements__parties__organisation=org, agreements__parties__role="funding"
    ).values("id")
    if user.role == Role.MEMBER_FOCAL_POINT:
        lent = Assignment.objects.filter(
            expert__home_administration=org, status__in=KNOWN_TO_EXPERT_ASSIGNMENT_STATUSES
        ).values("slot__mission_id")
        return qs.filter(
            Q(id__in=_received_by(organisation=org)) | Q(id__in=funded) | Q(id__in=lent)
        )
    if user.role == Role.DONOR_FOCAL_POINT:
        return qs.filter(id__in=funded)
    return qs.none()


def _received_by(*, organisation: Any = None, region: str = "") -> QuerySet[Any]:
    """Ids of the missions whose beneficiaries include the organisation (or one of the region)."""
    through = Mission.beneficiaries.through.objects
    if region:
        return through.filter(organisation__region=region).values("mission_id")
    return through.filter(organisation=organisation).values("mission_id")


def assignment_ids_shown_to(user: User, mission: Mission) -> list[int]:
    """The assignments of a mission whose names and changes the mission's page shows the user:
    the secretariat, all; anyone else, the current ones, without the proposals (except to the
    member focal point whose administration offered the expert). The field history of the
    mission's parts (lib/audit_trail.py) is cut to these."""
    qs = Assignment.objects.filter(slot__mission=mission)
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return list(qs.values_list("id", flat=True))
    shown = ~Q(status=AssignmentStatus.PROPOSED)
    if user.role == Role.MEMBER_FOCAL_POINT and user.organisation_id is not None:
        shown |= Q(expert__home_administration_id=user.organisation_id)
    return list(qs.active().filter(shown).values_list("id", flat=True))


def mission_for_user(user: User, pk: int) -> Mission:
    """The mission if the user may see it; 404 otherwise."""
    try:
        return missions_visible_to(user).get(pk=pk)
    except Mission.DoesNotExist as exc:
        raise Http404("No such mission.") from exc


def missions_in_period(
    qs: QuerySet[Mission], start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Mission]:
    """Missions whose dates (or, without dates, whose window) meet the period."""
    dated = Q(start__isnull=False)
    windowed = Q(start__isnull=True, window_start__isnull=False)
    if start is not None:
        dated &= Q(end__gte=start)
        windowed &= Q(window_end__gte=start)
    if end is not None:
        dated &= Q(start__lte=end)
        windowed &= Q(window_start__lte=end)
    return qs.filter(dated | windowed)


def appraisal_queue() -> QuerySet[Request]:
    """Requests waiting for the secretariat, as the appraisal queue lists them and the home
    page counts them: to appraise, or accepted with no mission yet (ready to merge)."""
    answered = Mission.objects.filter(requests=OuterRef("pk"))
    return Request.objects.annotate(answered=Exists(answered)).filter(
        Q(status__in=APPRAISAL_REQUEST_STATUSES) | Q(status=RequestStatus.ACCEPTED, answered=False)
    )
