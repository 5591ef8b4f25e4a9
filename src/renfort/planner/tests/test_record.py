"""The expert's record: beneficiaries' ratings on a topic (``experts[].ratings``) and earlier
work with a beneficiary (``experts[].worked_with``) break ties, on every solver path, and
never move the primary.

In each tiny problem E1 comes first in the file, so a path that ignored the record would keep
E1 (first-fit for the order, CP-SAT for a hint of E1); E2 differs from E1 only by its record.
"""

from __future__ import annotations

import copy
import random
import time
from typing import Any

import pytest

from renfort.planner.candidates import (
    CONTINUITY_FIT,
    ExpertArrays,
    build_candidates,
    fit_of,
    pair_fit,
)
from renfort.planner.check import check_plan
from renfort.planner.domain import Schedule
from renfort.planner.explain import english
from renfort.planner.generate import generate
from renfort.planner.greedy import greedy
from renfort.planner.model import build_model
from renfort.planner.passes import Clock, Search, second_pass
from renfort.planner.solve import _top_up, solve
from renfort.planner.tests.factories import entry, expert, mission, problem, staffed
from renfort.planner.tests.test_greedy import as_plan
from renfort.planner.validate import parse_problem, problem_errors

VALUATION = "customs_valuation"


def rated(first: float, second: float) -> dict[str, Any]:
    """E1 rated ``first``, E2 rated ``second`` on the slot's one topic; otherwise the same."""
    return problem(
        [
            expert("E1", "FR", ratings={VALUATION: first}),
            expert("E2", "FR", ratings={VALUATION: second}),
        ],
        [mission("M1")],
    )


def served() -> dict[str, Any]:
    """E2 has worked with the mission's beneficiary (MA) before; E1 has not."""
    return problem(
        [expert("E1", "FR", worked_with=["TN"]), expert("E2", "FR", worked_with=["MA"])],
        [mission("M1")],
    )


CASES = [
    pytest.param(rated(2.5, 4.5), "E2", id="better rated"),
    pytest.param(rated(3.0, 3.5), "E2", id="slightly better rated"),
    pytest.param(rated(1.0, 3.0), "E2", id="not rated badly"),
    pytest.param(rated(4.5, 2.5), "E1", id="better rated first"),
    pytest.param(served(), "E2", id="worked with the beneficiary"),
]


def _cp_sat(doc: dict[str, Any], hinted: str) -> dict[str, dict[str, str]]:
    """What CP-SAT's tie-break pass makes of a plan that puts ``hinted`` in every slot."""
    parsed = parse_problem(doc)
    arrays = ExpertArrays.build(parsed)
    cands = build_candidates(parsed, arrays)
    pm = build_model(parsed, arrays, cands, list(cands.experts))
    hint = Schedule()
    for m, one in enumerate(parsed.missions):
        hint.start[m] = one.earliest_start
        hint.experts[m] = dict.fromkeys(range(len(one.slots)), parsed.expert_index[hinted])
    search = Search(pm, Clock(5, time.perf_counter()), 5, 1, 0, {}, None)
    best = second_pass(search, arrays, {}, hint, None, None)
    assert search.stats["pass2_status"] == "OPTIMAL"
    return staffed(as_plan(parsed, best))


@pytest.mark.parametrize(("doc", "chosen"), CASES)
def test_cp_sat_chooses_by_the_record(doc: dict[str, Any], chosen: str) -> None:
    other = "E1" if chosen == "E2" else "E2"
    assert _cp_sat(doc, hinted=other) == {"M1": {"M1-1": chosen}}
    plan = solve(doc, time_limit_s=2, workers=1)
    assert check_plan(doc, plan) == []
    assert staffed(plan) == {"M1": {"M1-1": chosen}}


