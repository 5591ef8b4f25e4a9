"""One tiny problem per hard constraint, each built so that ignoring the rule would pay."""

from __future__ import annotations

from typing import Any

from renfort.planner.check import check_plan
from renfort.planner.solve import solve
from renfort.planner.tests.factories import (
    ADVISER,
    entry,
    expert,
    mission,
    problem,
    slot,
    staffed,
)


def plan_of(doc: dict[str, Any]) -> dict[str, Any]:
    plan = solve(doc, time_limit_s=2, workers=1)
    assert check_plan(doc, plan) == []
    return plan


def test_slot_category_is_required() -> None:
    doc = problem([expert("E1", categories=[ADVISER])], [mission("M1")])
    plan = plan_of(doc)
    assert staffed(plan) == {}
    assert "specialized_trainer" in entry(plan, "M1")["reasons"][0]


def test_topic_level_is_required() -> None:
    doc = problem(
        [expert("E1", skills={"customs_valuation": 1}), expert("E2", skills={"risk": 4})],
        [mission("M1")],
    )
    plan = plan_of(doc)
    assert staffed(plan) == {}
    assert "customs_valuation >= 2" in entry(plan, "M1")["reasons"][0]


def test_mission_language_is_required() -> None:
    doc = problem([expert("E1", languages=["fr"])], [mission("M1")])
    assert staffed(plan_of(doc)) == {}


def test_no_expert_from_a_beneficiary_country() -> None:
    doc = problem(
        [expert("E1", country="MA"), expert("E2", country="TN")],
        [mission("M1", beneficiaries=["MA", "TN"])],
    )
    plan = plan_of(doc)
    assert staffed(plan) == {}
    assert "from no beneficiary country" in entry(plan, "M1")["reasons"][0]


def test_mission_is_staffed_whole_or_not_at_all() -> None:
    doc = problem(
        [expert("E1")],
        [mission("M1", slots=[slot("M1-1"), slot("M1-2", category=ADVISER)], priority=5)],
    )
    plan = plan_of(doc)
    m1 = entry(plan, "M1")
    assert not m1["staffed"] and m1["assignments"] == []
    assert plan["objective"]["primary"] == 0


def test_one_expert_holds_at_most_one_slot_of_a_mission() -> None:
    doc = problem([expert("E1")], [mission("M1", slots=[slot("M1-1"), slot("M1-2")])])
    plan = plan_of(doc)
    assert staffed(plan) == {}


def test_no_overlap_and_travel_days_between_missions() -> None:
    experts = [expert("E1")]
    # M2 starts the day after M1 ends: one travel day is missing.
    tight = problem(
        experts,
        [mission("M1", "2027-03-01", "2027-03-05"), mission("M2", "2027-03-06", "2027-03-08")],
    )
    assert len(staffed(plan_of(tight))) == 1
    roomy = problem(
        experts,
        [mission("M1", "2027-03-01", "2027-03-05"), mission("M2", "2027-03-07", "2027-03-09")],
    )
    assert len(staffed(plan_of(roomy))) == 2
    longer = problem(experts, tight["missions"], settings={"travel_days": 0})
    assert len(staffed(plan_of(longer))) == 2


def test_unavailable_period_blocks_fixed_dates() -> None:
    doc = problem(
        [expert("E1", unavailable=[["2027-03-05", "2027-03-10"]])],
        [mission("M1", "2027-03-01", "2027-03-05")],
    )
    plan = plan_of(doc)
    assert staffed(plan) == {}
    assert "available on those dates" in entry(plan, "M1")["reasons"][0]


def test_windowed_mission_moves_around_unavailability() -> None:
    doc = problem(
        [expert("E1", unavailable=[["2027-03-01", "2027-03-04"]])],
        [mission("M1", window=["2027-03-01", "2027-03-12"], duration_days=5)],
    )
    plan = plan_of(doc)
    m1 = entry(plan, "M1")
    assert m1["staffed"]
    assert m1["start"] >= "2027-03-05" and m1["end"] <= "2027-03-12"


def test_windowed_missions_share_an_expert_inside_their_windows() -> None:
    doc = problem(
        [expert("E1")],
        [
            mission("M1", window=["2027-03-01", "2027-03-11"], duration_days=5),
            mission("M2", window=["2027-03-01", "2027-03-11"], duration_days=5),
        ],
    )
    plan = plan_of(doc)
    assert len(staffed(plan)) == 2
    spans = sorted((m["start"], m["end"]) for m in plan["missions"])
    assert spans[0][1] < spans[1][0]


