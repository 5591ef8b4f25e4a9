"""Property: whatever the generator makes, every returned plan passes the checker."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renfort.planner.candidates import ExpertArrays, build_candidates
from renfort.planner.check import check_plan
from renfort.planner.generate import generate
from renfort.planner.greedy import greedy
from renfort.planner.solve import solve
from renfort.planner.tests.test_greedy import as_plan
from renfort.planner.validate import parse_problem, schema


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    missions=st.integers(1, 25),
    experts=st.integers(1, 40),
    seed=st.integers(0, 10_000),
    scarce=st.booleans(),
    travel=st.integers(0, 3),
    pins=st.integers(0, 2),
)
def test_generated_plans_pass_the_checker(
    missions: int, experts: int, seed: int, scarce: bool, travel: int, pins: int
) -> None:
    doc = generate(missions, experts, seed, scarce=scarce)
    doc["settings"]["travel_days"] = travel
    # Pin a few assignments taken from a greedy plan, so the pins can hold.
    problem = parse_problem(doc)
    arrays = ExpertArrays.build(problem)
    base = greedy(problem, arrays, build_candidates(problem, arrays))
    assert base is not None
    chosen = sorted(base.experts.items())[:pins]
    doc["pinned"] = [
        {"slot": problem.missions[m].slots[0].id, "expert": problem.experts[staff[0]].id}
        for m, staff in chosen
    ]
    plan = solve(doc, time_limit_s=0.5, workers=1)
    jsonschema.validate(plan, schema("solution"))
    assert plan["status"] in ("optimal", "feasible")
    assert check_plan(doc, plan) == []
    objective = plan["objective"]
    assert objective["primary"] >= base.primary(problem)
    assert objective["primary"] <= objective["primary_bound"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    missions=st.integers(2, 25),
    experts=st.integers(2, 40),
    seed=st.integers(0, 10_000),
    scarce=st.booleans(),
    pick=st.integers(0, 1_000),
)
def test_replans_after_a_withdrawal_pass_the_checker(
    missions: int, experts: int, seed: int, scarce: bool, pick: int
) -> None:
    doc = generate(missions, experts, seed, scarce=scarce)
    first = solve(doc, time_limit_s=0.3, workers=1)
    gone = doc["experts"][pick % len(doc["experts"])]["id"]
    doc["experts"] = [e for e in doc["experts"] if e["id"] != gone]
    second = solve(doc, time_limit_s=0.3, workers=1, previous=first)
    assert second["status"] in ("optimal", "feasible")
    assert check_plan(doc, second) == []
    assert all(a["expert"] != gone for m in second["missions"] for a in m.get("assignments") or [])


def test_the_checker_catches_a_tampered_plan() -> None:
    doc = generate(30, 60, 7)
    plan = solve(doc, time_limit_s=1, workers=1)
    assert check_plan(doc, plan) == []
    rng = random.Random(1)
    staffed = [m for m in plan["missions"] if m["staffed"] and len(m["assignments"]) > 1]
    victim = rng.choice(staffed)
    victim["assignments"][1]["expert"] = victim["assignments"][0]["expert"]
    violations = check_plan(doc, plan)
    assert any("holds two slots" in v for v in violations)


def _days_by_year(plan: dict[str, Any]) -> dict[tuple[str, str], int]:
    """(expert, year) -> mission days that year, counted day by day from the plan's dates."""
    days: dict[tuple[str, str], int] = {}
    for m in plan["missions"]:
        if not m["staffed"]:
            continue
        first, last = date.fromisoformat(m["start"]), date.fromisoformat(m["end"])
        for a in m["assignments"]:
            for k in range((last - first).days + 1):
                key = (a["expert"], str((first + timedelta(days=k)).year))
                days[key] = days.get(key, 0) + 1
    return days


def _assert_caps_and_exclusions(doc: dict[str, Any], plan: dict[str, Any]) -> None:
    assert check_plan(doc, plan) == []
    caps = {e["id"]: e.get("max_days_by_year", {}) for e in doc["experts"]}
    for (eid, year), days in _days_by_year(plan).items():
        assert days <= caps[eid].get(year, days)
    excluded = {
        s["id"]: set(s.get("excluded_experts", ())) for m in doc["missions"] for s in m["slots"]
    }
    for m in plan["missions"]:
        for a in m.get("assignments") or []:
            assert a["expert"] not in excluded[a["slot"]]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    missions=st.integers(1, 25),
    experts=st.integers(1, 40),
    seed=st.integers(0, 10_000),
    scarce=st.booleans(),
    pick=st.integers(0, 1_000),
)
def test_plans_keep_per_year_caps_and_exclusions(
    missions: int, experts: int, seed: int, scarce: bool, pick: int
) -> None:
    doc = generate(missions, experts, seed, scarce=scarce, year_caps=True, exclusions=True)
    problem = parse_problem(doc)
    arrays = ExpertArrays.build(problem)
    cands = build_candidates(problem, arrays)
    for smart in (False, True):
        schedule = greedy(problem, arrays, cands, smart=smart)
        assert schedule is not None
        _assert_caps_and_exclusions(doc, as_plan(problem, schedule))
    plan = solve(doc, time_limit_s=0.5, workers=1)
    assert plan["status"] in ("optimal", "feasible")
    assert plan["objective"]["primary"] <= plan["objective"]["primary_bound"]
    _assert_caps_and_exclusions(doc, plan)
    # The holder of one assignment withdraws from that slot: a re-plan must not keep them.
    held = [(a["slot"], a["expert"]) for m in plan["missions"] for a in m.get("assignments") or []]
    if held:
        slot_id, eid = held[pick % len(held)]
        for m in doc["missions"]:
            for s in m["slots"]:
                if s["id"] == slot_id:
                    s["excluded_experts"] = sorted({*s.get("excluded_experts", ()), eid})
        again = solve(doc, time_limit_s=0.3, workers=1, previous=plan)
        assert again["status"] in ("optimal", "feasible")
        _assert_caps_and_exclusions(doc, again)
