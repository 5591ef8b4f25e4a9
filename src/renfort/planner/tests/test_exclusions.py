"""Experts a slot excludes (``excluded_experts``) are never placed there, by any solver path.

E1 is the best fit and comes first in the file, so every path that ignored the exclusion
would pick E1: CP-SAT for the fit, first-fit for the order, the polish for the fit, a re-plan
for stability.
"""

from __future__ import annotations

import copy
from typing import Any

from renfort.planner.candidates import ExpertArrays, build_candidates
from renfort.planner.check import check_plan
from renfort.planner.domain import Schedule
from renfort.planner.greedy import greedy
from renfort.planner.solve import _top_up, solve
from renfort.planner.tests.factories import entry, expert, mission, problem, slot, staffed
from renfort.planner.tests.test_greedy import as_plan
from renfort.planner.validate import parse_problem, problem_errors


def excluding_e1() -> dict[str, Any]:
    return problem(
        [expert("E1", skills={"customs_valuation": 4}), expert("E2", "FR")],
        [mission("M1", slots=[slot("M1-1", excluded_experts=["E1"])])],
    )


def test_cp_sat_never_proposes_an_excluded_expert() -> None:
    doc = excluding_e1()
    plan = solve(doc, time_limit_s=2, workers=1)
    assert check_plan(doc, plan) == []
    assert staffed(plan) == {"M1": {"M1-1": "E2"}}
    # Without the exclusion the better fit wins: the rule is what keeps E1 out.
    doc["missions"][0]["slots"][0].pop("excluded_experts")
    assert staffed(solve(doc, time_limit_s=2, workers=1)) == {"M1": {"M1-1": "E1"}}


def test_a_slot_that_excludes_everyone_stays_unstaffed() -> None:
    doc = excluding_e1()
    doc["missions"][0]["slots"][0]["excluded_experts"] = ["E1", "E2"]
    plan = solve(doc, time_limit_s=1, workers=1)
    assert check_plan(doc, plan) == []
    assert staffed(plan) == {}
    assert "0 not excluded from the slot" in entry(plan, "M1")["reasons"][0]


def test_the_greedy_fallback_never_proposes_an_excluded_expert() -> None:
    doc = excluding_e1()
    parsed = parse_problem(doc)
    arrays = ExpertArrays.build(parsed)
    cands = build_candidates(parsed, arrays)
    for smart in (False, True):
        schedule = greedy(parsed, arrays, cands, smart=smart)
        assert schedule is not None
        assert staffed(as_plan(parsed, schedule)) == {"M1": {"M1-1": "E2"}}
    board = _top_up(parsed, arrays, cands, Schedule())
    board.polish_fit(set(), float("inf"))
    plan = as_plan(parsed, board.schedule)
    assert check_plan(doc, plan) == []
    assert staffed(plan) == {"M1": {"M1-1": "E2"}}


def test_a_greedy_only_run_never_proposes_an_excluded_expert() -> None:
    # Too little time for CP-SAT: the greedy plan meets the bound (pass 1 skipped) and pass 2
    # has no time, so the plan is the greedy one, fit-polished.
    doc = excluding_e1()
    plan = solve(doc, time_limit_s=0.01, workers=1)
    assert plan["stats"]["cp_status"].startswith("skipped")
    assert "pass2_status" not in plan["stats"]
    assert check_plan(doc, plan) == []
    assert staffed(plan) == {"M1": {"M1-1": "E2"}}


def test_a_replan_drops_an_expert_excluded_since_the_previous_plan() -> None:
    doc = excluding_e1()
    doc["missions"][0]["slots"][0].pop("excluded_experts")
    first = solve(doc, time_limit_s=1, workers=1)
    assert staffed(first) == {"M1": {"M1-1": "E1"}}
    # E1 withdraws from M1; stability would keep E1, the exclusion must win.
    doc["missions"][0]["slots"][0]["excluded_experts"] = ["E1"]
    for limit in (1.0, 0.01):  # with CP-SAT, and greedy only
        second = solve(doc, time_limit_s=limit, workers=1, previous=first)
        assert check_plan(doc, second) == []
        assert staffed(second) == {"M1": {"M1-1": "E2"}}
        assert second["objective"]["secondary"]["previous_changed"] == 1


def test_an_excluded_expert_elsewhere_in_the_mission_is_still_placed() -> None:
    doc = problem(
        [expert("E1"), expert("E2", "FR")],
        [mission("M1", slots=[slot("M1-1", excluded_experts=["E1"]), slot("M1-2")])],
    )
    plan = solve(doc, time_limit_s=1, workers=1)
    assert check_plan(doc, plan) == []
    assert staffed(plan) == {"M1": {"M1-1": "E2", "M1-2": "E1"}}


def test_the_checker_flags_an_excluded_expert() -> None:
    doc = excluding_e1()
    plan = solve(doc, time_limit_s=1, workers=1)
    entry(plan, "M1")["assignments"][0]["expert"] = "E1"
    assert check_plan(doc, plan) == [
        "missions[0] (M1).assignments[0]: E1 is excluded from slot M1-1"
    ]


def test_a_pin_of_an_excluded_expert_is_an_error_naming_the_field() -> None:
    doc = excluding_e1()
    doc["pinned"] = [{"slot": "M1-1", "expert": "E1"}]
    message = (
        "pinned[0].expert: 'E1' is excluded from slot 'M1-1' "
        "(missions[0].slots[0].excluded_experts)"
    )
    assert problem_errors(doc) == [message]
    plan = solve(doc, time_limit_s=1)
    assert plan["status"] == "invalid" and plan["errors"] == [message]


def test_unknown_or_repeated_excluded_experts_are_named() -> None:
    doc = excluding_e1()
    unknown = copy.deepcopy(doc)
    unknown["missions"][0]["slots"][0]["excluded_experts"] = ["E1", "E9"]
    assert problem_errors(unknown) == [
        "missions[0].slots[0].excluded_experts[1]: no expert 'E9' in experts"
    ]
    twice = copy.deepcopy(doc)
    twice["missions"][0]["slots"][0]["excluded_experts"] = ["E1", "E1"]
    assert problem_errors(twice) == [
        "missions[0].slots[0].excluded_experts: lists the same value twice"
    ]
