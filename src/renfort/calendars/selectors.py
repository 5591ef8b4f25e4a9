"""Reads behind the timeline and the month calendar.

Always through ``missions_visible_to(user)`` first: a narrowing never widens what the user
may see. Rows come back as plain values for ``calendars.layout``, in a few queries whatever
the number of missions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from renfort.accounts.models import Region, Role, User
from renfort.calendars import layout
from renfort.missions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    DEAD_MISSION_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
)
from renfort.missions.selectors import missions_in_period, missions_visible_to
from renfort.roster.models import Unavailability
from renfort.roster.selectors import experts_visible_to

# (key, label) pairs per mission id, the rows of the timeline by member or by region.
Groups = dict[int, list[tuple[str, str]]]


@dataclass(frozen=True)
class CalendarScope:
    """Optional narrowing of a calendar: one region, one member (beneficiary), one expert.

    Always inside what the user may see: the selector comes first.
    """

    region: str = ""
    member: int | None = None
    expert: int | None = None

    @classmethod
    def from_query(cls, params: Any) -> CalendarScope:
        def number(name: str) -> int | None:
            value = params.get(name, "")
            return int(value) if value.isdigit() else None

        region = params.get("region", "")
        return cls(
            region=region if region in Region.values else "",
            member=number("member"),
            expert=number("expert"),
        )

    def apply(self, qs: QuerySet[Mission]) -> QuerySet[Mission]:
        if self.region:
            qs = qs.filter(
                id__in=Mission.objects.filter(beneficiaries__region=self.region).values("id")
            )
        if self.member is not None:
            qs = qs.filter(
                id__in=Mission.objects.filter(beneficiaries__id=self.member).values("id")
            )
        if self.expert is not None:
            qs = qs.filter(
                id__in=Assignment.objects.active()
                .filter(expert_id=self.expert)
                .values("slot__mission_id")
            )
        return qs


def calendar_missions(
    user: User, start: datetime.date, end: datetime.date, scope: CalendarScope
) -> QuerySet[Mission]:
    """The missions a calendar shows: visible to the user, meeting the period, not dead
    (cancelled), within the scope."""
    qs = missions_in_period(missions_visible_to(user), start, end).exclude(
        status__in=DEAD_MISSION_STATUSES
    )
    return scope.apply(qs)


def mission_rows(qs: QuerySet[Mission]) -> list[layout.MissionRow]:
    rows = qs.annotate(
        slot_count=Count("slots", distinct=True),
        staffed_count=Count(
            "slots__assignments",
            filter=Q(slots__assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES),
            distinct=True,
        ),
    ).values(
        "id",
        "reference",
        "title",
        "status",
        "start",
        "end",
        "window_start",
        "window_end",
        "slot_count",
        "staffed_count",
    )
    return [
        layout.MissionRow(
            id=r["id"],
            reference=r["reference"],
            title=r["title"],
            status=r["status"],
            start=r["start"],
            end=r["end"],
            window_start=r["window_start"],
            window_end=r["window_end"],
            open_slots=max(r["slot_count"] - r["staffed_count"], 0),
        )
        for r in rows
    ]


def assignment_rows(user: User, mission_ids: list[int]) -> list[layout.AssignmentRow]:
    """The active assignments of the missions (ids already read: as a subquery, PostgreSQL
    joins every assignment of the history before filtering) that the user may see: an
    expert their own, proposals only to the secretariat and to the administration that
    offered them."""
    qs = Assignment.objects.active().filter(slot__mission_id__in=mission_ids)
    if user.role == Role.EXPERT:
        qs = qs.filter(expert__user=user)
    elif user.role == Role.MEMBER_FOCAL_POINT:
        qs = qs.filter(
            ~Q(status=AssignmentStatus.PROPOSED) | Q(expert__home_administration=user.organisation)
        )
    elif user.role != Role.SECRETARIAT_COORDINATOR:
        qs = qs.exclude(status=AssignmentStatus.PROPOSED)
    values = qs.values(
        "id", "slot__mission_id", "expert_id", "expert__first_name", "expert__last_name", "status"
    )
    return [
        layout.AssignmentRow(
            id=v["id"],
            mission_id=v["slot__mission_id"],
            expert_id=v["expert_id"],
            expert_name=f"{v['expert__first_name']} {v['expert__last_name']}",
            status=v["status"],
        )
        for v in values
    ]


def unavailable_rows(
    user: User, start: datetime.date, end: datetime.date, scope: CalendarScope
) -> list[layout.UnavailableRow]:
    """The unavailable periods meeting ``start..end`` that a calendar shows: an expert's own
    on her calendar; on a calendar narrowed to one expert, that expert's, when the user may
    see the expert (``experts_visible_to``). The reason is the expert's own words, for her
    eyes only (docs/experts.md)."""
    if user.role == Role.EXPERT:
        experts = experts_visible_to(user)
    elif scope.expert is not None:
        experts = experts_visible_to(user).filter(pk=scope.expert)
    else:
        return []
    own = user.role == Role.EXPERT
    values = (
        Unavailability.objects.filter(
            expert_id__in=experts.values("id"), start__lte=end, end__gte=start
        )
        .order_by("start", "id")
        .values("id", "expert_id", "start", "end", "reason")
    )
    return [
        layout.UnavailableRow(
            id=v["id"],
            expert_id=v["expert_id"],
            start=v["start"],
            end=v["end"],
            reason=v["reason"] if own else "",
        )
        for v in values
    ]


def mission_groups(mission_ids: list[int]) -> tuple[Groups, Groups]:
    """Each mission's beneficiaries and their regions, as (key, label) pairs."""
    through = Mission.beneficiaries.through.objects.filter(mission_id__in=mission_ids).values(
        "mission_id", "organisation_id", "organisation__name", "organisation__region"
    )
    members: Groups = defaultdict(list)
    regions: Groups = defaultdict(list)
    labels = dict(Region.choices)
    for row in through.order_by("organisation__name"):
        mid = row["mission_id"]
        members[mid].append((f"o{row['organisation_id']}", row["organisation__name"]))
        code = row["organisation__region"] or "-"
        pair = (f"r{code}", str(labels.get(code, _("No region"))))
        if pair not in regions[mid]:
            regions[mid].append(pair)
    return members, regions
