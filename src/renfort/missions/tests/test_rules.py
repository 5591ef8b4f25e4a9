"""Every assignment rule, broken once: the message names rule, expert, slot and value, and the
refused assignment_create writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from renfort.accounts.models import Notification
from renfort.missions.eligibility import days_per_year
from renfort.missions.models import Assignment, AssignmentStatus, Mission
from renfort.missions.rules import (
    assignment_problem_list,
    assignment_problems,
    prefetch_rule_data,
)
from renfort.missions.services import assignment_create
from renfort.roster.models import Category, Unavailability
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    next_year,
    persona_mission,
)

D = datetime.date


def counts() -> tuple[int, int]:
    return Assignment.objects.count(), Notification.objects.count()


def refused(p: Personas, mission: Mission, expert=None) -> str:
    """assignment_create refuses; returns the joined messages; checks nothing was written."""
    before = counts()
    with pytest.raises(ValidationError) as exc:
        assignment_create(slot=mission.slots.get(), expert=expert or p.expert)
    assert counts() == before
    return " | ".join(exc.value.messages)


def codes(mission: Mission, expert, **kwargs) -> set[str]:
    return {
        p.code for p in assignment_problem_list(slot=mission.slots.get(), expert=expert, **kwargs)
    }


@pytest.mark.django_db
def test_a_fitting_expert_has_no_problem(personas: Personas) -> None:
    mission = persona_mission(personas)
    assert assignment_problems(slot=mission.slots.get(), expert=personas.expert) == []
    assignment = assignment_create(slot=mission.slots.get(), expert=personas.expert)
    assert assignment.status == AssignmentStatus.PROPOSED


@pytest.mark.django_db
def test_slot_category(personas: Personas) -> None:
    mission = persona_mission(personas, slots=[(Category.MODERNIZATION_ADVISER, {})])
    message = refused(personas, mission)
    assert "Expert Ana Lima is not a Customs modernization adviser" in message
    assert mission.slots.get().code in message


@pytest.mark.django_db
def test_topic_level_too_low(personas: Personas) -> None:
    mission = persona_mission(
        personas, slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 4})]
    )
    message = refused(personas, mission)
    assert "Expert Ana Lima has level 3 in Risk management" in message
    assert f"slot {mission.slots.get().code} needs level 4 or more" in message


@pytest.mark.django_db
def test_topic_missing(personas: Personas) -> None:
    mission = persona_mission(
        personas,
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2, "valuation": 1})],
    )
    message = refused(personas, mission)
    assert "Expert Ana Lima has no level in Customs valuation" in message
    assert "Risk management" not in message


@pytest.mark.django_db
def test_mission_language(personas: Personas) -> None:
    mission = persona_mission(personas, language="es")
    message = refused(personas, mission)
    assert (
        f"Expert Ana Lima does not speak es, the language of mission {mission.reference}" in message
    )


@pytest.mark.django_db
def test_expert_from_a_beneficiary_administration(personas: Personas) -> None:
    senegalese = make_expert(home_administration=personas.admin_a, first_name="Awa")
    mission = persona_mission(personas)
    message = refused(personas, mission, senegalese)
    assert "comes from Senegal Customs (SN), a beneficiary of mission" in message
    assert mission.reference in message


@pytest.mark.django_db
def test_unavailable_period(personas: Personas) -> None:
    mission = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    Unavailability.objects.create(
        expert=personas.expert, start=next_year(3, 6), end=next_year(3, 9), reason="leave"
    )
    message = refused(personas, mission)
    assert f"is unavailable from {next_year(3, 6)} to {next_year(3, 9)} (leave)" in message
    assert mission.reference in message


@pytest.mark.django_db
def test_overlap_with_another_mission(personas: Personas) -> None:
    first = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    make_assignment(first.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    second = persona_mission(personas, start=next_year(3, 5), end=next_year(3, 9))
    message = refused(personas, second)
    assert f"is on mission {first.reference} from {next_year(3, 2)} to {next_year(3, 6)}" in message
    assert second.reference in message


@pytest.mark.django_db
def test_one_travel_day_between_missions(personas: Personas, settings) -> None:
    settings.PLANNER_TRAVEL_DAYS = 1
    first = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    make_assignment(first.slots.get(), personas.expert, status=AssignmentStatus.ACCEPTED)
    next_day = persona_mission(personas, start=next_year(3, 7), end=next_year(3, 9))
    assert "travel day" in refused(personas, next_day)
    after_travel = persona_mission(personas, start=next_year(3, 8), end=next_year(3, 9))
    assert assignment_problems(slot=after_travel.slots.get(), expert=personas.expert) == []


@pytest.mark.django_db
def test_withdrawn_and_declined_assignments_do_not_hold_time(personas: Personas) -> None:
    first = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    make_assignment(first.slots.get(), personas.expert, status=AssignmentStatus.DECLINED)
    second = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    assert assignment_problems(slot=second.slots.get(), expert=personas.expert) == []


@pytest.mark.django_db
def test_yearly_released_days(personas: Personas) -> None:
    expert = make_expert(released_days_per_year=8, home_administration=personas.admin_b)
    first = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))  # 5 days
    make_assignment(first.slots.get(), expert, status=AssignmentStatus.CONFIRMED)
    second = persona_mission(personas, start=next_year(5, 4), end=next_year(5, 7))  # 4 days
    message = refused(personas, second, expert)
    year = next_year().year
    assert f"is released for 8 days in {year}: 5 are already assigned" in message
    assert f"mission {second.reference} (slot {second.slots.get().code}) needs 4 more" in message
    third = persona_mission(personas, start=next_year(5, 4), end=next_year(5, 6))  # 3 days
    assert assignment_problems(slot=third.slots.get(), expert=expert) == []


@pytest.mark.django_db
def test_released_days_count_per_calendar_year(personas: Personas) -> None:
    year = next_year().year
    expert = make_expert(released_days_per_year=5, home_administration=personas.admin_b)
    before = persona_mission(personas, start=D(year, 12, 1), end=D(year, 12, 3))  # 3 days
    make_assignment(before.slots.get(), expert, status=AssignmentStatus.CONFIRMED)
    # 29-31 Dec (3 days in year) + 1-4 Jan (4 days next year)
    spanning = persona_mission(personas, start=D(year, 12, 29), end=D(year + 1, 1, 4))
    assert days_per_year(D(year, 12, 29), D(year + 1, 1, 4)) == {year: 3, year + 1: 4}
    message = refused(personas, spanning, expert)
    assert f"in {year}: 3 are already assigned" in message
    assert str(year + 1) not in message.split("released for")[1].split(":")[0]
    spanning.start = D(year, 12, 31)
    spanning.save()
    assert assignment_problems(slot=spanning.slots.get(), expert=expert) == []


@pytest.mark.django_db
def test_inactive_expert(personas: Personas) -> None:
    personas.expert.active = False
    personas.expert.save()
    message = refused(personas, persona_mission(personas))
    assert "Expert Ana Lima is not active in the pool" in message


@pytest.mark.django_db
def test_expert_in_two_slots_of_one_mission(personas: Personas) -> None:
    mission = persona_mission(
        personas,
        slots=[
            (Category.TECHNICAL_OPERATIONAL_EXPERT, {}),
            (Category.TECHNICAL_OPERATIONAL_EXPERT, {}),
        ],
    )
    first, second = mission.slots.all()
    make_assignment(first, personas.expert)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        assignment_create(slot=second, expert=personas.expert)
    assert counts() == before
    assert f"already holds slot {first.code} of mission {mission.reference}" in str(exc.value)


@pytest.mark.django_db
def test_distinct_countries_when_required(personas: Personas) -> None:
    slots: list[tuple[str, dict[str, int]]] = [
        (Category.TECHNICAL_OPERATIONAL_EXPERT, {}),
        (Category.TECHNICAL_OPERATIONAL_EXPERT, {}),
    ]
    mission = persona_mission(personas, slots=slots, distinct_countries="required")
    first, second = mission.slots.all()
    compatriot = make_expert(home_administration=personas.admin_b, first_name="Jean")
    make_assignment(first, compatriot)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        assignment_create(slot=second, expert=personas.expert)
    assert counts() == before
    message = str(exc.value)
    assert "Expert Ana Lima comes from FR like Jean" in message
    assert "requires experts from different countries" in message
    # Preferred only: allowed.
    mission.distinct_countries = "preferred"
    mission.save()
    assert assignment_problems(slot=second, expert=personas.expert) == []


@pytest.mark.django_db
def test_windowed_mission_without_dates_takes_an_expert_free_in_its_window(
    personas: Personas,
) -> None:
    """Without dates, a proposal waits on the window (the planner then picks dates around
    it): the expert must be free for the mission's days somewhere in what is left of it."""
    mission = persona_mission(personas, window=(next_year(3, 1), next_year(4, 30), 5))
    Unavailability.objects.create(
        expert=personas.expert, start=next_year(3, 1), end=next_year(4, 20), reason="Leave"
    )
    assert assignment_problems(slot=mission.slots.get(), expert=personas.expert) == []
    # Busy over the whole window: refused, the window named.
    Unavailability.objects.create(
        expert=personas.expert, start=next_year(4, 21), end=next_year(4, 30), reason="Course"
    )
    message = refused(personas, mission)
    assert f"Expert Ana Lima has no 5 free days in the window of mission {mission.reference}" in (
        message
    )
    assert codes(mission, personas.expert) == {"window_busy"}
    # The planner's dates can be checked without saving them.
    assert codes(mission, personas.expert, start=next_year(3, 2), end=next_year(3, 6)) == {
        "unavailable"
    }


