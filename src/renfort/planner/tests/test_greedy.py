"""The greedy plans and the fit polish keep every hard constraint on their own."""

from __future__ import annotations

import time
from typing import Any

import pytest

from renfort.planner import solve as solve_module
from renfort.planner.candidates import ExpertArrays, build_candidates
from renfort.planner.check import check_plan
from renfort.planner.domain import Problem, Schedule
from renfort.planner.generate import generate
from renfort.planner.greedy import Board, greedy
from renfort.planner.validate import parse_problem


def as_plan(problem: Problem, schedule: Schedule) -> dict[str, Any]:
    arrays = ExpertArrays.build(problem)
    cands = build_candidates(problem, arrays)
    board = Board(problem, arrays, cands)
    for m, staff in schedule.experts.items():
        board.place(m, schedule.start[m], staff)
    return solve_module._plan(problem, arrays, cands, schedule, board, "feasible", 0, None, {})


@pytest.mark.parametrize(("seed", "scarce"), [(1, False), (2, True), (3, True)])
def test_both_greedies_and_the_polish_keep_the_rules(seed: int, scarce: bool) -> None:
    doc = generate(80, 120, seed, scarce=scarce)
    doc["settings"]["travel_days"] = 2
    problem = parse_problem(doc)
    arrays = ExpertArrays.build(problem)
    cands = build_candidates(problem, arrays)
    for smart in (False, True):
        schedule = greedy(problem, arrays, cands, smart=smart)
        assert schedule is not None
        assert check_plan(doc, as_plan(problem, schedule)) == []

    schedule = greedy(problem, arrays, cands)
    assert schedule is not None
    board = Board(problem, arrays, cands)
    for m, staff in schedule.experts.items():
        board.place(m, schedule.start[m], staff)
    before = as_plan(problem, schedule)["objective"]["secondary"]
    board.polish_fit(set(), time.perf_counter() + 5)
    after = as_plan(problem, board.schedule)
    assert check_plan(doc, after) == []
    secondary = after["objective"]["secondary"]
    assert secondary["fit_total"] >= before["fit_total"]
    assert (
        secondary["distinct_countries_preferred_missed"]
        <= before["distinct_countries_preferred_missed"]
    )
    assert after["objective"]["primary"] == as_plan(problem, schedule)["objective"]["primary"]


def test_greedy_baseline_is_first_fit_in_file_order() -> None:
    doc = generate(1, 0, 1)
    doc["missions"][0]["slots"] = doc["missions"][0]["slots"][:1]
    slot = doc["missions"][0]["slots"][0]
    doc["experts"] = [
        {
            "id": eid,
            "country": "ZZ",
            "categories": [slot["category"]],
            "languages": [doc["missions"][0]["language"]],
            "skills": dict.fromkeys(slot["skills"], 4),
        }
        for eid in ("E3", "E1", "E2")
    ]
    problem = parse_problem(doc)
    arrays = ExpertArrays.build(problem)
    schedule = greedy(problem, arrays, build_candidates(problem, arrays))
    assert schedule is not None
    assert [problem.experts[e].id for e in schedule.experts[0].values()] == ["E3"]
