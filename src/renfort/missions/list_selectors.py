"""The missions list's filters, order and counts, shared by the page (``views.missions``), its
file (``exports.lists.missions``) and the API (``api.routers.missions``): one list, one query."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from renfort.missions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Mission,
    MissionStatus,
    Slot,
)
from renfort.missions.selectors import missions_in_period
from renfort.roster.models import Topic


def status_order() -> Case:
    return Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(MissionStatus.values)],
        output_field=IntegerField(),
    )


def with_open_slots(qs: QuerySet[Mission]) -> QuerySet[Mission]:
    """Annotate ``slot_count`` and ``staffed_count`` (slots with an active assignment).

    Correlated subqueries rather than joins: a paginated list computes them for its page only.
    """
    slots = (
        Slot.objects.filter(mission=OuterRef("pk"))
        .order_by()
        .values("mission")
        .annotate(n=Count("id"))
        .values("n")
    )
    staffed = (
        Assignment.objects.filter(
            slot__mission=OuterRef("pk"), status__in=ACTIVE_ASSIGNMENT_STATUSES
        )
        .order_by()
        .values("slot__mission")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(
        slot_count=Coalesce(Subquery(slots, output_field=IntegerField()), 0),
        staffed_count=Coalesce(Subquery(staffed, output_field=IntegerField()), 0),
    )


def missions_filtered(qs: QuerySet[Mission], data: dict[str, Any]) -> QuerySet[Mission]:
    if q := (data.get("q") or "").strip():
        qs = qs.filter(
            Q(reference__icontains=q)
            | Q(title__icontains=q)
            | Q(
                id__in=Mission.objects.filter(
                    Q(beneficiaries__name__icontains=q) | Q(beneficiaries__short_name__icontains=q)
                ).values("id")
            )
        )
    if data.get("type"):
        qs = qs.filter(type=data["type"])
    if data.get("level"):
        qs = qs.filter(level=data["level"])
    if data.get("region"):
        qs = qs.filter(
            id__in=Mission.objects.filter(beneficiaries__region=data["region"]).values("id")
        )
    topic: Topic | None = data.get("topic")
    if topic is not None:
        qs = qs.filter(
            Q(id__in=Slot.objects.filter(requirements__topic=topic).values("mission_id"))
            | Q(id__in=Mission.objects.filter(requests__topics=topic).values("id"))
        )
    if data.get("period_from") or data.get("period_to"):
        qs = missions_in_period(qs, data.get("period_from"), data.get("period_to"))
    return qs