@pytest.mark.parametrize(("doc", "chosen"), CASES)
def test_the_greedy_paths_choose_by_the_record(doc: dict[str, Any], chosen: str) -> None:
    parsed = parse_problem(doc)
    arrays = ExpertArrays.build(parsed)
    cands = build_candidates(parsed, arrays)
    # The smart greedy (the hint and the fallback) ranks equally demanded experts by fit.
    schedule = greedy(parsed, arrays, cands, smart=True)
    assert schedule is not None
    assert staffed(as_plan(parsed, schedule)) == {"M1": {"M1-1": chosen}}
    # First-fit takes E1; the fit polish swaps in the expert with the better record.
    first_fit = greedy(parsed, arrays, cands)
    assert first_fit is not None
    assert staffed(as_plan(parsed, first_fit)) == {"M1": {"M1-1": "E1"}}
    board = _top_up(parsed, arrays, cands, first_fit)
    board.polish_fit(set(), float("inf"))
    assert staffed(as_plan(parsed, board.schedule)) == {"M1": {"M1-1": chosen}}
    # Too little time for CP-SAT: the greedy plan, fit-polished.
    plan = solve(doc, time_limit_s=0.01, workers=1)
    assert "pass2_status" not in plan["stats"]
    assert staffed(plan) == {"M1": {"M1-1": chosen}}


def test_without_a_record_first_in_the_file_wins_the_tie() -> None:
    doc = rated(3.0, 3.0)
    for one in doc["experts"]:
        one.pop("ratings")
    assert staffed(solve(doc, time_limit_s=0.01, workers=1)) == {"M1": {"M1-1": "E1"}}


def test_a_replan_keeps_its_expert_and_gives_new_missions_by_the_record() -> None:
    first_doc = rated(4.5, 2.5)
    first = solve(first_doc, time_limit_s=1, workers=1)
    assert staffed(first) == {"M1": {"M1-1": "E1"}}
    # Since then E1 got poor ratings and E2 good ones; a second mission came on the same
    # dates, and a third expert, rated 3/5, listed before E2.
    later = rated(2.0, 4.5)
    later["experts"].insert(1, expert("E3", "FR", ratings={VALUATION: 3.0}))
    later["missions"].append(mission("M2"))
    for limit in (2, 0.01):  # CP-SAT, and the greedy repair alone
        plan = solve(later, time_limit_s=limit, workers=1, previous=first)
        assert check_plan(later, plan) == []
        # Stability comes first: M1 keeps E1; M2 goes to the better-rated E2.
        assert staffed(plan) == {"M1": {"M1-1": "E1"}, "M2": {"M2-1": "E2"}}, limit


def test_the_record_and_the_skills_add_up() -> None:
    doc = problem(
        [
            expert("E1", "FR", skills={VALUATION: 3}, ratings={VALUATION: 5}, worked_with=["MA"]),
            expert("E2", "FR", skills={VALUATION: 4}, ratings={VALUATION: 1}),
        ],
        [mission("M1")],
    )
    parsed = parse_problem(doc)
    m = parsed.missions[0]
    e1, e2 = parsed.experts
    assert pair_fit(m, m.slots[0], e1) == pytest.approx(1.5 + 0.25 + CONTINUITY_FIT)
    assert pair_fit(m, m.slots[0], e2) == pytest.approx(2.0 - 0.25)
    # A 5/5 and continuity (+0.55) outweigh a 1/5 and a level more (+0.25): E1.
    assert staffed(solve(doc, time_limit_s=1, workers=1)) == {"M1": {"M1-1": "E1"}}
    doc["experts"][1]["skills"] = {VALUATION: 4}
    doc["experts"][1]["ratings"] = {VALUATION: 3}
    doc["experts"][0]["worked_with"] = []
    # A 5/5 (+0.25) is worth less than a level more (+0.5): E2.
    assert staffed(solve(doc, time_limit_s=1, workers=1)) == {"M1": {"M1-1": "E2"}}


