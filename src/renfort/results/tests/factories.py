"""What the results tests share: missions delivered (with their delivery row) and their
experts, built with the plain factories so that any state can be set up."""

from __future__ import annotations

import datetime
from typing import Any

from renfort.accounts.models import User
from renfort.missions.models import AssignmentStatus, Mission, MissionStatus
from renfort.results.models import MissionDelivery
from renfort.roster.models import Expert, ReleaseStatus
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_slot,
    make_user,
    persona_mission,
)

TODAY = datetime.date.today()
PAST = TODAY - datetime.timedelta(days=20)


def user_of(expert: Expert) -> User:
    """The expert's login (the factories' experts have one)."""
    assert expert.user is not None
    return expert.user


def second_expert(p: Personas, **kwargs: Any) -> Expert:
    """Another expert lent by France, with a login."""
    user = make_user("expert", p.admin_b, first_name="Bruno", last_name="Sousa")
    return make_expert(
        home_administration=p.admin_b, first_name="Bruno", last_name="Sousa", user=user, **kwargs
    )


def delivered(
    p: Personas,
    *,
    experts: tuple[Expert, ...] | None = None,
    status: str = MissionStatus.DELIVERED,
    start: datetime.date = PAST,
    busy: bool = False,
    **kwargs: Any,
) -> Mission:
    """A mission for Senegal, delivered (or ``status``) after running from ``start`` for five
    days, with ``experts`` (default: the persona expert) completed on it, one slot each
    (holding their busy ranges with ``busy``, as the race checks want)."""
    end = start + datetime.timedelta(days=4)
    mission = persona_mission(p, status=status, start=start, end=end, **kwargs)
    experts = experts if experts is not None else (p.expert,)
    slots = [mission.slots.get()] + [make_slot(mission) for _ in experts[1:]]
    for slot, expert in zip(slots, experts, strict=True):
        make_assignment(
            slot,
            expert,
            status=AssignmentStatus.COMPLETED,
            release_status=ReleaseStatus.GRANTED,
            busy=busy,
        )
    if status != MissionStatus.CONFIRMED:
        MissionDelivery.objects.create(mission=mission, actual_start=start, actual_end=end)
    return mission


def confirmed(
    p: Personas, expert: Expert | None = None, *, busy: bool = False, **kwargs: Any
) -> Mission:
    """A confirmed mission that has ended, its expert (default: the persona expert)
    confirmed, ready to be delivered."""
    mission = persona_mission(
        p,
        status=MissionStatus.CONFIRMED,
        start=PAST,
        end=PAST + datetime.timedelta(days=4),
        **kwargs,
    )
    make_assignment(
        mission.slots.get(),
        expert or p.expert,
        status=AssignmentStatus.CONFIRMED,
        release_status=ReleaseStatus.GRANTED,
        busy=busy,
    )
    return mission
