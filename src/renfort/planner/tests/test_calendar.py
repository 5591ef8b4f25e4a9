"""Working weeks, public holidays and remote missions: each case built so that ignoring the rule
would pay, every plan re-checked by the checker.

Dates: March 2027 starts on a Monday; 6-7 and 13-14 March are a Saturday and a Sunday.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from renfort.planner.candidates import ExpertArrays, build_candidates
from renfort.planner.check import check_plan
from renfort.planner.generate import generate
from renfort.planner.greedy import greedy
from renfort.planner.model import build_model
from renfort.planner.solve import solve
from renfort.planner.tests.factories import entry, expert, mission, problem, staffed
from renfort.planner.validate import parse_problem, problem_errors

SAT_SUN = {"weekend": [6, 7]}
FRI_SAT = {"weekend": [5, 6]}


def plan_of(doc: dict[str, Any]) -> dict[str, Any]:
    plan = solve(doc, time_limit_s=2, workers=1)
    assert check_plan(doc, plan) == []
    return plan


def dates(plan: dict[str, Any], mid: str) -> tuple[str, str]:
    m = entry(plan, mid)
    return m["start"], m["end"]


def windowed(mid: str, first: str, last: str, days: int, **extra: Any) -> dict[str, Any]:
    return mission(mid, window=[first, last], duration_days=days, **extra)


def greedy_dates(doc: dict[str, Any]) -> dict[str, str]:
    """mission id -> start chosen by first-fit greedy."""
    p = parse_problem(doc)
    arrays = ExpertArrays.build(p)
    schedule = greedy(p, arrays, build_candidates(p, arrays))
    assert schedule is not None
    return {p.missions[m].id: p.iso(s) for m, s in schedule.start.items()}


def model_dates(doc: dict[str, Any]) -> dict[str, str]:
    """mission id -> start in the CP-SAT model's optimum alone (no greedy plan behind it)."""
    p = parse_problem(doc)
    arrays = ExpertArrays.build(p)
    cands = build_candidates(p, arrays)
    pm = build_model(p, arrays, cands, list(cands.experts))
    pm.cp.maximize(pm.primary)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(pm.cp) == cp_model.OPTIMAL
    return {
        p.missions[m].id: p.iso(int(solver.value(pm.start[m])))
        for m, var in enumerate(pm.staffed)
        if solver.boolean_value(var)
    }


def straddle_case(**extra: Any) -> dict[str, Any]:
    """One expert, no travel days. W: five working days in Thu 4 .. Fri 12 March; F: fixed on
    Thu 11 - Fri 12. Straddling the weekend (Thu 4 - Wed 10) would let both happen."""
    return problem(
        [expert("E1")],
        [
            windowed("W", "2027-03-04", "2027-03-12", 5, calendar=SAT_SUN, **extra),
            mission("F", "2027-03-11", "2027-03-12"),
        ],
        settings={"travel_days": 0},
    )


def test_a_short_mission_never_straddles_a_weekend() -> None:
    plan = plan_of(straddle_case())
    assert plan["objective"]["primary"] == 1
    if "W" in staffed(plan):
        assert dates(plan, "W") == ("2027-03-08", "2027-03-12")
    for found in (greedy_dates(straddle_case()), model_dates(straddle_case())):
        assert found.get("W", "2027-03-08") == "2027-03-08"


def test_five_working_days_across_a_weekend_span_seven_days_when_allowed() -> None:
    plan = plan_of(straddle_case(straddle_weekend=True))
    assert set(staffed(plan)) == {"W", "F"}
    assert dates(plan, "W") == ("2027-03-04", "2027-03-10")  # Thu .. Wed: 7 calendar days
    assert model_dates(straddle_case(straddle_weekend=True)) == {
        "W": "2027-03-04",
        "F": "2027-03-11",
    }


