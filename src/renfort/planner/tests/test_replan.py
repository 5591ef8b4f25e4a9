"""Re-planning after a withdrawal keeps every assignment it does not have to move."""

from __future__ import annotations

from renfort.planner.check import check_plan
from renfort.planner.generate import generate
from renfort.planner.solve import solve
from renfort.planner.tests.factories import expert, mission, problem, staffed


def test_withdrawal_changes_only_the_affected_missions() -> None:
    doc = generate(60, 150, 11)
    first = solve(doc, time_limit_s=2, workers=1)
    before = staffed(first)
    # The busiest expert withdraws.
    load: dict[str, int] = {}
    for slots in before.values():
        for eid in slots.values():
            load[eid] = load.get(eid, 0) + 1
    gone = max(load, key=lambda e: load[e])
    doc["experts"] = [e for e in doc["experts"] if e["id"] != gone]

    second = solve(doc, time_limit_s=2, workers=1, previous=first)
    assert check_plan(doc, second) == []
    after = staffed(second)
    affected = {m for m, slots in before.items() if gone in slots.values()}
    moved = {m for m, slots in before.items() if m not in affected and after.get(m) != slots}
    priority = {m["id"]: m.get("priority", 1) for m in doc["missions"]}
    kept_rest = first["objective"]["primary"] - sum(priority[m] for m in affected)
    # Another mission moves only when that staffs more than keeping it would.
    assert not moved or second["objective"]["primary"] > kept_rest
    assert second["objective"]["primary"] >= kept_rest
    secondary = second["objective"]["secondary"]
    assert secondary["previous_changed"] >= 1
    assigned = sum(len(s) for s in before.values())
    assert secondary["previous_kept"] + secondary["previous_changed"] == assigned


def test_replan_keeps_an_equal_alternative_as_it_was() -> None:
    doc = problem([expert("E1"), expert("E2", "FR")], [mission("M1")])
    first = solve(doc, time_limit_s=1)
    holder = staffed(first)["M1"]["M1-1"]
    again = solve(doc, time_limit_s=1, previous=first)
    assert staffed(again)["M1"]["M1-1"] == holder
    assert again["objective"]["secondary"]["previous_changed"] == 0


def test_replan_fills_the_gap_of_a_withdrawn_expert() -> None:
    doc = problem([expert("E1"), expert("E2", "FR")], [mission("M1")])
    first = solve(doc, time_limit_s=1)
    holder = staffed(first)["M1"]["M1-1"]
    doc["experts"] = [e for e in doc["experts"] if e["id"] != holder]
    second = solve(doc, time_limit_s=1, previous=first)
    assert staffed(second)["M1"]["M1-1"] != holder
    assert second["stats"]["previous_notes"]


def test_replan_after_a_mission_moves_or_is_added() -> None:
    experts = [expert("E1"), expert("E2", "FR"), expert("E3", "BE")]
    doc = problem(
        experts,
        [mission("M1", "2027-03-01", "2027-03-05"), mission("M2", "2027-04-01", "2027-04-05")],
    )
    first = solve(doc, time_limit_s=1)
    before = staffed(first)
    # M2 moves onto M1's dates and a new mission M3 arrives the same week.
    doc["missions"][1].update({"start": "2027-03-02", "end": "2027-03-04"})
    doc["missions"].append(mission("M3", "2027-03-01", "2027-03-03"))
    second = solve(doc, time_limit_s=1, previous=first)
    assert check_plan(doc, second) == []
    after = staffed(second)
    assert after["M1"] == before["M1"]
    assert set(after) == {"M1", "M2", "M3"}


def test_a_short_replan_builds_no_model_when_the_repaired_plan_meets_the_bound() -> None:
    # The benchmark's re-plan: the previous plan repaired by the greedy staffs everything it
    # can; with no time left for the tie-breaks, building the CP-SAT model would be wasted.
    doc = problem([expert("E1"), expert("E2", "FR"), expert("E3", "BE")], [mission("M1")])
    first = solve(doc, time_limit_s=1)
    holder = staffed(first)["M1"]["M1-1"]
    doc["experts"] = [e for e in doc["experts"] if e["id"] != holder]
    second = solve(doc, time_limit_s=0.05, workers=1, previous=first)
    assert second["stats"]["cp_status"].startswith("skipped")
    assert second["stats"]["model_s"] is None
    assert check_plan(doc, second) == []
    assert staffed(second)["M1"]["M1-1"] != holder


def test_with_time_for_the_tie_breaks_the_model_is_built_even_when_greedy_is_optimal() -> None:
    doc = problem([expert("E1"), expert("E2", "FR")], [mission("M1")])
    plan = solve(doc, time_limit_s=2, workers=1)
    assert plan["stats"]["model_s"] is not None
    assert plan["stats"]["pass2_status"] in ("OPTIMAL", "FEASIBLE")
