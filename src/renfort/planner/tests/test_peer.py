"""The Timefold peer keeps the exchange format's optional fields: host calendars, remote
missions, per-year caps and exclusions. Each case is built so that ignoring the field would
pay, and every plan goes through the checker. Skipped where Timefold is not installed (it is
the ``bench`` extra)."""

from __future__ import annotations

from typing import Any

import pytest

from renfort.planner.bench import baseline_plan
from renfort.planner.check import check_plan
from renfort.planner.generate import generate
from renfort.planner.solve import solve
from renfort.planner.tests.factories import entry, expert, mission, problem, slot, staffed

pytest.importorskip("timefold.solver")

SAT_SUN = {"weekend": [6, 7]}


def peer_plan(doc: dict[str, Any]) -> dict[str, Any]:
    plan = baseline_plan("timefold", doc, 1.0)
    assert check_plan(doc, plan) == []
    return plan


def test_per_year_caps_hold_across_the_new_year() -> None:
    doc = problem(
        [expert("E1", max_days_by_year={"2026": 3, "2027": 3})],
        [
            mission("M1", "2026-12-07", "2026-12-09"),  # 3 days in 2026
            mission("M2", "2026-12-14", "2026-12-16"),  # 3 more in 2026
            mission("M3", "2026-12-30", "2027-01-01"),  # 2 in 2026, 1 in 2027
            mission("M4", "2027-01-11", "2027-01-13"),  # 3 in 2027
        ],
    )
    plan = peer_plan(doc)
    # At most one of M1, M2, M3 in 2026's 3 days; M3's day in 2027 leaves no room for M4.
    assert len(staffed(plan)) == 2


def test_host_calendar_starts_and_spans() -> None:
    doc = problem(
        [expert("E1", max_days=6)],
        [
            # Wed 3 or Mon 8: a 3-working-day mission may not straddle the weekend.
            mission("M1", window=["2027-03-03", "2027-03-10"], duration_days=3, calendar=SAT_SUN),
            mission("M2", "2027-03-03", "2027-03-05"),
            # May straddle: from Thu 11 or Fri 12 it spans 5 calendar days, from Mon 15 three;
            # E1 has 6 released days, 3 of them for M2 or M1.
            mission(
                "M3",
                window=["2027-03-11", "2027-03-17"],
                duration_days=3,
                calendar=SAT_SUN,
                straddle_weekend=True,
                slots=[slot("M3-1")],
            ),
        ],
    )
    plan = peer_plan(doc)
    assert entry(plan, "M3")["start"] == "2027-03-15"
    assert len(staffed(plan)) == 2


def test_remote_missions_need_no_travel_days_between_them() -> None:
    doc = problem(
        [expert("E1")],
        [
            mission("M1", "2027-03-01", "2027-03-03", remote=True),
            mission("M2", "2027-03-04", "2027-03-05", remote=True, priority=2),
            mission("M3", "2027-03-06", "2027-03-07"),  # on site: travel day after M2
        ],
    )
    assert set(staffed(peer_plan(doc))) == {"M1", "M2"}


def test_an_excluded_expert_never_holds_the_slot() -> None:
    """The candidate lists the peer gets already leave excluded experts out."""
    doc = problem(
        [expert("E1", skills={"customs_valuation": 4}), expert("E2")],
        [mission("M1", slots=[slot("M1-1", excluded_experts=["E1"])])],
    )
    assert staffed(peer_plan(doc)) == {"M1": {"M1-1": "E2"}}


@pytest.mark.parametrize("scarce", [False, True])
def test_every_solver_keeps_every_option_on_generated_problems(scarce: bool) -> None:
    doc = generate(30, 90, 2027, scarce=scarce, calendars=True, year_caps=True, exclusions=True)
    assert check_plan(doc, solve(doc, time_limit_s=2, workers=1)) == []
    assert check_plan(doc, baseline_plan("greedy", doc, 1.0)) == []
    peer_plan(doc)
