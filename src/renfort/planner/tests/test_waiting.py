"""Someone waits on the answer (the web pages): the tie-breaks stop early, the plan stays good."""

from __future__ import annotations

import pytest

from renfort.planner.check import check_plan
from renfort.planner.generate import generate
from renfort.planner.solve import _Stall, solve


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_waiting_watch_counts_from_the_start_of_the_pass() -> None:
    clock = FakeClock()
    watch = _Stall(0.5, began=0.0, clock=clock)
    clock.now = 0.4
    assert not watch.stalled()
    clock.now = 0.6  # no better tie-break since the pass began, even without any solution
    assert watch.stalled()
    watch.on_solution_callback()  # a better one resets the watch
    clock.now = 1.0
    assert not watch.stalled()
    clock.now = 1.2
    assert watch.stalled()


def test_the_default_watch_waits_for_the_first_solution() -> None:
    clock = FakeClock()
    watch = _Stall(1.0, clock=clock)
    clock.now = 60.0  # a long presolve is never cut short
    assert not watch.stalled()
    watch.on_solution_callback()
    clock.now = 61.5
    assert watch.stalled()


@pytest.mark.parametrize("scarce", [False, True])
def test_stopping_the_tie_breaks_at_once_keeps_a_valid_plan_with_the_primary_optimal(
    scarce: bool,
) -> None:
    doc = generate(40, 120, 11, scarce=scarce)
    plan = solve(doc, time_limit_s=5, workers=1, stall_s=0.0, tie_break_s=0.0)
    assert check_plan(doc, plan) == []
    assert plan["status"] == "optimal"
    assert plan["objective"]["primary"] == plan["objective"]["primary_bound"]
    assert plan["stats"]["pass2_stall_s"] == 0.0
    # Every assignment still carries its fit and explanation, as after a full pass 2.
    for entry in plan["missions"]:
        for a in entry["assignments"]:
            assert a["fit"] >= 1.0 and a["explanation"]


def test_a_waiting_replan_keeps_the_previous_plan_where_it_can() -> None:
    doc = generate(40, 120, 11)
    first = solve(doc, time_limit_s=5, workers=1, stall_s=0.0, tie_break_s=0.0)
    again = solve(doc, time_limit_s=5, workers=1, previous=first, stall_s=0.0, tie_break_s=0.0)
    assert check_plan(doc, again) == []
    assert again["objective"]["primary"] == first["objective"]["primary"]
    assert again["objective"]["secondary"]["previous_changed"] == 0
