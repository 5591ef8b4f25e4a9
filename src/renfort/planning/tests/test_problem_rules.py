"""The problem builder carries the released days per calendar year and the experts excluded
from each slot, and the planner keeps to them."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from renfort.missions.models import AssignmentStatus, Mission, MissionStatus, SlotExclusion
from renfort.planning.models import PlannerRunStatus
from renfort.planning.problem import problem_build
from renfort.planning.services import planner_run_start
from renfort.roster.models import Category, Expert, ReleaseStatus
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    persona_mission,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Y = datetime.date.today().year + 1
TECH = Category.TECHNICAL_OPERATIONAL_EXPERT
SCHEMA = Path(__file__).resolve().parents[2] / "planner" / "schemas" / "instance.schema.json"


def assert_valid(problem: dict[str, Any]) -> None:
    jsonschema.validate(problem, json.loads(SCHEMA.read_text()))


def entry_of(problem: dict[str, Any], expert: Expert) -> dict[str, Any]:
    return next(e for e in problem["experts"] if e["id"] == str(expert.pk))


def booked(p: Personas, expert: Expert, start: D, end: D) -> None:
    """``expert`` confirmed on a confirmed mission outside any run."""
    mission = persona_mission(p, start=start, end=end, status=MissionStatus.CONFIRMED)
    make_assignment(mission.slots.get(), expert, status=AssignmentStatus.CONFIRMED)


@pytest.fixture
def december_to_november(personas: Personas) -> dict[str, Any]:
    """A run from 1 December (year Y) to 30 November (Y + 1). Its only expert, released
    10 days a year, has used 7 days of Y (5 in June, 2 of a mission over New Year) and 3 of
    Y + 1 (2 of that mission, 1 in February) outside the run, and holds a 2-day mission of
    the run in May Y + 1."""
    p = personas
    # The persona expert is in the pool too: keep them out of the way.
    Expert.objects.filter(pk=p.expert.pk).update(active=False)
    capped = make_expert(
        home_administration=make_member("DE", "EUR", languages=("de",)),
        first_name="Capped",
        released_days_per_year=10,
    )
    booked(p, capped, D(Y, 6, 1), D(Y, 6, 5))
    booked(p, capped, D(Y, 12, 30), D(Y + 1, 1, 2))
    booked(p, capped, D(Y + 1, 2, 2), D(Y + 1, 2, 2))
    december = persona_mission(p, start=D(Y, 12, 1), end=D(Y, 12, 5), status="planned")
    march = persona_mission(p, start=D(Y + 1, 3, 2), end=D(Y + 1, 3, 6), status="planned")
    may = persona_mission(p, start=D(Y + 1, 5, 4), end=D(Y + 1, 5, 5), status="planned")
    make_assignment(may.slots.get(), capped, status=AssignmentStatus.ACCEPTED, pinned=True)
    return {"p": p, "capped": capped, "december": december, "march": march, "may": may}


def test_caps_are_per_calendar_year_of_the_run(december_to_november: dict[str, Any]) -> None:
    w = december_to_november
    missions: list[Mission] = [w["december"], w["march"], w["may"]]
    problem = problem_build(missions=missions).problem
    assert_valid(problem)
    capped = entry_of(problem, w["capped"])
    # 10 - 7 in Y, 10 - 3 in Y + 1; the May mission is the run's own (pinned), not used yet.
    assert capped["max_days_by_year"] == {str(Y): 3, str(Y + 1): 7}
    assert "max_days" not in capped
    # A run of March only knows Y + 1, and the May mission, outside it now, uses 2 more days.
    problem = problem_build(missions=[w["march"]]).problem
    assert entry_of(problem, w["capped"])["max_days_by_year"] == {str(Y + 1): 5}


def test_solving_keeps_the_experts_next_year_missions(december_to_november: dict[str, Any]) -> None:
    """With one cap for the run's first year (3 days) the expert could hold neither the pinned
    May mission and March together (7 days); with a cap per year they hold both, and only the
    5-day December mission, over their 3 days left in Y, stays unstaffed."""
    w = december_to_november
    run = planner_run_start(
        by=w["p"].secretariat, period_start=D(Y, 12, 1), period_end=D(Y + 1, 11, 30), time_limit_s=5
    )
    assert run.status == PlannerRunStatus.DONE, run.error
    plan = {m["id"]: m for m in run.plan["missions"]}
    expert = str(w["capped"].pk)
    for mission in (w["march"], w["may"]):
        entry = plan[mission.reference]
        assert entry["staffed"], entry
        assert [a["expert"] for a in entry["assignments"]] == [expert]
    assert not plan[w["december"].reference]["staffed"]


def test_slots_exclude_decliners_withdrawn_refused_and_excluded_by_hand(
    personas: Personas,
) -> None:
    p = personas
    de = make_member("DE", "EUR", languages=("de",))
    mission = persona_mission(p, slots=[(TECH, {}), (TECH, {})], status="planned")
    first, second = mission.slots.order_by("position")
    decliner, withdrawn, refused, kept, back, fine = (
        make_expert(home_administration=de, first_name=name)
        for name in ("Decliner", "Withdrawn", "Refused", "Kept", "Back", "Fine")
    )
    make_assignment(first, decliner, status=AssignmentStatus.DECLINED)
    make_assignment(first, withdrawn, status=AssignmentStatus.WITHDRAWN)
    make_assignment(
        second,
        refused,
        status=AssignmentStatus.WITHDRAWN,
        release_status=ReleaseStatus.REFUSED,
    )
    SlotExclusion.objects.create(slot=second, expert=kept, by=p.secretariat, reason="Conflict")
    # Withdrawn once, then brought back to the first slot: they hold it, nothing excludes them.
    make_assignment(second, back, status=AssignmentStatus.WITHDRAWN)
    make_assignment(first, back, status=AssignmentStatus.INVITED)
    # An expert outside the problem (not in the pool) is not named.
    gone = make_expert(home_administration=de, first_name="Gone", active=False)
    make_assignment(first, gone, status=AssignmentStatus.DECLINED)

    built = problem_build(missions=[mission], extra_pins=[(second.code, str(kept.pk))])
    assert_valid(built.problem)
    slots = {s["id"]: s for s in built.problem["missions"][0]["slots"]}
    # History rules out every slot of the mission; a coordinator's exclusion one slot.
    mission_wide = sorted([decliner.pk, withdrawn.pk, refused.pk])
    assert slots[first.code]["excluded_experts"] == [str(pk) for pk in mission_wide]
    assert slots[second.code]["excluded_experts"] == [
        str(pk) for pk in sorted([*mission_wide, kept.pk])
    ]
    # The held slot stays pinned; the coordinator's pin of an excluded expert is dropped.
    assert built.problem["pinned"] == [{"slot": first.code, "expert": str(back.pk)}]
    assert str(fine.pk) in {e["id"] for e in built.problem["experts"]}
