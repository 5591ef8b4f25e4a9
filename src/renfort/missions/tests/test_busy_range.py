"""The busy range of an assignment, and the database guarantee built on it.

An active assignment on a mission with dates holds its expert from the first day to the last
day plus the travel days; two such ranges of one expert overlap exactly when the ``overlap``
rule refuses the pair. On PostgreSQL an exclusion constraint refuses overlapping ranges of one
expert whatever wrote them.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from renfort.missions.eligibility import overlaps
from renfort.missions.models import (
    BUSY_CONSTRAINT,
    Assignment,
    AssignmentStatus,
    Mission,
    MissionStatus,
)
from renfort.missions.rules import assignment_problem_list
from renfort.missions.services import (
    assignment_create,
    assignment_release_decide,
    assignment_transition,
    mission_set_dates,
    mission_transition,
)
from renfort.roster.models import ReleaseStatus
from renfort.testing import Personas, make_assignment, make_expert, next_year, persona_mission

DAY = datetime.timedelta(days=1)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the exclusion constraint needs PostgreSQL (btree_gist); SQLite has no such "
    "constraint and relies on its IMMEDIATE transactions and the rules",
)


def _range(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The busy range of an accepted assignment on a mission from ``start`` to ``end``."""
    a = Assignment(status=AssignmentStatus.ACCEPTED)
    busy_from, busy_to = a.busy_range(Mission(start=start, end=end, status=MissionStatus.PLANNED))
    assert busy_from is not None and busy_to is not None
    return busy_from, busy_to


@pytest.mark.parametrize("travel", [0, 1, 2])
def test_the_overlap_rule_is_the_overlap_of_busy_ranges(settings, travel: int) -> None:
    settings.PLANNER_TRAVEL_DAYS = travel
    first = datetime.date(2027, 3, 10)
    for length in range(1, 5):
        a_end = first + (length - 1) * DAY
        for offset in range(-10, 12):
            for other_length in range(1, 5):
                b_start = first + offset * DAY
                b_end = b_start + (other_length - 1) * DAY
                (s1, e1), (s2, e2) = _range(first, a_end), _range(b_start, b_end)
                ranges_meet = s1 <= e2 and s2 <= e1
                assert ranges_meet == overlaps(first, a_end, b_start, b_end, travel), (
                    first,
                    a_end,
                    b_start,
                    b_end,
                )


@pytest.mark.django_db
def test_the_rule_refuses_exactly_the_dates_whose_ranges_meet(personas: Personas) -> None:
    base = next_year(3, 10)
    held = persona_mission(personas, start=base, end=base + 4 * DAY)
    booked = make_assignment(held.slots.get(), personas.expert, busy=True)
    assert booked.busy_from is not None and booked.busy_to is not None
    slot = persona_mission(personas, start=next_year(6, 1)).slots.get()
    for offset in range(-8, 9):
        start = base + offset * DAY
        end = start + 4 * DAY
        codes = {
            p.code
            for p in assignment_problem_list(
                slot=slot, expert=personas.expert, start=start, end=end
            )
        }
        new_from, new_to = _range(start, end)
        meet = new_from <= booked.busy_to and booked.busy_from <= new_to
        assert ("overlap" in codes) == meet, (offset, codes)


@pytest.mark.django_db
def test_the_services_keep_the_busy_range(personas: Personas, settings) -> None:
    settings.PLANNER_TRAVEL_DAYS = 1
    mission = persona_mission(
        personas, start=next_year(3, 2), end=next_year(3, 6), status=MissionStatus.PLANNED
    )
    a = assignment_create(slot=mission.slots.get(), expert=personas.expert)
    assert (a.busy_from, a.busy_to) == (next_year(3, 2), next_year(3, 7))  # + 1 travel day

    assignment_transition(assignment=a, to_status=AssignmentStatus.INVITED)
    mission_set_dates(mission=mission, start=next_year(3, 10), end=next_year(3, 12))
    a.refresh_from_db()
    assert (a.busy_from, a.busy_to) == (next_year(3, 10), next_year(3, 13))

    assignment_release_decide(assignment=a, granted=False, by=personas.lender)
    a.refresh_from_db()
    assert (a.status, a.busy_from, a.busy_to) == (AssignmentStatus.WITHDRAWN, None, None)

    other = assignment_create(
        slot=mission.slots.get(), expert=make_expert(home_administration=personas.admin_b)
    )
    assert (other.busy_from, other.busy_to) == (next_year(3, 10), next_year(3, 13))
    mission_transition(mission=mission, to_status=MissionStatus.CANCELLED, note="No budget.")
    other.refresh_from_db()
    assert (other.status, other.busy_from, other.busy_to) == (
        AssignmentStatus.WITHDRAWN,
        None,
        None,
    )