def test_a_mission_occupies_every_day_of_its_span() -> None:
    # Wherever W starts, its five working days cover Tuesday 9 (F) or Tuesday 16 (G): from
    # Wednesday 10 they run to Tuesday 16, not Sunday 14.
    doc = problem(
        [expert("E1")],
        [
            windowed("W", "2027-03-04", "2027-03-19", 5, calendar=SAT_SUN, straddle_weekend=True),
            mission("F", "2027-03-09", "2027-03-09"),
            mission("G", "2027-03-16", "2027-03-16"),
        ],
        settings={"travel_days": 0},
    )
    assert plan_of(doc)["objective"]["primary"] == 2
    assert len(greedy_dates(doc)) == len(model_dates(doc)) == 2


def test_a_long_mission_may_straddle_by_default() -> None:
    doc = problem([expert("E1")], [windowed("W", "2027-03-04", "2027-03-19", 6, calendar=SAT_SUN)])
    assert dates(plan_of(doc), "W") == ("2027-03-04", "2027-03-11")


def test_a_friday_saturday_weekend_is_honoured() -> None:
    # Sunday 7 March is a working day there, Friday 5 and Saturday 6 are not.
    alone = problem(
        [expert("E1")], [windowed("W", "2027-03-04", "2027-03-11", 5, calendar=FRI_SAT)]
    )
    assert dates(plan_of(alone), "W") == ("2027-03-07", "2027-03-11")
    # F on Thursday 11: a Saturday-Sunday reading (or none) would fit W before it.
    busy = copy.deepcopy(alone)
    busy["missions"].append(mission("F", "2027-03-11", "2027-03-11"))
    busy["settings"]["travel_days"] = 0
    plan = plan_of(busy)
    assert plan["objective"]["primary"] == 1
    assert "W" not in staffed(plan) or dates(plan, "W") == ("2027-03-07", "2027-03-11")
    assert model_dates(busy).get("W", "2027-03-07") == "2027-03-07"


def test_a_public_holiday_is_never_a_first_day() -> None:
    # Monday 8 is a holiday; E1 is away from Thursday 11: only a Monday start would fit.
    calendar = {"weekend": [6, 7], "holidays": ["2027-03-08"]}
    doc = problem(
        [expert("E1", unavailable=[["2027-03-11", "2027-03-12"]])],
        [windowed("W", "2027-03-08", "2027-03-12", 3, calendar=calendar)],
    )
    assert staffed(plan_of(doc)) == {}
    assert "W" not in greedy_dates(doc) and "W" not in model_dates(doc)
    doc["experts"][0].pop("unavailable")
    assert dates(plan_of(doc), "W") == ("2027-03-09", "2027-03-11")


def test_a_holiday_inside_a_mission_lengthens_it() -> None:
    calendar = {"weekend": [6, 7], "holidays": ["2027-03-03"]}
    doc = problem([expert("E1")], [windowed("W", "2027-03-01", "2027-03-05", 3, calendar=calendar)])
    assert dates(plan_of(doc), "W") == ("2027-03-01", "2027-03-04")


def test_remote_missions_need_no_travel_days() -> None:
    def case(first_remote: bool, second_remote: bool) -> dict[str, Any]:
        return problem(
            [expert("E1")],
            [
                mission("M1", "2027-03-01", "2027-03-05", remote=first_remote),
                mission("M2", "2027-03-06", "2027-03-08", remote=second_remote),
            ],
            settings={"travel_days": 2},
        )

    assert set(staffed(plan_of(case(True, True)))) == {"M1", "M2"}
    assert set(model_dates(case(True, True))) == {"M1", "M2"}
    # An on-site mission keeps its travel days, next to a remote one too.
    for first_remote in (True, False):
        doc = case(first_remote, not first_remote)
        assert len(staffed(plan_of(doc))) == 1
        assert len(model_dates(doc)) == 1


