"""The secretariat lets a short mission straddle a weekend (``mission_set_planning_options``),
and the problem builder passes it to the planner."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from renfort.missions.models import MissionStatus
from renfort.missions.services import mission_set_planning_options
from renfort.planner.validate import problem_errors
from renfort.planning.problem import problem_build
from renfort.testing import make_member, make_mission, next_year, persona_mission, refuses

pytestmark = pytest.mark.django_db


def _thursday_to_wednesday() -> tuple[datetime.date, datetime.date]:
    thursday = next_year(6, 1)
    thursday += datetime.timedelta(days=(3 - thursday.weekday()) % 7)
    return thursday, thursday + datetime.timedelta(days=6)


def test_secretariat_lets_a_short_mission_straddle_a_weekend(client, personas):
    mission = persona_mission(personas, window=(next_year(6, 1), next_year(6, 30), 5))
    client.force_login(personas.secretariat)
    page = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    url = reverse("missions:mission_set_planning_options", args=[mission.pk])
    assert url in page
    response = client.post(url, {"straddle_weekend": "on"})
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.straddle_weekend is True
    client.post(url, {})
    mission.refresh_from_db()
    assert mission.straddle_weekend is False


@pytest.mark.parametrize(
    "status",
    [
        MissionStatus.CONFIRMED,
        MissionStatus.DELIVERED,
        MissionStatus.REPORTED,
        MissionStatus.CLOSED,
        MissionStatus.CANCELLED,
    ],
)
def test_options_are_refused_once_the_mission_is_confirmed_or_later(personas, status):
    mission = persona_mission(personas, status=status)
    refuses(
        mission_set_planning_options,
        text="its planning options can no longer change",
        field="straddle_weekend",
        mission=mission,
        straddle_weekend=True,
        by=personas.secretariat,
    )


def test_a_refusal_shows_next_to_the_field(client, personas):
    mission = persona_mission(personas, status=MissionStatus.CONFIRMED)
    client.force_login(personas.secretariat)
    page = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    url = reverse("missions:mission_set_planning_options", args=[mission.pk])
    assert url not in page  # no form once the planner may no longer choose the dates
    response = client.post(url, {"straddle_weekend": "on"})
    assert response.status_code == 200
    assert "its planning options can no longer change" in response.content.decode()
    mission.refresh_from_db()
    assert mission.straddle_weekend is False


def test_the_problem_lets_the_planner_straddle_when_allowed() -> None:
    first, last = _thursday_to_wednesday()
    # Thursday to Wednesday holds five Kenyan working days only across the weekend.
    mission = make_mission(beneficiaries=[make_member("KE")], window=(first, last, 5))
    built = problem_build(missions=[mission])
    assert built.problem["missions"] == []
    mission.straddle_weekend = True
    mission.save(update_fields=["straddle_weekend"])
    problem = problem_build(missions=[mission]).problem
    assert problem_errors(problem) == []
    (entry,) = problem["missions"]
    assert entry["straddle_weekend"] is True


def test_a_long_mission_keeps_the_planners_default() -> None:
    mission = make_mission(
        beneficiaries=[make_member("KE")], window=(next_year(6, 1), next_year(6, 30), 8)
    )
    (entry,) = problem_build(missions=[mission]).problem["missions"]
    assert entry["straddle_weekend"] is True
    short = make_mission(
        beneficiaries=[make_member("KE")], window=(next_year(6, 1), next_year(6, 30), 5)
    )
    (entry,) = problem_build(missions=[short]).problem["missions"]
    assert entry["straddle_weekend"] is False