@pytest.mark.django_db
def test_the_migration_fills_existing_ranges_and_leaves_a_double_booking_empty(
    personas: Personas,
) -> None:
    migration = importlib.import_module("renfort.missions.migrations.0005_assignment_busy_range")
    first = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    clash = persona_mission(personas, start=next_year(3, 4), end=next_year(3, 8))
    later = persona_mission(personas, start=next_year(5, 4), end=next_year(5, 8))
    made = [
        make_assignment(m.slots.get(), personas.expert, status=AssignmentStatus.ACCEPTED)
        for m in (first, clash, later)
    ]
    withdrawn = make_assignment(
        persona_mission(personas).slots.get(), personas.expert, status=AssignmentStatus.WITHDRAWN
    )
    migration.fill_busy_ranges(apps, None)
    ranges = {a.pk: a.busy_range() for a in made}
    ranges[made[1].pk] = (None, None)  # the double booking is left for people to sort out
    ranges[withdrawn.pk] = (None, None)
    assert {
        pk: (f, t) for pk, f, t in Assignment.objects.values_list("pk", "busy_from", "busy_to")
    } == ranges


@postgresql_only
@pytest.mark.django_db
def test_the_database_refuses_a_double_booking_written_straight(personas: Personas) -> None:
    first = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    make_assignment(first.slots.get(), personas.expert, busy=True)
    after_travel = persona_mission(personas, start=next_year(3, 8), end=next_year(3, 9))
    make_assignment(after_travel.slots.get(), personas.expert, busy=True)  # d + 2: allowed
    declined = persona_mission(personas, start=next_year(3, 4), end=next_year(3, 5))
    make_assignment(
        declined.slots.get(), personas.expert, status=AssignmentStatus.DECLINED, busy=True
    )  # holds nothing
    too_close = persona_mission(personas, start=next_year(3, 7), end=next_year(3, 7))
    with pytest.raises(IntegrityError, match=BUSY_CONSTRAINT), transaction.atomic():
        make_assignment(too_close.slots.get(), personas.expert, busy=True)
    # Straight to the ORM, bypassing every service and rule: still refused.
    with pytest.raises(IntegrityError, match=BUSY_CONSTRAINT), transaction.atomic():
        Assignment.objects.create(
            slot=too_close.slots.get(),
            expert=personas.expert,
            status=AssignmentStatus.CONFIRMED,
            release_status=ReleaseStatus.GRANTED,
            busy_from=next_year(3, 6),
            busy_to=next_year(3, 6),
        )


@postgresql_only
@pytest.mark.django_db
def test_a_clash_the_rules_let_through_is_refused_with_a_message(
    personas: Personas, settings
) -> None:
    # Booked while three travel days were in force; the rules now ask for none, so only the
    # database sees that the new mission starts inside the first one's travel days.
    settings.PLANNER_TRAVEL_DAYS = 3
    first = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    assignment_create(slot=first.slots.get(), expert=personas.expert)
    settings.PLANNER_TRAVEL_DAYS = 0
    second = persona_mission(personas, start=next_year(3, 8), end=next_year(3, 9))
    with pytest.raises(ValidationError) as refused:
        assignment_create(slot=second.slots.get(), expert=personas.expert)
    assert refused.value.messages == [
        f"{personas.expert} was booked on another mission at the same moment; reload and try again."
    ]
    assert not second.slots.get().assignments.exists()
