"""Released days per calendar year (``max_days_by_year``), each case built so that ignoring
the rule would pay, every plan re-checked by the checker."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from renfort.planner.candidates import ExpertArrays, build_candidates
from renfort.planner.check import check_plan
from renfort.planner.greedy import greedy
from renfort.planner.solve import solve
from renfort.planner.tests.factories import entry, expert, mission, problem, staffed
from renfort.planner.tests.test_greedy import as_plan
from renfort.planner.validate import parse_problem, problem_errors


def plan_of(doc: dict[str, Any]) -> dict[str, Any]:
    plan = solve(doc, time_limit_s=2, workers=1)
    assert check_plan(doc, plan) == []
    return plan


def december_run() -> dict[str, Any]:
    """Planned in December for the next twelve months: E1 has 2 days left this year."""
    return problem(
        [expert("E1", max_days_by_year={"2026": 2, "2027": 8})],
        [
            mission("M1", "2026-12-07", "2026-12-09", priority=5),  # 3 days in 2026
            mission("M0", "2026-12-14", "2026-12-15"),  # 2 days in 2026
            mission("M2", "2027-02-01", "2027-02-05"),
            mission("M3", "2027-06-01", "2027-06-05", priority=5),  # 5 + 5 > 8 in 2027
            mission("M4", "2027-11-01", "2027-11-03"),
        ],
        pinned=[{"slot": "M2-1", "expert": "E1"}],
    )


def test_a_december_run_keeps_next_years_missions_within_both_caps() -> None:
    doc = december_run()
    plan = plan_of(doc)
    # Ignoring 2026's cap would staff M1 (priority 5), ignoring 2027's would staff M3.
    assert plan["status"] == "optimal"
    assert set(staffed(plan)) == {"M0", "M2", "M4"}
    assert "0 with enough yearly days left" in entry(plan, "M1")["reasons"][0]
    # The same days as one cap over the plan would let M1 in: the cap is per year.
    whole = copy.deepcopy(doc)
    whole["experts"][0] = expert("E1", max_days=10)
    assert "M1" in staffed(plan_of(whole))


def test_the_greedy_plans_keep_both_years_caps() -> None:
    doc = december_run()
    parsed = parse_problem(doc)
    arrays = ExpertArrays.build(parsed)
    cands = build_candidates(parsed, arrays)
    for smart in (False, True):
        schedule = greedy(parsed, arrays, cands, smart=smart)
        assert schedule is not None
        plan = as_plan(parsed, schedule)
        assert check_plan(doc, plan) == []
        assert not {"M1", "M3"} & set(staffed(plan))


def test_max_days_still_caps_the_whole_plan() -> None:
    doc = problem(
        [expert("E1", max_days=6, max_days_by_year={"2026": 10, "2027": 10})],
        [
            mission("M1", "2026-12-01", "2026-12-05"),
            mission("M2", "2027-01-11", "2027-01-15", priority=2),
        ],
    )
    assert staffed(plan_of(doc)) == {"M2": {"M2-1": "E1"}}


def new_year_window() -> dict[str, Any]:
    """Five days within 2026-12-28..2027-01-06: only a start on 30 December puts at most 2 of
    them in 2026 and at most 3 in 2027."""
    return problem(
        [expert("E1", max_days_by_year={"2026": 2, "2027": 3})],
        [mission("M1", window=["2026-12-28", "2027-01-06"], duration_days=5)],
    )


def test_a_mission_over_new_year_counts_its_days_in_both_years() -> None:
    doc = new_year_window()
    plan = plan_of(doc)
    m1 = entry(plan, "M1")
    assert m1["staffed"]
    assert (m1["start"], m1["end"]) == ("2026-12-30", "2027-01-03")

    parsed = parse_problem(doc)
    arrays = ExpertArrays.build(parsed)
    schedule = greedy(parsed, arrays, build_candidates(parsed, arrays))
    assert schedule is not None
    assert entry(as_plan(parsed, schedule), "M1")["start"] == "2026-12-30"


def test_the_split_of_a_window_over_new_year_leaves_room_for_another_mission() -> None:
    # First come, earliest start: the greedy puts M1 on 28 December (4 days in 2026, 1 in
    # 2027) and has no 2026 day left for M2. Both fit only if M1 starts on 30 December (2 days
    # in 2026, 3 in 2027): the model must count each start's split in both years.
    doc = problem(
        [expert("E1", max_days_by_year={"2026": 4, "2027": 3})],
        [
            mission("M1", window=["2026-12-26", "2027-01-06"], duration_days=5, priority=3),
            mission("M2", "2026-12-01", "2026-12-02"),
        ],
    )
    parsed = parse_problem(doc)
    arrays = ExpertArrays.build(parsed)
    schedule = greedy(parsed, arrays, build_candidates(parsed, arrays), smart=True)
    assert schedule is not None and schedule.primary(parsed) == 3
    plan = plan_of(doc)
    assert set(staffed(plan)) == {"M1", "M2"}
    assert entry(plan, "M1")["start"] == "2026-12-30"


def test_the_checker_flags_a_per_year_overrun() -> None:
    doc = new_year_window()
    plan = plan_of(doc)
    m1 = entry(plan, "M1")
    m1["start"], m1["end"] = "2026-12-28", "2027-01-01"
    assert check_plan(doc, plan) == ["expert E1: 4 mission days in 2026, released for 2 that year"]


def test_a_pin_beyond_a_years_cap_is_refused_naming_the_year() -> None:
    doc = problem(
        [expert("E1", max_days_by_year={"2026": 2})],
        [mission("M1", "2026-12-07", "2026-12-09")],
        pinned=[{"slot": "M1-1", "expert": "E1"}],
    )
    plan = solve(doc, time_limit_s=1)
    assert plan["status"] == "infeasible"
    assert any("2 days in 2026" in e for e in plan["errors"]), plan["errors"]
    assert check_plan(doc, plan) == []


def test_pins_that_overrun_a_year_together_say_so() -> None:
    doc = problem(
        [expert("E1", max_days_by_year={"2027": 6})],
        [mission("M1", "2027-03-01", "2027-03-05"), mission("M2", "2027-05-03", "2027-05-07")],
        pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M2-1", "expert": "E1"}],
    )
    plan = solve(doc, time_limit_s=1)
    assert plan["status"] == "infeasible"
    assert any("pinned to 10 mission days in 2027" in e for e in plan["errors"]), plan["errors"]
    assert check_plan(doc, plan) == []


@pytest.mark.parametrize(
    ("caps", "message"),
    [
        ({"27": 3}, "experts[0].max_days_by_year: '27' is not a four-digit year"),
        ({"2027": -1}, "experts[0].max_days_by_year.2027: -1 must be at least 0"),
        ({"2027": "3"}, "experts[0].max_days_by_year.2027: expected integer, got a string"),
        ([3], "experts[0].max_days_by_year: expected object, got a list"),
    ],
)
def test_bad_year_caps_are_named(caps: object, message: str) -> None:
    doc = problem([expert("E1", max_days_by_year=caps)], [mission("M1")])
    assert message in problem_errors(doc)
    plan = solve(doc, time_limit_s=1)
    assert plan["status"] == "invalid" and message in plan["errors"]


def test_a_problem_without_year_caps_means_the_same() -> None:
    doc = problem(
        [expert("E1", max_days=8)], [mission("M1"), mission("M2", "2027-04-01", "2027-04-05")]
    )
    capped = copy.deepcopy(doc)
    capped["experts"][0]["max_days_by_year"] = {"2031": 0}  # a year the plan does not touch
    assert staffed(plan_of(doc)) == staffed(plan_of(capped))
