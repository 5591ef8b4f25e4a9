"""The reported bound is proven: never below what an exhaustive solve achieves."""

from __future__ import annotations

import pytest

from renfort.planner import solve as solve_module
from renfort.planner.check import check_plan
from renfort.planner.domain import ProgressEvent
from renfort.planner.generate import generate
from renfort.planner.solve import solve


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bound_holds_when_candidate_lists_are_cut(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = generate(40, 60, seed, scarce=True)
    exact = solve(doc, time_limit_s=3, workers=1)
    assert exact["stats"]["pruned"] is False
    # Cut the candidate lists hard: the bound must still cover the whole problem.
    monkeypatch.setattr(solve_module, "PAIR_BUDGET", 20)
    monkeypatch.setattr(solve_module, "MIN_PER_SLOT", 1)
    cut = solve(doc, time_limit_s=2, workers=1)
    assert cut["stats"]["pruned"] is True
    assert check_plan(doc, cut) == []
    best = max(exact["objective"]["primary"], cut["objective"]["primary"])
    assert cut["objective"]["primary_bound"] >= best
    assert exact["objective"]["primary_bound"] >= best
    if exact["status"] == "optimal":
        assert cut["objective"]["primary_bound"] >= exact["objective"]["primary"]


def test_progress_reports_primary_and_bound() -> None:
    events: list[ProgressEvent] = []
    solve(generate(30, 50, 5, scarce=True), time_limit_s=1, workers=1, progress=events.append)
    assert events
    assert all(e.bound is None or e.primary <= e.bound for e in events)