def test_a_windowed_remote_mission_starts_right_after_another() -> None:
    doc = problem(
        [expert("E1")],
        [
            mission("M1", "2027-03-01", "2027-03-05", remote=True, priority=5),
            windowed("W", "2027-03-06", "2027-03-10", 3, remote=True),
            mission("M3", "2027-03-10", "2027-03-12", remote=True, priority=5),
        ],
        settings={"travel_days": 2},
    )
    plan = plan_of(doc)
    assert set(staffed(plan)) == {"M1", "W", "M3"}
    assert dates(plan, "W") == ("2027-03-06", "2027-03-08")
    assert greedy_dates(doc)["W"] == "2027-03-06"
    assert model_dates(doc) == {"M1": "2027-03-01", "W": "2027-03-06", "M3": "2027-03-10"}


def _valid(doc: dict[str, Any]) -> dict[str, Any]:
    plan = solve(doc, time_limit_s=1, workers=1)
    assert check_plan(doc, plan) == []
    return plan


def _moved(doc: dict[str, Any], mid: str, start: str, end: str) -> list[str]:
    plan = _valid(doc)
    m = entry(plan, mid)
    m["start"], m["end"] = start, end
    return check_plan(doc, plan)


def test_the_checker_flags_each_calendar_violation() -> None:
    calendar = {"weekend": [6, 7], "holidays": ["2027-03-08"]}
    doc = problem([expert("E1")], [windowed("W", "2027-03-01", "2027-03-19", 3, calendar=calendar)])
    on_weekend = _moved(doc, "W", "2027-03-06", "2027-03-10")
    assert any("starts 2027-03-06, a weekend day" in v for v in on_weekend)
    on_holiday = _moved(doc, "W", "2027-03-08", "2027-03-10")
    assert any("starts 2027-03-08, a public holiday" in v for v in on_holiday)
    too_long = _moved(doc, "W", "2027-03-09", "2027-03-12")
    assert any(
        "holds 4 working days of its host calendar, the mission lasts 3" in v for v in too_long
    )
    straddling = _moved(doc, "W", "2027-03-04", "2027-03-09")
    assert any("runs over a weekend" in v for v in straddling)
    assert not any("working days of its host" in v for v in straddling)
    ends_on_sunday = _moved(doc, "W", "2027-03-03", "2027-03-07")
    assert any("ends 2027-03-07, a weekend day" in v for v in ends_on_sunday)
    outside = _moved(doc, "W", "2027-03-22", "2027-03-24")
    assert any("outside its window" in v for v in outside)


def test_the_checker_keeps_travel_days_next_to_an_on_site_mission() -> None:
    doc = problem(
        [expert("E1")],
        [
            mission("M1", "2027-03-01", "2027-03-05", remote=True),
            windowed("W", "2027-03-06", "2027-03-20", 3, remote=True),
        ],
        settings={"travel_days": 2},
    )
    assert _moved(doc, "W", "2027-03-06", "2027-03-08") == []
    on_site = copy.deepcopy(doc)
    on_site["missions"][1]["remote"] = False
    flagged = _moved(on_site, "W", "2027-03-06", "2027-03-08")
    assert any("fewer than 2 free travel day(s)" in v for v in flagged)
    overlap = _moved(doc, "W", "2027-03-05", "2027-03-07")
    assert any("both remote" in v for v in overlap)


def test_a_problem_without_calendars_gives_the_same_plan_as_before() -> None:
    """Plans recorded before calendars existed (same generator seeds, same solver settings)."""
    recorded = json.loads(
        (Path(__file__).parent / "data" / "plans_before_calendars.json").read_text()
    )
    for case in recorded:
        doc = generate(*case["generate"], scarce=case["scarce"])
        plan = solve(doc, time_limit_s=5, workers=1)
        assert check_plan(doc, plan) == []
        assert plan["objective"]["primary"] == case["primary"]
        got = {
            m["id"]: [m["start"], m["end"], {a["slot"]: a["expert"] for a in m["assignments"]}]
            for m in plan["missions"]
            if m["staffed"]
        }
        assert got == case["missions"]