@pytest.mark.django_db
def test_a_window_with_no_room_left_takes_nobody(personas: Personas) -> None:
    today = datetime.date.today()
    mission = persona_mission(personas, window=(today, today + datetime.timedelta(days=2), 2))
    mission.window_start = today - datetime.timedelta(days=10)
    mission.window_end = today
    mission.save()
    message = refused(personas, mission)
    assert f"Mission {mission.reference} has no dates yet" in message


@pytest.mark.django_db
def test_a_proposal_on_a_window_is_invited_once_the_mission_has_dates(
    personas: Personas,
) -> None:
    from renfort.missions.services import assignment_transition, mission_set_dates

    mission = persona_mission(personas, window=(next_year(3, 1), next_year(4, 30), 5))
    assignment = assignment_create(slot=mission.slots.get(), expert=personas.expert)
    assert (assignment.busy_from, assignment.busy_to) == (None, None)
    with pytest.raises(ValidationError) as exc:
        assignment_transition(assignment=assignment, to_status=AssignmentStatus.INVITED)
    assert "has no dates yet: set its dates (or let the planner choose them) before inviting" in (
        str(exc.value)
    )
    mission_set_dates(mission=mission, start=next_year(3, 2), end=next_year(3, 6))
    assignment = assignment_transition(assignment=assignment, to_status=AssignmentStatus.INVITED)
    assert assignment.status == AssignmentStatus.INVITED
    assert assignment.busy_from == next_year(3, 2)


