"""Reasons and explanations as data: every reason the planner gives has a code from
``REASON_CODES`` and raw parameters, beside the same reason in English words."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema

from renfort.planner.explain import REASON_CODES, english
from renfort.planner.explain_codes import reason
from renfort.planner.generate import generate
from renfort.planner.solve import solve
from renfort.planner.tests.factories import ADVISER, entry, expert, mission, problem, slot

SCHEMA = json.loads(
    files("renfort.planner").joinpath("schemas/solution.schema.json").read_text("utf-8")
)
TWO = [slot("M1-1"), slot("M1-2")]
ADVISING = slot("M1-2", category=ADVISER)

# One tiny problem per reason, and the code it must give.
CASES: list[tuple[str, dict[str, Any]]] = [
    ("slot.no_category", problem([expert("E1", categories=[ADVISER])], [mission("M1")])),
    ("slot.no_language", problem([expert("E1", languages=["fr"])], [mission("M1")])),
    (
        "slot.no_topic_levels",
        problem([expert("E1", skills={"customs_valuation": 1})], [mission("M1")]),
    ),
    ("slot.only_beneficiaries", problem([expert("E1", "MA")], [mission("M1")])),
    (
        "slot.all_excluded",
        problem([expert("E1")], [mission("M1", slots=[slot("M1-1", excluded_experts=["E1"])])]),
    ),
    (
        "slot.unavailable",
        problem([expert("E1", unavailable=[["2027-03-03", "2027-03-04"]])], [mission("M1")]),
    ),
    ("slot.no_days_left", problem([expert("E1", max_days=3)], [mission("M1")])),
    (
        "slot.busy",
        problem([expert("E1")], [mission("M1", priority=1), mission("M2", priority=5)]),
    ),
    (
        "slot.held_by",
        problem([expert("E1")], [mission("M1", priority=1), mission("M2", priority=5)]),
    ),
    (
        "mission.countries_short",
        problem(
            [expert("E1"), expert("E2")], [mission("M1", slots=TWO, distinct_countries="required")]
        ),
    ),
    ("mission.same_experts", problem([expert("E1")], [mission("M1", slots=TWO)])),
    (
        "mission.not_together",
        problem(
            [
                expert("E1", unavailable=[["2027-03-06", "2027-03-10"]]),
                expert("E2", "FR", unavailable=[["2027-03-01", "2027-03-05"]]),
            ],
            [mission("M1", slots=TWO, window=["2027-03-01", "2027-03-10"], duration_days=5)],
        ),
    ),
    (
        "pin.unfit",
        problem(
            [expert("E1", categories=[ADVISER])],
            [mission("M1")],
            pinned=[{"slot": "M1-1", "expert": "E1"}],
        ),
    ),
    (
        "pins.two_slots",
        problem(
            [expert("E1"), expert("E2", "FR")],
            [mission("M1", slots=TWO)],
            pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M1-2", "expert": "E1"}],
        ),
    ),
    (
        "pins.overlap",
        problem(
            [expert("E1")],
            [mission("M1"), mission("M2")],
            pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M2-1", "expert": "E1"}],
        ),
    ),
    (
        "pins.over_released",
        problem(
            [expert("E1", max_days=6)],
            [mission("M1"), mission("M2", "2027-05-01", "2027-05-05")],
            pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M2-1", "expert": "E1"}],
        ),
    ),
    (
        "pins.same_country",
        problem(
            [expert("E1"), expert("E2")],
            [mission("M1", slots=TWO, distinct_countries="required")],
            pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M1-2", "expert": "E2"}],
        ),
    ),
    (
        "pins.around",
        problem(
            [expert("E1")], [mission("M1", slots=TWO)], pinned=[{"slot": "M1-1", "expert": "E1"}]
        ),
    ),
    (
        "pins.around_dates",
        problem(
            [expert("E1"), expert("E2", "FR", unavailable=[["2027-03-01", "2027-03-05"]])],
            [mission("M1", slots=TWO, window=["2027-03-01", "2027-03-10"], duration_days=5)],
            pinned=[{"slot": "M1-1", "expert": "E1", "start": "2027-03-01"}],
        ),
    ),
    (
        "pins.together",
        problem(
            [expert("E1"), expert("E2", "FR"), expert("E3", "BE", categories=[ADVISER])],
            [
                mission("M1", slots=[slot("M1-1"), ADVISING]),
                mission("M2", slots=[slot("M2-1"), slot("M2-2", category=ADVISER)]),
            ],
            pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M2-1", "expert": "E2"}],
        ),
    ),
    (
        "pins.conflict",
        problem(
            [expert("E1")],
            [mission("M1"), mission("M2")],
            pinned=[{"slot": "M1-1", "expert": "E1"}, {"slot": "M2-1", "expert": "E1"}],
        ),
    ),
    ("assignment.fit", problem([expert("E1", max_days=40)], [mission("M1")])),
]


def _reasons(plan: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Every (data, words) pair of a plan, after checking they go together."""
    jsonschema.validate(plan, SCHEMA)
    pairs: list[tuple[dict[str, Any], str]] = []
    for m in plan["missions"]:
        assert len(m.get("reason_codes", [])) == len(m.get("reasons", []))
        pairs += zip(m.get("reason_codes", []), m.get("reasons", []), strict=True)
        pairs += [(a["explanation_code"], a["explanation"]) for a in m["assignments"]]
    assert len(plan.get("error_codes", [])) == len(plan.get("errors", []))
    pairs += zip(plan.get("error_codes", []), plan.get("errors", []), strict=True)
    for data, words in pairs:
        assert data["code"] in REASON_CODES
        assert english(data) == words
        json.dumps(data)  # raw values only
    return pairs


