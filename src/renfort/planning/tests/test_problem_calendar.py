"""The problem builder gives each mission its host's working week and public holidays."""

from __future__ import annotations

import datetime

import holidays
import pytest

from renfort.missions.models import MissionType
from renfort.planner.validate import parse_problem, problem_errors
from renfort.planning.problem import host_country, problem_build
from renfort.planning.run_messages import left_out_reason
from renfort.testing import make_member, make_mission, next_year

pytestmark = pytest.mark.django_db


def _entry(problem: dict, reference: str) -> dict:
    return next(m for m in problem["missions"] if m["id"] == reference)


def _public_holidays(country: str, first: datetime.date, last: datetime.date) -> list[str]:
    known = holidays.country_holidays(country, years=range(first.year, last.year + 1))
    return sorted(d.isoformat() for d in known if first <= d <= last)


def test_a_kenyan_host_gets_a_saturday_sunday_week_and_its_holidays() -> None:
    first, last = next_year(4, 1), next_year(6, 30)
    mission = make_mission(
        beneficiaries=[make_member("KE")], window=(first, last, 5), location="Nairobi, Kenya"
    )
    problem = problem_build(missions=[mission]).problem
    assert problem_errors(problem) == []
    calendar = _entry(problem, mission.reference)["calendar"]
    assert calendar["weekend"] == [6, 7]  # ISO weekdays: Saturday, Sunday
    assert calendar.get("holidays", []) == _public_holidays("KE", first, last)
    assert "remote" not in _entry(problem, mission.reference)
    # Every start the planner may pick is a Kenyan working day.
    parsed = parse_problem(problem)
    public = set(calendar.get("holidays", []))
    for day in parsed.missions[0].start_days():
        start = datetime.date.fromisoformat(parsed.iso(day))
        assert start.isoweekday() < 6 and start.isoformat() not in public


def test_a_saudi_host_gets_a_friday_saturday_week() -> None:
    first, last = next_year(5, 1), next_year(5, 31)
    saudi = make_mission(beneficiaries=[make_member("SA")], window=(first, last, 3))
    # A regional mission held in Riyadh for Morocco and Tunisia: the venue decides.
    venue = make_mission(
        beneficiaries=[make_member("MA"), make_member("TN")],
        start=first,
        end=first + datetime.timedelta(days=2),
        location="Riyadh, Saudi Arabia",
    )
    problem = problem_build(missions=[saudi, venue]).problem
    assert problem_errors(problem) == []
    for mission in (saudi, venue):
        assert _entry(problem, mission.reference)["calendar"]["weekend"] == [5, 6]
    assert _entry(problem, saudi.reference)["calendar"].get("holidays", []) == _public_holidays(
        "SA", first, last
    )


def test_the_host_is_the_location_country_else_the_first_beneficiary() -> None:
    assert host_country("Nairobi, Kenya", ["MA"]) == "KE"
    assert host_country("Riyadh (SA)", ["MA"]) == "SA"
    assert host_country("KEN", ["MA"]) == "KE"
    assert host_country("Remote", ["MA", "TN"]) == "MA"
    assert host_country("", ["SN"]) == "SN"


def test_a_remote_mission_is_marked_remote() -> None:
    mission = make_mission(
        beneficiaries=[make_member("KE")], type=MissionType.REMOTE, location="Remote"
    )
    entry = _entry(problem_build(missions=[mission]).problem, mission.reference)
    assert entry["remote"] is True
    assert entry["calendar"]["weekend"] == [6, 7]


def test_a_window_without_enough_working_days_is_left_out() -> None:
    thursday = next_year(6, 1)
    thursday += datetime.timedelta(days=(3 - thursday.weekday()) % 7)
    # Thursday to Wednesday: five working days only across the weekend, which a five-day
    # mission may not straddle.
    mission = make_mission(
        beneficiaries=[make_member("KE")],
        window=(thursday, thursday + datetime.timedelta(days=6), 5),
    )
    built = problem_build(missions=[mission])
    assert built.problem["missions"] == []
    assert [(x["mission"], x["code"]) for x in built.left_out] == [
        (mission.reference, "planning.left_out.window_short_working")
    ]
    assert built.left_out[0]["params"]["country"] == "KE"
    assert "does not hold its 5 working days (calendar of Kenya" in left_out_reason(
        built.left_out[0]
    )
