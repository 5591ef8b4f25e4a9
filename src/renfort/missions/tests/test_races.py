"""Two people change the same expert's commitments at the same moment.

Each test builds its fixtures with the plain factories, then runs ``ROUNDS`` rounds in which
threads (one connection each) call the services together. After every round: no double
booking, no forbidden state (confirmed with a refused release, a confirmed mission with a slot
not held), and each call either succeeded or was refused with a ``ValidationError`` that says
why. On SQLite the IMMEDIATE transactions serialise the writers; on PostgreSQL the services'
locks (``missions/locking.py``) and the busy-range exclusion constraint do.
"""

from __future__ import annotations

import datetime
from functools import partial

import pytest

from renfort.missions.models import Assignment, AssignmentStatus, Mission, MissionStatus
from renfort.missions.services import (
    assignment_create,
    assignment_release_decide,
    mission_postpone,
    mission_set_dates,
    mission_transition,
)
from renfort.missions.tests.racing import ROUNDS, Rounds, race
from renfort.roster.models import Expert, ReleaseStatus
from renfort.testing import (
    Personas,
    confirm_terms,
    make_assignment,
    make_expert,
    make_mission,
    make_personas,
    make_request,
    next_year,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WEEK = datetime.timedelta(days=4)


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _mission(p: Personas, start: datetime.date, status: str = MissionStatus.SCHEDULED) -> Mission:
    request = make_request(administrations=[p.admin_a], focal_point=p.member)
    return make_mission(requests=[request], start=start, end=start + WEEK, status=status)


def _held(p: Personas, mission: Mission, expert: Expert | None = None) -> Assignment:
    """An accepted assignment, released by France, of ``expert`` (default: a new one)."""
    return make_assignment(
        mission.slots.get(),
        expert or make_expert(home_administration=p.admin_b),
        status=AssignmentStatus.ACCEPTED,
        release_status=ReleaseStatus.GRANTED,
        busy=True,
    )


def test_moving_two_missions_of_one_expert_onto_the_same_dates(p: Personas) -> None:
    target = next_year(6, 1)
    rounds = Rounds()
    for _ in range(ROUNDS):
        first = _held(p, _mission(p, next_year(2, 2)))
        second = _held(p, _mission(p, next_year(9, 1)), expert=first.expert)
        result = race(
            *(
                partial(
                    mission_set_dates,
                    mission=a.slot.mission,
                    start=target,
                    end=target + WEEK,
                    by=p.secretariat,
                )
                for a in (first, second)
            )
        )
        rounds.record(result, names=str(first.expert))
    rounds.assert_clean()


def test_moving_a_mission_while_its_expert_is_assigned_elsewhere(p: Personas) -> None:
    target = next_year(6, 1)
    rounds = Rounds()
    for _ in range(ROUNDS):
        held = _held(p, _mission(p, next_year(2, 2)))
        free = _mission(p, target, status=MissionStatus.DRAFT).slots.get()
        result = race(
            partial(
                mission_set_dates,
                mission=held.slot.mission,
                start=target,
                end=target + WEEK,
                by=p.secretariat,
            ),
            partial(assignment_create, slot=free, expert=held.expert, by=p.secretariat),
        )
        rounds.record(result, names=str(held.expert))
    rounds.assert_clean()


def test_confirming_a_mission_while_the_release_is_refused(p: Personas) -> None:
    rounds = Rounds()
    for _ in range(ROUNDS):
        held = _held(p, _mission(p, next_year(3, 2)))
        confirm_terms(held.slot.mission)
        result = race(
            partial(
                mission_transition,
                mission=held.slot.mission,
                to_status=MissionStatus.CONFIRMED,
                by=p.secretariat,
            ),
            partial(assignment_release_decide, assignment=held, granted=False, by=p.lender),
        )
        rounds.record(result)
    rounds.assert_clean()


def test_one_expert_put_on_two_overlapping_missions_at_once(p: Personas) -> None:
    start = next_year(4, 6)
    rounds = Rounds()
    for _ in range(ROUNDS):
        expert = make_expert(home_administration=p.admin_b)
        slots = [_mission(p, start, status=MissionStatus.DRAFT).slots.get() for _ in range(2)]
        result = race(
            *(partial(assignment_create, slot=s, expert=expert, by=p.secretariat) for s in slots)
        )
        rounds.record(result, names=str(expert))
    rounds.assert_clean()


def test_two_experts_put_in_one_slot_at_once(p: Personas) -> None:
    rounds = Rounds()
    for _ in range(ROUNDS):
        slot = _mission(p, next_year(5, 4), status=MissionStatus.DRAFT).slots.get()
        experts = [make_expert(home_administration=p.admin_b) for _ in range(2)]
        result = race(
            *(partial(assignment_create, slot=slot, expert=e, by=p.secretariat) for e in experts)
        )
        rounds.record(result, names=slot.code)
    rounds.assert_clean()


def test_postponing_a_mission_while_its_expert_is_booked_on_the_new_dates(p: Personas) -> None:
    """The coordinator postpones a confirmed mission, keeping its expert, while someone books
    that expert on another mission at the new dates: one wins; the postponement never
    withdraws an expert nobody agreed to withdraw, and nobody is double-booked."""
    target = next_year(6, 1)
    rounds = Rounds()
    for _ in range(ROUNDS):
        mission = _mission(p, next_year(2, 2), status=MissionStatus.CONFIRMED)
        held = make_assignment(
            mission.slots.get(),
            make_expert(home_administration=p.admin_b),
            status=AssignmentStatus.CONFIRMED,
            release_status=ReleaseStatus.GRANTED,
            busy=True,
        )
        free = _mission(p, target, status=MissionStatus.DRAFT).slots.get()
        result = race(
            partial(
                mission_postpone,
                mission=mission,
                start=target,
                end=target + WEEK,
                by=p.secretariat,
            ),
            partial(assignment_create, slot=free, expert=held.expert, by=p.secretariat),
        )
        rounds.record(result, names=str(held.expert))
        held.refresh_from_db()
        rounds.expect(
            held.status == AssignmentStatus.CONFIRMED,
            "expert withdrawn without agreement",
            f"assignment {held.pk} is {held.status}",
        )
    rounds.assert_clean()