def test_a_calendar_of_only_working_days_means_calendar_days() -> None:
    doc = generate(25, 30, 10, scarce=True)
    every_day = copy.deepcopy(doc)
    for m in every_day["missions"]:
        if "window" in m:
            m["calendar"] = {"weekend": []}
            m["straddle_weekend"] = True
    assert parse_problem(doc).missions == parse_problem(every_day).missions
    assert staffed(plan_of(doc)) == staffed(plan_of(every_day))


def test_calendar_fields_are_checked_by_name() -> None:
    doc = problem(
        [expert("E1")],
        [
            windowed("W", "2027-03-01", "2027-03-19", 3, calendar={"weekend": [0, 6]}),
            windowed(
                "V", "2027-03-01", "2027-03-19", 3, calendar={"weekend": [1, 2, 3, 4, 5, 6, 7]}
            ),
            windowed(
                "H", "2027-03-01", "2027-03-19", 3, calendar={"weekend": [6], "holidays": ["03/08"]}
            ),
        ],
    )
    errors = problem_errors(doc)
    assert (
        "missions[0].calendar.weekend[0]: 0 is not an ISO weekday (1 = Monday .. 7 = Sunday)"
        in errors
    )
    assert "missions[1].calendar.weekend: a week needs at least one working day" in errors
    assert any(
        e.startswith("missions[2].calendar.holidays[0]: '03/08' is not a calendar date")
        for e in errors
    )


def test_a_window_without_a_start_and_a_pinned_start_off_the_calendar_are_errors() -> None:
    doc = problem(
        [expert("E1")],
        [
            windowed("W", "2027-03-04", "2027-03-10", 5, calendar=SAT_SUN),
            windowed(
                "P",
                "2027-03-01",
                "2027-03-19",
                3,
                calendar={"weekend": [6, 7], "holidays": ["2027-03-09"]},
            ),
            windowed("S", "2027-03-01", "2027-03-19", 3, straddle_weekend=True),
        ],
        pinned=[
            {"slot": "P-1", "expert": "E1", "start": "2027-03-06"},
        ],
    )
    errors = problem_errors(doc)
    assert (
        "missions[0].window: 2027-03-04..2027-03-10 holds no 5 working days from a working day "
        "(weekend Sat-Sun, 0 public holidays) without straddling a weekend; widen the window or "
        "set straddle_weekend"
    ) in errors
    assert "missions[2].straddle_weekend: needs a calendar" in " ".join(errors)
    assert "pinned[0].start: mission 'P' may not start 2027-03-06, a weekend day" in " ".join(
        errors
    )
    for start, why in (("2027-03-09", "a public holiday"), ("2027-03-05", "straddle a weekend")):
        doc["pinned"][0]["start"] = start
        assert why in " ".join(problem_errors(doc))


def test_the_generator_makes_calendars_only_when_asked() -> None:
    plain = generate(40, 10, 4)
    assert not any("calendar" in m or "remote" in m for m in plain["missions"])
    doc = generate(40, 10, 4, calendars=True)
    assert problem_errors(doc) == []
    weekends = {tuple(m["calendar"]["weekend"]) for m in doc["missions"]}
    assert (5, 6) in weekends and (6, 7) in weekends
    assert any(m["calendar"].get("holidays") for m in doc["missions"])
    assert any(m.get("remote") for m in doc["missions"])
    # The same problem otherwise, but for widened windows.
    assert [m["id"] for m in plain["missions"]] == [m["id"] for m in doc["missions"]]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    missions=st.integers(1, 25),
    experts=st.integers(1, 40),
    seed=st.integers(0, 10_000),
    scarce=st.booleans(),
    travel=st.integers(0, 3),
)
def test_generated_plans_with_calendars_pass_the_checker(
    missions: int, experts: int, seed: int, scarce: bool, travel: int
) -> None:
    doc = generate(missions, experts, seed, scarce=scarce, calendars=True)
    doc["settings"]["travel_days"] = travel
    plan = solve(doc, time_limit_s=0.5, workers=1)
    assert plan["status"] in ("optimal", "feasible")
    assert check_plan(doc, plan) == []
    assert plan["objective"]["primary"] <= plan["objective"]["primary_bound"]