def test_every_code_comes_with_its_english_words() -> None:
    seen = set()
    for code, doc in CASES:
        pairs = _reasons(solve(doc, time_limit_s=1))
        codes = [data["code"] for data, _ in pairs]
        assert code in codes, (code, codes)
        seen |= set(codes)
    # "pins.not_found" needs a time limit too short to find a plan keeping every pin.
    assert seen == set(REASON_CODES) - {"pins.not_found"}
    assert english(reason("pins.not_found")).startswith("no plan keeping every pin")


def test_parameters_are_raw_values() -> None:
    plan = solve(CASES[2][1], time_limit_s=1)  # one level short
    (data,) = entry(plan, "M1")["reason_codes"]
    assert data == {
        "code": "slot.no_topic_levels",
        "params": {
            "slot": "M1-1",
            "category": "specialized_trainer",
            "language": "en",
            "topics": [{"topic": "customs_valuation", "need": 2, "best": 1}],
            "funnel": {"pool": 1, "category": 1, "language": 1, "levels": 0},
            "dates": {"start": "2027-03-01", "end": "2027-03-05", "days": 5},
            "count": 1,
        },
    }
    held = solve(CASES[8][1], time_limit_s=1)
    assert entry(held, "M1")["reason_codes"][-1] == {
        "code": "slot.held_by",
        "params": {"slot": "M1-1", "holders": [{"mission": "M2", "experts": ["E1"]}], "more": 0},
    }
    fit = solve(CASES[-1][1], time_limit_s=1)["missions"][0]["assignments"][0]
    assert fit["explanation_code"] == {
        "code": "assignment.fit",
        "params": {
            "category": "specialized_trainer",
            "language": "en",
            "topics": [{"topic": "customs_valuation", "need": 2, "have": 3}],
            "country": "DE",
            "released_days": 40,
        },
    }


def test_generated_plans_give_data_for_every_reason() -> None:
    for seed in range(3):
        doc = generate(40, 30, seed, scarce=True, year_caps=seed == 1, exclusions=seed == 2)
        assert _reasons(solve(doc, time_limit_s=2))
