"""What waits for a user on their home page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.assistance.models import RequestStatus
from renfort.assistance.selectors import requests_visible_to
from renfort.missions.models import Assignment, AssignmentStatus, MissionStatus
from renfort.missions.selectors import missions_visible_to


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


def waiting_for(user: User) -> list[WaitingItem]:
    """A short list of what the user's role asks them to act on next."""
    requests = requests_visible_to(user)
    missions = missions_visible_to(user)
    items: list[WaitingItem] = []
    if user.role == Role.SECRETARIAT_COORDINATOR:
        items.append(
            _item(
                _("Requests to appraise"),
                requests.filter(
                    status__in=[RequestStatus.SUBMITTED, RequestStatus.UNDER_APPRAISAL]
                ).order_by("created_at"),
                kind="request",
                action="assistance:appraisal_queue",
            )
        )
        items.append(
            _item(
                _("Draft or planned missions to staff"),
                missions.filter(status__in=[MissionStatus.DRAFT, MissionStatus.PLANNED]),
                kind="mission",
                action="planner:run_list",
            )
        )
    elif user.role == Role.REGIONAL_COORDINATOR:
        items.append(
            _item(
                _("Open requests in your region"),
                requests.exclude(status__in=[RequestStatus.CLOSED, RequestStatus.DECLINED]),
                kind="request",
                action="assistance:request_list",
            )
        )
        items.append(
            _item(
                _("Upcoming missions in your region"),
                missions.filter(status__in=[MissionStatus.SCHEDULED, MissionStatus.CONFIRMED]),
                kind="mission",
                action="missions:mission_list",
            )
        )
    elif user.role == Role.MEMBER_FOCAL_POINT:
        items.append(
            _item(
                _("Your administration's open requests"),
                requests.exclude(status__in=[RequestStatus.CLOSED, RequestStatus.DECLINED]),
                kind="request",
                action="assistance:request_list",
            )
        )
        items.append(
            _item(
                _("Releases to decide for your experts"),
                Assignment.objects.filter(
                    expert__home_administration=user.organisation,
                    status__in=[AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED],
                    release_status="pending",
                ).select_related("expert", "slot__mission"),
                kind="assignment",
                action="roster:releases",
            )
        )
    elif user.role == Role.DONOR_FOCAL_POINT:
        items.append(
            _item(
                _("Missions you fund"),
                missions.exclude(status__in=[MissionStatus.CLOSED, MissionStatus.CANCELLED]),
                kind="mission",
                action="missions:mission_list",
            )
        )
    elif user.role == Role.EXPERT:
        expert = getattr(user, "expert", None)
        if expert is not None:
            items.append(
                _item(
                    _("Invitations to answer"),
                    Assignment.objects.filter(
                        expert=expert, status=AssignmentStatus.INVITED
                    ).select_related("slot__mission", "expert"),
                    kind="assignment",
                    action="roster:invitations",
                )
            )
        items.append(
            _item(
                _("Your upcoming missions"),
                missions.filter(status__in=[MissionStatus.SCHEDULED, MissionStatus.CONFIRMED]),
                kind="mission",
                action="missions:mission_list",
            )
        )
    return items
