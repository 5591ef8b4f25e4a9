"""Odd but valid input: the planner still answers with a valid plan."""

from __future__ import annotations

from typing import Any

import pytest

from renfort.planner.check import check_plan
from renfort.planner.domain import ProgressEvent
from renfort.planner.solve import solve
from renfort.planner.tests.factories import expert, mission, problem, slot, staffed

CASES: dict[str, dict[str, Any]] = {
    "no experts, no missions": {"experts": [], "missions": []},
    "no experts": problem([], [mission("M1")]),
    "no missions": problem([expert("E1")], []),
    "released for no days": problem([expert("E1", max_days=0)], [mission("M1")]),
    "a slot with no topic": problem(
        [expert("E1", skills={})], [mission("M1", slots=[slot("M1-1", skills={})])]
    ),
    "travel days beyond any horizon": problem(
        [expert("E1")],
        [mission("M1"), mission("M2", "2027-09-01", "2027-09-02")],
        settings={"travel_days": 10**12, "seed": 10**15},
    ),
    "unavailable long before and after": problem(
        [expert("E1", unavailable=[["1990-01-01", "1990-02-01"], ["2090-01-01", "2090-02-01"]])],
        [mission("M1")],
    ),
    "every mission wants the same expert": problem(
        [expert("E1")],
        [mission(f"M{k}", window=["2027-03-01", "2027-03-31"], duration_days=4) for k in range(8)],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_odd_problems_get_valid_plans(name: str) -> None:
    doc = CASES[name]
    plan = solve(doc, time_limit_s=1, workers=1)
    assert plan["status"] in ("optimal", "feasible")
    assert check_plan(doc, plan) == []


def test_huge_travel_days_keep_one_mission_per_expert() -> None:
    plan = solve(CASES["travel days beyond any horizon"], time_limit_s=1)
    assert len(staffed(plan)) == 1


def test_a_failing_progress_callback_does_not_cost_the_plan() -> None:
    def broken(event: ProgressEvent) -> None:
        raise RuntimeError("display went away")

    plan = solve(CASES["every mission wants the same expert"], time_limit_s=1, progress=broken)
    assert plan["status"] in ("optimal", "feasible")
    # 31 days, 4-day missions and a travel day between them: six fit.
    assert plan["objective"]["primary"] == 6