def test_ratings_average_over_the_slots_topics_and_only_count_there() -> None:
    doc = problem(
        [expert("E1", skills={VALUATION: 3, "risk_management": 2}, ratings={VALUATION: 5})],
        [
            mission("M1", slots=[{"id": "M1-1", "category": "specialized_trainer"}]),
            mission(
                "M2",
                "2027-05-03",
                "2027-05-07",
                slots=[
                    {
                        "id": "M2-1",
                        "category": "specialized_trainer",
                        "skills": {VALUATION: 3, "risk_management": 2},
                    }
                ],
            ),
        ],
    )
    parsed = parse_problem(doc)
    e1 = parsed.experts[0]
    m1, m2 = parsed.missions
    assert pair_fit(m1, m1.slots[0], e1) == 1.0  # no topic asked: no rating counts
    # One of two topics rated 5/5: half the bonus.
    assert pair_fit(m2, m2.slots[0], e1) == pytest.approx(1.0 + 0.25 / 2, abs=0.005)
    plan = solve(doc, time_limit_s=1, workers=1)
    assert "ratings" not in entry(plan, "M1")["assignments"][0]["explanation_code"]["params"]
    params = entry(plan, "M2")["assignments"][0]["explanation_code"]["params"]
    assert params["ratings"] == [{"topic": VALUATION, "rating": 5.0}]
    # The plan's ``fit`` stays the skill fit; the record weighs only in the ranking.
    assert entry(plan, "M2")["assignments"][0]["fit"] == 1.0


def test_the_explanation_says_when_the_record_counted() -> None:
    doc = problem(
        [expert("E1", "FR", ratings={VALUATION: 4.5}, worked_with=["MA", "TN"])],
        [mission("M1", beneficiaries=["MA", "SN"])],
    )
    a = solve(doc, time_limit_s=1, workers=1)["missions"][0]["assignments"][0]
    assert a["explanation_code"] == {
        "code": "assignment.fit",
        "params": {
            "category": "specialized_trainer",
            "language": "en",
            "topics": [{"topic": VALUATION, "need": 2, "have": 3}],
            "country": "FR",
            "released_days": None,
            "ratings": [{"topic": VALUATION, "rating": 4.5}],
            "worked_with": ["MA"],  # TN is no beneficiary of this mission
        },
    }
    assert a["explanation"] == english(a["explanation_code"])
    assert a["explanation"].endswith(
        "rated by beneficiaries 4.5/5 on customs_valuation; has worked with MA before"
    )
    # Without a record, the explanation is what it always was.
    doc["experts"][0].pop("ratings")
    doc["experts"][0]["worked_with"] = ["TN"]
    a = solve(doc, time_limit_s=1, workers=1)["missions"][0]["assignments"][0]
    assert set(a["explanation_code"]["params"]) == {
        "category",
        "language",
        "topics",
        "country",
        "released_days",
    }
    assert "rated" not in a["explanation"] and "worked" not in a["explanation"]


def _with_records(doc: dict[str, Any], seed: int) -> dict[str, Any]:
    """The problem with a random record for most experts: ratings on some of their topics,
    some beneficiaries served."""
    rng = random.Random(seed)
    out = copy.deepcopy(doc)
    countries = sorted({c for m in out["missions"] for c in m["beneficiaries"]})
    for one in out["experts"]:
        topics = sorted(one.get("skills", {}))
        picked = rng.sample(topics, k=rng.randint(0, len(topics)))
        one["ratings"] = {t: round(rng.uniform(1, 5), 2) for t in picked}
        one["worked_with"] = rng.sample(countries, k=rng.randint(0, 3))
    return out


