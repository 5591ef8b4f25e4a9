"""The bounds on what a mission holds: each one broken, named, and nothing written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from renfort.missions.models import AssignmentStatus, Mission, MissionStatus
from renfort.missions.services import (
    assignment_transition,
    mission_create,
    mission_from_requests,
    mission_set_dates,
    mission_transition,
)
from renfort.testing import (
    make_assignment,
    make_expert,
    make_mission,
    make_request,
    next_year,
    refuses,
)


def create_args(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "requests": [make_request()],
        "title": "Risk management at the port",
        "type": "training",
        "level": "operational",
        "language": "fr",
        "start": next_year(3, 2),
        "end": next_year(3, 6),
    }
    args.update(overrides)
    return args


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"title": "T" * 201}, "title", "Title: 201 characters, at most 200."),
        ({"location": "L" * 201}, "location", "Location: 201 characters, at most 200."),
        ({"objectives": "o" * 4001}, "objectives", "Objectives: 4001 characters, at most 4000."),
        (
            {"start": datetime.date(2101, 1, 1), "end": datetime.date(2101, 1, 5)},
            "start",
            "First day: 2101-01-01 is outside the dates Renfort accepts",
        ),
        (
            {
                "start": None,
                "end": None,
                "window_start": next_year(),
                "duration_days": 3,
                "window_end": datetime.date(9999, 12, 31),
            },
            "window_end",
            "Window to: 9999-12-31 is outside the dates Renfort accepts",
        ),
    ],
)
def test_mission_create_refuses_what_the_database_could_not_hold(overrides, field, text):
    args = create_args(**overrides)
    refuses(mission_create, text=text, field=field, **args)


@pytest.mark.django_db
def test_a_new_mission_starts_no_earlier_than_today():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    refuses(
        mission_create,
        text="First day: ",
        field="start",
        **create_args(start=yesterday, end=yesterday + datetime.timedelta(days=3)),
    )
    refuses(
        mission_create,
        text="is in the past",
        field="window_start",
        **create_args(
            start=None,
            end=None,
            window_start=yesterday,
            window_end=yesterday + datetime.timedelta(days=30),
            duration_days=3,
        ),
    )


@pytest.mark.django_db
def test_a_mission_created_today_is_accepted():
    today = timezone.localdate()
    mission = mission_create(**create_args(start=today, end=today + datetime.timedelta(days=2)))
    assert mission.start == today


@pytest.mark.django_db
def test_dates_move_within_the_range_and_not_into_the_past():
    mission = make_mission(start=next_year(3, 2), end=next_year(3, 6))
    refuses(
        mission_set_dates,
        text="outside the dates Renfort accepts",
        field="end",
        mission=mission,
        start=next_year(3, 2),
        end=datetime.date(9999, 12, 31),
    )
    past = timezone.localdate() - datetime.timedelta(days=10)
    refuses(
        mission_set_dates,
        text="is in the past",
        field="start",
        mission=mission,
        start=past,
        end=past + datetime.timedelta(days=2),
    )


@pytest.mark.django_db
def test_a_cancel_reason_has_a_length_limit():
    mission = make_mission(start=next_year(), end=next_year(3, 6))
    refuses(
        mission_transition,
        text="Reason for cancelling: 2001 characters, at most 2000.",
        mission=mission,
        to_status=MissionStatus.CANCELLED,
        note="r" * 2001,
    )


@pytest.mark.django_db
def test_a_decline_reason_has_a_length_limit():
    mission = make_mission(start=next_year(), end=next_year(3, 6), status=MissionStatus.PLANNED)
    expert = make_expert()
    a = make_assignment(mission.slots.get(), expert, status=AssignmentStatus.INVITED)
    refuses(
        assignment_transition,
        text="Reason: 2001 characters, at most 2000.",
        assignment=a,
        to_status=AssignmentStatus.DECLINED,
        reason="r" * 2001,
    )


@pytest.mark.django_db
def test_merged_long_needs_are_cut_to_what_objectives_hold():
    requests = [make_request(needs="n" * 3000), make_request(needs="m" * 3000)]
    mission = mission_from_requests(requests=requests, by=None)
    assert len(mission.objectives) == Mission._meta.get_field("objectives").max_length
    assert mission.objectives.endswith("…")


@pytest.mark.django_db
def test_a_request_accepted_late_gets_a_window_from_today():
    today = timezone.localdate()
    old = make_request(
        preferred_start=today - datetime.timedelta(days=40),
        preferred_end=today - datetime.timedelta(days=5),
    )
    mission = mission_from_requests(requests=[old], by=None)
    assert mission.window_start == today
    assert mission.duration_days is not None
    assert mission.window_end is not None
    assert (mission.window_end - mission.window_start).days + 1 >= mission.duration_days