def test_max_days_caps_an_experts_mission_days() -> None:
    doc = problem(
        [expert("E1", max_days=8)],
        [
            mission("M1", "2027-03-01", "2027-03-05", priority=1),
            mission("M2", "2027-04-01", "2027-04-05", priority=2),
        ],
    )
    plan = plan_of(doc)
    assert staffed(plan) == {"M2": {"M2-1": "E1"}}
    assert "E1" in " ".join(entry(plan, "M1")["reasons"])


def test_distinct_countries_required() -> None:
    experts = [expert("E1", "DE"), expert("E2", "DE")]
    two = [slot("M1-1"), slot("M1-2")]
    required = problem(experts, [mission("M1", slots=two, distinct_countries="required")])
    plan = plan_of(required)
    assert staffed(plan) == {}
    assert "distinct countries" in entry(plan, "M1")["reasons"][0]
    preferred = problem(experts, [mission("M1", slots=two, distinct_countries="preferred")])
    assert len(staffed(plan_of(preferred))) == 1


def test_distinct_countries_preferred_when_possible() -> None:
    experts = [expert("E1", "DE"), expert("E2", "DE"), expert("E3", "FR")]
    doc = problem(experts, [mission("M1", slots=[slot("M1-1"), slot("M1-2")])])
    plan = plan_of(doc)
    assert "E3" in staffed(plan)["M1"].values()
    assert plan["objective"]["secondary"]["distinct_countries_preferred_met"] == 1


def test_pinned_assignment_and_start_are_kept() -> None:
    doc = problem(
        [expert("E1"), expert("E2", skills={"customs_valuation": 4})],
        [mission("M1", window=["2027-03-01", "2027-03-20"], duration_days=3)],
        pinned=[{"slot": "M1-1", "expert": "E1", "start": "2027-03-10"}],
    )
    plan = plan_of(doc)
    assert staffed(plan) == {"M1": {"M1-1": "E1"}}
    assert entry(plan, "M1")["start"] == "2027-03-10"


def test_pins_that_cannot_hold_make_the_plan_infeasible() -> None:
    doc = problem(
        [expert("E1", categories=[ADVISER])],
        [mission("M1")],
        pinned=[{"slot": "M1-1", "expert": "E1"}],
    )
    plan = solve(doc, time_limit_s=1)
    assert plan["status"] == "infeasible"
    assert "E1 cannot hold M1-1: is not a specialized_trainer" in plan["errors"][0]

    clash = problem(
        [expert("E1")],
        [mission("M1"), mission("M2")],
        pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M2-1", "expert": "E1"}],
    )
    plan = solve(clash, time_limit_s=1)
    assert plan["status"] == "infeasible"
    assert any("pinned[0] and pinned[1]: E1 cannot do both M1 and M2" in e for e in plan["errors"])


def test_infeasible_pins_say_which_pin_to_undo() -> None:
    two_slots = [slot("M1-1"), slot("M1-2")]
    cases = [
        (
            problem(
                [expert("E1"), expert("E2", "FR")],
                [mission("M1", slots=two_slots)],
                pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M1-2", "expert": "E1"}],
            ),
            "pinned[0] and pinned[1]: E1 holds two slots of M1",
        ),
        (
            problem(
                [expert("E1", max_days=6)],
                [mission("M1"), mission("M2", "2027-05-01", "2027-05-05")],
                pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M2-1", "expert": "E1"}],
            ),
            "E1 is pinned to 10 mission days and released for 6",
        ),
        (
            problem(
                [expert("E1"), expert("E2", "DE")],
                [mission("M1", slots=two_slots, distinct_countries="required")],
                pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M1-2", "expert": "E2"}],
            ),
            "M1: distinct countries are required but two pinned experts share one",
        ),
        (
            problem(
                [expert("E1")],
                [mission("M1", slots=two_slots)],
                pinned=[{"slot": "M1-1", "expert": "E1"}],
            ),
            "M1 cannot be staffed around its pins: slot M1-2: no specialized_trainer",
        ),
    ]
    for doc, message in cases:
        plan = solve(doc, time_limit_s=1)
        assert plan["status"] == "infeasible"
        assert any(message in e for e in plan["errors"]), plan["errors"]
        assert check_plan(doc, plan) == []


def test_priority_decides_who_gets_a_scarce_expert() -> None:
    doc = problem(
        [expert("E1")],
        [mission("M1", priority=2), mission("M2", priority=5)],
    )
    plan = plan_of(doc)
    assert staffed(plan) == {"M2": {"M2-1": "E1"}}
    assert plan["status"] == "optimal"
    assert plan["objective"] == plan["objective"] | {"primary": 5, "primary_bound": 5}
    reasons = " ".join(entry(plan, "M1")["reasons"])
    assert "held by M2 (E1)" in reasons