@pytest.mark.django_db
def test_slot_already_held(personas: Personas) -> None:
    mission = persona_mission(personas)
    other = make_expert(home_administration=make_member("DE", "EUR", languages=("de",)))
    make_assignment(mission.slots.get(), other)
    message = refused(personas, mission)
    assert f"Slot {mission.slots.get().code} is already held by {other}" in message


@pytest.mark.django_db
def test_cancelled_mission_takes_no_expert(personas: Personas) -> None:
    mission = persona_mission(personas, status="cancelled")
    assert "Cancelled: it takes no more experts" in refused(personas, mission)


@pytest.mark.django_db
def test_refused_pool_release(personas: Personas) -> None:
    personas.expert.release_status = "refused"
    personas.expert.save()
    message = refused(personas, persona_mission(personas))
    assert "French Customs refused to release them" in message


@pytest.mark.django_db
def test_every_broken_rule_is_listed(personas: Personas) -> None:
    expert = make_expert(
        home_administration=personas.admin_a,
        categories=[Category.SPECIALIZED_TRAINER],
        languages=["en"],
        skills={},
        active=False,
    )
    mission = persona_mission(personas)
    assert codes(mission, expert) == {
        "expert_active",
        "category",
        "topic_level",
        "language",
        "beneficiary",
    }


@pytest.mark.django_db
def test_rules_for_a_page_of_assignments_use_few_queries(
    personas: Personas, django_assert_max_num_queries
) -> None:
    for _ in range(5):
        mission = persona_mission(personas)
        make_assignment(mission.slots.get(), make_expert(home_administration=personas.admin_b))
    rows = list(prefetch_rule_data(Assignment.objects.all()))
    # Per check: the mission's crew, the expert's history and exclusions on it, their bookings.
    with django_assert_max_num_queries(4 * len(rows)):
        for a in rows:
            assert assignment_problems(slot=a.slot, expert=a.expert, exclude=a) == []
