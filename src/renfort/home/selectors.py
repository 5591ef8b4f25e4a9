"""What waits for a user on their home page: one short list per role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.assistance.models import (
    APPRAISAL_REQUEST_STATUSES,
    ENDED_REQUEST_STATUSES,
    Request,
)
from renfort.assistance.selectors import requests_visible_to
from renfort.missions.models import (
    OPEN_MISSION_STATUSES,
    RELEASE_ASKED_ASSIGNMENT_STATUSES,
    UPCOMING_MISSION_STATUSES,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
)
from renfort.missions.selectors import missions_visible_to
from renfort.roster.models import ReleaseStatus


@dataclass
class WaitingItem:
    """One line of the home page: what waits, how many, a few examples and where to act.

    ``kind`` says what the examples are ("request", "mission" or "assignment"), so the page
    links each to its own page; ``action`` is the URL name of the page to act on them all.
    """

    label: str
    count: int
    examples: list[Any] = field(default_factory=list)
    kind: str = ""
    action: str = ""


def _item(label: str, qs: Any, *, kind: str, action: str, limit: int = 5) -> WaitingItem:
    examples = list(qs[:limit])
    # A short list needs no COUNT query: its length is the count.
    count = len(examples) if len(examples) < limit else qs.count()
    return WaitingItem(label=label, count=count, examples=examples, kind=kind, action=action)


def _secretariat(user: User, requests: QuerySet[Request], missions: QuerySet[Mission]) -> list:
    to_appraise = requests.filter(status__in=APPRAISAL_REQUEST_STATUSES).order_by("created_at")
    # Not yet scheduled: the planner's work (a scheduled mission is being confirmed).
    to_staff = missions.filter(status__in=[MissionStatus.DRAFT, MissionStatus.PLANNED])
    return [
        _item(
            _("Requests to appraise"),
            to_appraise,
            kind="request",
            action="assistance:appraisal_queue",
        ),
        _item(
            _("Draft or planned missions to staff"),
            to_staff,
            kind="mission",
            action="planner:run_list",
        ),
    ]


def _regional(user: User, requests: QuerySet[Request], missions: QuerySet[Mission]) -> list:
    return [
        _item(
            _("Open requests in your region"),
            requests.exclude(status__in=ENDED_REQUEST_STATUSES),
            kind="request",
            action="assistance:request_list",
        ),
        _item(
            _("Upcoming missions in your region"),
            missions.filter(status__in=UPCOMING_MISSION_STATUSES),
            kind="mission",
            action="missions:mission_list",
        ),
    ]


def _member(user: User, requests: QuerySet[Request], missions: QuerySet[Mission]) -> list:
    releases = Assignment.objects.filter(
        expert__home_administration=user.organisation,
        status__in=RELEASE_ASKED_ASSIGNMENT_STATUSES,
        release_status=ReleaseStatus.PENDING,
    ).select_related("expert", "slot__mission")
    return [
        _item(
            _("Your administration's open requests"),
            requests.exclude(status__in=ENDED_REQUEST_STATUSES),
            kind="request",
            action="assistance:request_list",
        ),
        _item(
            _("Releases to decide for your experts"),
            releases,
            kind="assignment",
            action="roster:releases",
        ),
    ]


def _donor(user: User, requests: QuerySet[Request], missions: QuerySet[Mission]) -> list:
    return [
        _item(
            _("Missions you fund"),
            missions.filter(status__in=OPEN_MISSION_STATUSES),
            kind="mission",
            action="missions:mission_list",
        )
    ]


def _expert(user: User, requests: QuerySet[Request], missions: QuerySet[Mission]) -> list:
    items = []
    expert = getattr(user, "expert", None)
    if expert is not None:
        invitations = Assignment.objects.filter(
            expert=expert, status=AssignmentStatus.INVITED
        ).select_related("slot__mission", "expert")
        items.append(
            _item(
                _("Invitations to answer"),
                invitations,
                kind="assignment",
                action="roster:invitations",
            )
        )
    items.append(
        _item(
            _("Your upcoming missions"),
            missions.filter(status__in=UPCOMING_MISSION_STATUSES),
            kind="mission",
            action="missions:mission_list",
        )
    )
    return items


_BY_ROLE: dict[str, Callable[[User, QuerySet[Request], QuerySet[Mission]], list]] = {
    Role.SECRETARIAT_COORDINATOR: _secretariat,
    Role.REGIONAL_COORDINATOR: _regional,
    Role.MEMBER_FOCAL_POINT: _member,
    Role.DONOR_FOCAL_POINT: _donor,
    Role.EXPERT: _expert,
}


def waiting_for(user: User) -> list[WaitingItem]:
    """A short list of what the user's role asks them to act on next."""
    build = _BY_ROLE.get(user.role)
    if build is None:
        return []
    return build(user, requests_visible_to(user), missions_visible_to(user))