@pytest.mark.parametrize(
    ("missions", "experts", "seed", "scarce"),
    [(60, 80, 7, False), (200, 100, 3, True)],  # scarce: CP-SAT improves on the greedy plan
)
def test_the_record_never_changes_the_primary(
    missions: int, experts: int, seed: int, scarce: bool
) -> None:
    doc = generate(missions, experts, seed, scarce=scarce)
    recorded = _with_records(doc, seed)
    plain = solve(doc, time_limit_s=8, workers=1)
    plan = solve(recorded, time_limit_s=8, workers=1)
    assert plain["status"] == plan["status"] == "optimal"
    assert plan["objective"]["primary"] == plain["objective"]["primary"]
    assert check_plan(recorded, plan) == []
    assert staffed(plan) != staffed(plain), "the record changed no tie-break"
    explained = [
        a["explanation_code"]["params"]
        for m in plan["missions"]
        for a in m["assignments"]
        if {"ratings", "worked_with"} & set(a["explanation_code"]["params"])
    ]
    assert explained, "the record weighed in nowhere"
    for m in plan["missions"]:
        for a in m["assignments"]:
            assert a["explanation"] == english(a["explanation_code"])


def test_every_path_ranks_by_the_same_fit() -> None:
    doc = _with_records(generate(40, 60, 3), 3)
    parsed = parse_problem(doc)
    arrays = ExpertArrays.build(parsed)
    cands = build_candidates(parsed, arrays)
    differs = 0
    for g, experts in enumerate(cands.experts):
        m = parsed.missions[int(cands.slot_mission[g])]
        slot = m.slots[int(cands.slot_position[g])]
        for e, fit in zip(experts.tolist(), cands.fit[g].tolist(), strict=True):
            assert fit == pair_fit(m, slot, parsed.experts[e])
            differs += fit != fit_of(slot, parsed.experts[e].skills)
    assert differs


def test_without_a_record_the_fit_is_the_skill_fit() -> None:
    doc = generate(40, 60, 3)
    empty = copy.deepcopy(doc)
    for one in empty["experts"]:
        one["ratings"], one["worked_with"] = {}, []
    for version in (doc, empty):
        parsed = parse_problem(version)
        cands = build_candidates(parsed, ExpertArrays.build(parsed))
        for g, experts in enumerate(cands.experts):
            slot = parsed.missions[int(cands.slot_mission[g])].slots[int(cands.slot_position[g])]
            assert cands.fit[g].tolist() == [
                fit_of(slot, parsed.experts[e].skills) for e in experts.tolist()
            ]


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"ratings": {VALUATION: 7}}, "experts[0].ratings.customs_valuation: 7 must be at most 5"),
        (
            {"ratings": {VALUATION: 0.5}},
            "experts[0].ratings.customs_valuation: 0.5 must be at least 1",
        ),
        (
            {"ratings": {VALUATION: "4"}},
            "experts[0].ratings.customs_valuation: expected number, got a string",
        ),
        (
            {"ratings": {"post_clearance_audit": 4}},
            "experts[0].ratings.post_clearance_audit: 'post_clearance_audit' is not one of the "
            "expert's skills (a rating counts only on a topic the expert holds)",
        ),
        ({"ratings": [4]}, "experts[0].ratings: expected object, got a list"),
        (
            {"worked_with": ["ke"]},
            "experts[0].worked_with[0]: 'ke' is not a two-letter country code in capitals "
            "(ISO 3166-1 alpha-2)",
        ),
        ({"worked_with": ["KE", "KE"]}, "experts[0].worked_with: lists the same value twice"),
        ({"worked_with": "KE"}, "experts[0].worked_with: expected array, got a string"),
    ],
)
def test_a_bad_record_is_an_error_naming_the_field(extra: dict[str, Any], error: str) -> None:
    doc = problem([expert("E1", **extra)], [mission("M1")])
    assert problem_errors(doc) == [error]
    plan = solve(doc, time_limit_s=1)
    assert plan["status"] == "invalid" and plan["errors"] == [error]


def test_an_empty_record_means_no_record() -> None:
    doc = rated(3.0, 3.0)
    for one in doc["experts"]:
        one.pop("ratings")
    empty = copy.deepcopy(doc)
    for one in empty["experts"]:
        one["ratings"], one["worked_with"] = {}, []
    assert problem_errors(empty) == []
    a, b = (solve(d, time_limit_s=0.5, workers=1) for d in (doc, empty))
    assert a["missions"] == b["missions"]
