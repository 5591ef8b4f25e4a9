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


class ByStatus:
    """The missions list in its order (status, then dates and reference), read a page at a
    time through the statuses that page falls in: ``counts`` (missions by status, which the
    page shows anyway) says which, so a page of open missions never sorts ten years of closed
    ones. Sliced like a query set (``Paginator``); its ``count`` is the counts' sum."""

    def __init__(self, qs: QuerySet[Mission], counts: dict[str, int]) -> None:
        self.qs = qs
        self.counts = counts

    def count(self) -> int:
        return sum(self.counts.values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Mission]:
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("ByStatus is read by slices")
        start = key.start or 0
        stop = self.count() if key.stop is None else key.stop
        before, touched, offset = 0, [], 0
        for status in MissionStatus.values:
            n = self.counts.get(status, 0)
            if n and offset < stop and offset + n > start:
                touched.append(status)
            elif offset + n <= start:
                before += n
            offset += n
        if not touched or stop <= start:
            return []
        return list(self.qs.filter(status__in=touched)[start - before : stop - before])
