"""Every kind of bad input gets a message naming the field, and never a traceback."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from renfort.planner import validate
from renfort.planner.solve import solve
from renfort.planner.tests.factories import expert, mission, problem, slot
from renfort.planner.validate import problem_errors, schema


def good() -> dict[str, Any]:
    return problem(
        [expert("E1"), expert("E2", "FR")],
        [
            mission("M1"),
            mission("M2", window=["2027-03-01", "2027-03-20"], duration_days=5),
        ],
    )


def broken(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(good())
    change(doc)
    return doc


CASES: list[tuple[str, Any, str]] = [
    ("not an object", lambda d: d.clear() or d.update({"x": 1}), "unknown field 'x'"),
    ("missing experts", lambda d: d.pop("experts"), "(document): missing required field 'experts'"),
    (
        "unknown top-level field",
        lambda d: d.update({"missons": []}),
        "(document): unknown field 'missons'",
    ),
    (
        "wrong format",
        lambda d: d.update({"format": "renfort-plan/1"}),
        "format: must be 'renfort-planning/1'",
    ),
    (
        "impossible date",
        lambda d: d["missions"][0].update({"start": "2027-02-30"}),
        "missions[0].start: '2027-02-30' is not a calendar date (YYYY-MM-DD)",
    ),
    (
        "end before start",
        lambda d: d["missions"][0].update({"start": "2027-03-01", "end": "2027-02-01"}),
        "missions[0].end: 2027-02-01 is before start 2027-03-01",
    ),
    (
        "window ends before it starts",
        lambda d: d["missions"][1].update({"window": ["2027-03-01", "2027-02-01"]}),
        "missions[1].window: ends 2027-02-01 before it starts 2027-03-01",
    ),
    (
        "window shorter than the duration",
        lambda d: d["missions"][1].update({"window": ["2027-03-01", "2027-03-03"]}),
        "missions[1].window: 2027-03-01..2027-03-03 is 3 days, shorter than duration_days 5",
    ),
    (
        "mission without a slot",
        lambda d: d["missions"][0].update({"slots": []}),
        "missions[0].slots: a mission needs at least one slot",
    ),
    (
        "both fixed dates and a window",
        lambda d: d["missions"][0].update({"window": ["2027-03-01", "2027-03-09"]}),
        "missions[0]: give either start and end (fixed dates) or window and duration_days",
    ),
    (
        "window without duration",
        lambda d: d["missions"][1].pop("duration_days"),
        "missions[1]: a mission with a window needs duration_days too",
    ),
    (
        "start without end",
        lambda d: d["missions"][0].pop("end"),
        "missions[0]: fixed dates need both start and end (end is missing)",
    ),
    (
        "lower-case country",
        lambda d: d["experts"][0].update({"country": "de"}),
        "experts[0].country: 'de' is not a two-letter country code in capitals",
    ),
    (
        "unknown category",
        lambda d: d["missions"][0]["slots"][0].update({"category": "trainer"}),
        "missions[0].slots[0].category: 'trainer' is not one of modernization_adviser",
    ),
    (
        "level out of range",
        lambda d: d["experts"][0]["skills"].update({"risk": 5}),
        "experts[0].skills.risk: 5 must be at most 4",
    ),
    (
        "priority out of range",
        lambda d: d["missions"][0].update({"priority": 0}),
        "missions[0].priority: 0 must be at least 1",
    ),
    (
        "wrong type",
        lambda d: d["experts"][0].update({"max_days": "ten"}),
        "experts[0].max_days: expected integer, got a string",
    ),
    (
        "period of three dates",
        lambda d: d["experts"][0].update({"unavailable": [["2027-01-01", "2027-01-02", "x"]]}),
        "experts[0].unavailable[0]: a period is [first day, last day], got 3 items",
    ),
    (
        "unavailable period reversed",
        lambda d: d["experts"][0].update({"unavailable": [["2027-01-05", "2027-01-02"]]}),
        "experts[0].unavailable[0]: ends 2027-01-02 before it starts 2027-01-05",
    ),
    (
        "duplicate expert id",
        lambda d: d["experts"][1].update({"id": "E1"}),
        "experts[1].id: duplicate expert id 'E1' (also experts[0])",
    ),
    (
        "duplicate mission id",
        lambda d: d["missions"][1].update({"id": "M1"}),
        "missions[1].id: duplicate mission id 'M1' (also missions[0])",
    ),
    (
        "duplicate slot id",
        lambda d: d["missions"][1].update({"slots": [slot("M1-1")]}),
        "missions[1].slots[0].id: duplicate slot id 'M1-1' (also missions[0].slots[0])",
    ),
    (
        "pinned slot that does not exist",
        lambda d: d.update({"pinned": [{"slot": "M9-1", "expert": "E1"}]}),
        "pinned[0].slot: no slot 'M9-1' in any mission",
    ),
    (
        "pinned expert that does not exist",
        lambda d: d.update({"pinned": [{"slot": "M1-1", "expert": "E9"}]}),
        "pinned[0].expert: no expert 'E9' in experts",
    ),
    (
        "slot pinned twice",
        lambda d: d.update(
            {"pinned": [{"slot": "M1-1", "expert": "E1"}, {"slot": "M1-1", "expert": "E2"}]}
        ),
        "pinned[1].slot: slot 'M1-1' is already pinned by pinned[0]",
    ),
    (
        "pinned start off the fixed dates",
        lambda d: d.update({"pinned": [{"slot": "M1-1", "expert": "E1", "start": "2027-03-02"}]}),
        "pinned[0].start: 2027-03-02 differs from mission 'M1''s fixed start 2027-03-01",
    ),
    (
        "pinned start outside the window",
        lambda d: d.update({"pinned": [{"slot": "M2-1", "expert": "E1", "start": "2027-03-18"}]}),
        "pinned[0].start: mission 'M2' lasts 5 days and must start between 2027-03-01 and "
        "2027-03-16",
    ),
    (
        "dates spread over decades",
        lambda d: d["missions"][0].update({"start": "2127-03-01", "end": "2127-03-05"}),
        "missions: dates run from 2027-03-01 to 2127-03-05",
    ),
]


@pytest.mark.parametrize(("name", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_invalid_input_is_named(name: str, change: Any, message: str) -> None:
    doc = broken(change)
    errors = problem_errors(doc)
    assert any(message in e for e in errors), errors
    plan = solve(doc, time_limit_s=1)
    assert plan["status"] == "invalid"
    assert any(message in e for e in plan["errors"])
    jsonschema.validate(plan, schema("solution"))


@pytest.mark.parametrize("doc", [None, [], "text", 3, {"experts": "x", "missions": 1}])
def test_any_json_value_gets_an_invalid_plan(doc: Any) -> None:
    plan = solve(doc, time_limit_s=1)
    assert plan["status"] == "invalid" and plan["errors"]


def test_all_errors_are_listed_at_once() -> None:
    doc = good()
    doc["experts"][0]["country"] = "x"
    doc["missions"][0]["start"] = "2027-13-01"
    doc["missions"][1]["slots"] = []
    assert len(problem_errors(doc)) == 3


def test_a_good_problem_has_no_errors() -> None:
    assert problem_errors(good()) == []
    jsonschema.validate(good(), schema("instance"))


@pytest.mark.parametrize(("name", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_the_item_cache_agrees_with_the_full_validator(
    name: str, change: Any, message: str
) -> None:
    """The fast path (items remembered once valid) says valid exactly when the plain schema
    validation finds nothing, also for a document whose other items were seen valid before."""
    problem_errors(good())  # every item of the good document is now remembered as valid
    doc = broken(change)
    full = not list(validate._validator("instance").iter_errors(doc))
    assert validate._schema_valid_fast(doc) == full
    assert validate._schema_valid_fast(good()) is True


def test_an_item_changed_in_place_is_validated_again() -> None:
    doc = good()
    assert problem_errors(doc) == []
    doc["experts"][0]["country"] = "x"
    assert any("experts[0].country" in e for e in problem_errors(doc))


def test_items_that_are_not_json_fall_back_to_the_full_validator() -> None:
    doc = good()
    doc["experts"][0]["unavailable"] = [("2027-01-01", object())]
    assert problem_errors(doc)
