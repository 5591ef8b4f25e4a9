"""The bridge between the database and the planner: problem out, plan back."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from django.utils import translation

from renfort.lib.messages import PERIOD
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.problem import missions_for_run, problem_build
from renfort.planning.review_selectors import explanation_text
from renfort.planning.run_messages import left_out_reason
from renfort.planning.solving import ProgressRecorder, plan_apply
from renfort.roster.models import Category, ReleaseStatus
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    make_mission,
    make_slot,
    next_year,
    persona_mission,
)

SCHEMAS = Path(__file__).resolve().parents[2] / "planner" / "schemas"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text())


def assert_valid_problem(problem: dict) -> None:
    jsonschema.validate(
        problem,
        schema("instance"),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


@pytest.fixture
def scene(personas: Personas) -> dict:
    p = personas
    de = make_member("DE", "EUR", languages=("de",))
    fixed = persona_mission(
        p,
        start=next_year(4, 6),
        end=next_year(4, 10),
        slots=[
            (Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2}),
            (Category.SPECIALIZED_TRAINER, {"aeo": 2}),
        ],
        distinct_countries="required",
        priority=4,
    )
    windowed = persona_mission(p, window=(next_year(5, 1), next_year(6, 30), 5), status="planned")
    no_slots = persona_mission(p, start=next_year(7, 1), slots=[])
    confirmed = persona_mission(p, start=next_year(2, 2), status=MissionStatus.CONFIRMED)
    granted = make_expert(home_administration=de, languages=("fr", "de"), skills={"aeo": 3})
    pending = make_expert(
        home_administration=de,
        release_status=ReleaseStatus.PENDING,
        unavailable=[(next_year(5, 10), next_year(5, 12))],
    )
    refused = make_expert(home_administration=de, release_status=ReleaseStatus.REFUSED)
    inactive = make_expert(home_administration=de, active=False)
    # The persona expert already holds a slot of the fixed mission, and a confirmed mission
    # outside the run (5 days in February next year).
    held = make_assignment(fixed.slots.get(position=1), p.expert, status=AssignmentStatus.ACCEPTED)
    make_assignment(confirmed.slots.get(), p.expert, status=AssignmentStatus.CONFIRMED)
    return {
        "p": p,
        "fixed": fixed,
        "windowed": windowed,
        "no_slots": no_slots,
        "confirmed": confirmed,
        "granted": granted,
        "pending": pending,
        "refused": refused,
        "inactive": inactive,
        "held": held,
    }


def test_problem_is_schema_valid_and_carries_the_pool(scene: dict) -> None:
    built = problem_build(missions=[scene["fixed"], scene["windowed"], scene["no_slots"]])
    problem = built.problem
    assert_valid_problem(problem)

    missions = {m["id"]: m for m in problem["missions"]}
    fixed = missions[scene["fixed"].reference]
    assert fixed["start"] == next_year(4, 6).isoformat() and "window" not in fixed
    assert fixed["beneficiaries"] == ["SN"]
    assert fixed["distinct_countries"] == "required" and fixed["priority"] == 4
    assert [s["id"] for s in fixed["slots"]] == [
        f"{scene['fixed'].reference}-1",
        f"{scene['fixed'].reference}-2",
    ]
    assert fixed["slots"][1] == {
        "id": f"{scene['fixed'].reference}-2",
        "category": "specialized_trainer",
        "skills": {"aeo": 2},
    }
    windowed = missions[scene["windowed"].reference]
    assert windowed["window"] == [next_year(5, 1).isoformat(), next_year(6, 30).isoformat()]
    assert windowed["duration_days"] == 5
    assert built.left_out == [
        {"mission": scene["no_slots"].reference, "code": "planning.left_out.no_slot", "params": {}}
    ]

    experts = {e["id"]: e for e in problem["experts"]}
    assert str(scene["granted"].pk) in experts and str(scene["pending"].pk) in experts
    assert str(scene["refused"].pk) not in experts
    assert str(scene["inactive"].pk) not in experts
    granted = experts[str(scene["granted"].pk)]
    assert granted["country"] == "DE" and granted["skills"] == {"aeo": 3}
    assert granted["languages"] == ["de", "fr"]
    pending = experts[str(scene["pending"].pk)]
    assert [next_year(5, 10).isoformat(), next_year(5, 12).isoformat()] in pending["unavailable"]


def test_held_slots_are_pinned_and_outside_commitments_block_days(scene: dict) -> None:
    problem = problem_build(missions=[scene["fixed"]]).problem
    p = scene["p"]
    assert problem["pinned"] == [
        {"slot": f"{scene['fixed'].reference}-1", "expert": str(p.expert.pk)}
    ]
    me = next(e for e in problem["experts"] if e["id"] == str(p.expert.pk))
    # The confirmed mission outside the run (2..6 Feb) blocks those days plus one travel day
    # each side, and uses 5 of the 30 released days of its year, the one year the run touches.
    assert [next_year(2, 1).isoformat(), next_year(2, 7).isoformat()] in me["unavailable"]
    assert me["max_days_by_year"] == {str(next_year().year): 25} and "max_days" not in me


def test_extra_pins_and_period_choice(scene: dict) -> None:
    chosen = missions_for_run(period_start=next_year(5, 15), period_end=next_year(5, 20))
    assert [m.reference for m in chosen] == [scene["windowed"].reference]
    assert scene["confirmed"] not in missions_for_run(period_start=next_year(1, 1))
    slot = f"{scene['windowed'].reference}-1"
    built = problem_build(missions=chosen, extra_pins=[(slot, str(scene["granted"].pk))])
    assert {"slot": slot, "expert": str(scene["granted"].pk)} in built.problem["pinned"]
    assert_valid_problem(built.problem)


def test_a_pinned_expert_outside_the_pool_is_still_known(scene: dict) -> None:
    slot = make_slot(scene["windowed"], Category.TECHNICAL_OPERATIONAL_EXPERT, {})
    make_assignment(slot, scene["refused"], status=AssignmentStatus.INVITED)
    problem = problem_build(missions=[scene["windowed"]]).problem
    assert str(scene["refused"].pk) in {e["id"] for e in problem["experts"]}
    assert_valid_problem(problem)


def test_plan_apply_stores_plan_with_explanations(scene: dict, secretariat) -> None:
    built = problem_build(missions=[scene["windowed"]])
    run = PlannerRun.objects.create(
        created_by=secretariat, problem=built.problem, plan={"left_out": []}
    )
    ref = scene["windowed"].reference
    plan = {
        "status": "feasible",
        "objective": {"primary": 3, "primary_bound": 3},
        "missions": [
            {
                "id": ref,
                "staffed": True,
                "start": next_year(5, 4).isoformat(),
                "end": next_year(5, 8).isoformat(),
                "assignments": [{"slot": f"{ref}-1", "expert": str(scene["granted"].pk)}],
            }
        ],
    }
    jsonschema.validate(plan, schema("solution"))
    plan_apply(run=run, plan=plan, progress=[{"t": 0.1, "primary": 3}])
    run.refresh_from_db()
    assert run.status == PlannerRunStatus.DONE and run.finished_at is not None
    proposal = run.plan["missions"][0]["assignments"][0]
    assert proposal["pinned"] is False
    # Why the expert fits: a code and its parameters, read in the reader's language.
    assert proposal["explanation"] == ""
    assert proposal["explanation_code"] == "assignment.fit"
    assert proposal["explanation_params"] == {
        "category": "technical_operational_expert",
        "language": "fr",
        "skills": [{"topic": "risk_management", "name": "Risk management", "have": 0, "need": 2}],
        "country": "DE",
    }
    assert explanation_text(proposal) == (
        "Technical and operational expert; speaks French; Risk management 0 (needs 2); from Germany"
    )
    with translation.override("fr"):
        assert (
            "langue\u00a0: français\u00a0; Gestion des risques 0 (exigé\u00a0: 2)"
            in explanation_text(proposal)
        )
    assert run.plan["left_out"] == []

    plan_apply(run=run, plan={"status": "invalid", "errors": ["missions[0]: bad"]}, progress=[])
    run.refresh_from_db()
    assert run.status == PlannerRunStatus.FAILED and run.error_code == "planning.run.refused"
    assert run.error_text("en") == "The planner refused the problem.\n\nmissions[0]: bad"


def test_progress_is_written_at_most_twice_a_second(secretariat) -> None:
    run = PlannerRun.objects.create(created_by=secretariat)
    now = [0.0]
    recorder = ProgressRecorder(run.pk, clock=lambda: now[0])
    for i in range(10):
        now[0] = i * 0.1  # ten events in one second
        recorder({"elapsed_s": now[0], "primary": i, "bound": 10})
    run.refresh_from_db()
    assert len(recorder.points) == 10
    # Writes at t=0 and t=0.5 only: the stored list lags behind the last event.
    assert [p["primary"] for p in run.progress] == [0, 1, 2, 3, 4, 5]
    recorder.flush()
    run.refresh_from_db()
    assert len(run.progress) == 10


def test_window_shorter_than_duration_is_left_out(personas: Personas) -> None:
    m = make_mission(window=(next_year(5, 1), next_year(5, 2), 5))
    built = problem_build(missions=[m])
    assert built.problem["missions"] == []
    assert built.left_out[0]["code"] == "planning.left_out.window_short"
    window = PERIOD.render([str(m.window_start), str(m.window_end)])
    assert left_out_reason(built.left_out[0]) == (
        f"its window ({window}) is shorter than its duration of 5 days"
    )


def test_experts_without_a_usable_country_or_language_stay_out(scene: dict) -> None:
    nowhere = make_expert(
        home_administration=make_member("X1", "EUR", languages=("fr",)), languages=("fr",)
    )
    mute = make_expert(home_administration=make_member("AT", "EUR"), languages=("French",))
    problem = problem_build(missions=[scene["windowed"]]).problem
    ids = {e["id"] for e in problem["experts"]}
    assert str(nowhere.pk) not in ids and str(mute.pk) not in ids
    assert_valid_problem(problem)


def test_planner_run_command(scene: dict) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("planner_run", scene["windowed"].reference, "--time-limit", "1", stdout=out)
    run = PlannerRun.objects.get()
    assert run.status == PlannerRunStatus.DONE
    assert f"Planner run {run.pk}: done; 1 of 1 missions staffed" in out.getvalue()
