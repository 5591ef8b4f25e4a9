"""The plan document (``renfort-plan/1``): what the pipeline hands back.

Staffed missions with their dates and assignments (fit and explanation, in words and as data),
unstaffed missions with their reasons, the objective with its named tie-break terms, and the
stats. An unusable problem gets ``invalid_plan`` instead.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from renfort.planner.candidates import Candidates, ExpertArrays, fit_of
from renfort.planner.domain import DISTINCT_PREFERRED, Previous, Problem, Schedule
from renfort.planner.explain import (
    Reason,
    assignment_explanation,
    english,
    unstaffed_reasons,
)
from renfort.planner.greedy import Board


def invalid_plan(errors: list[str], began: float) -> dict[str, Any]:
    """The answer to an unusable problem: status ``invalid`` and the errors."""
    return {
        "format": "renfort-plan/1",
        "status": "invalid",
        "objective": {"primary": 0},
        "missions": [],
        "errors": errors,
        "stats": {"wall_s": round(time.perf_counter() - began, 3), "solver": "none"},
    }


def secondary_terms(
    problem: Problem,
    arrays: ExpertArrays,
    schedule: Schedule,
    previous: Previous | None,
) -> dict[str, float]:
    """The named tie-break terms of a schedule, as reported in the plan."""
    fits: list[float] = []
    met = missed = 0
    load = np.zeros(len(problem.experts))
    for m, staff in schedule.experts.items():
        mission = problem.missions[m]
        countries = [problem.experts[e].country for e in staff.values()]
        if len(staff) > 1 and mission.distinct == DISTINCT_PREFERRED:
            if len(set(countries)) == len(countries):
                met += 1
            else:
                missed += 1
        for j, e in staff.items():
            fits.append(fit_of(mission.slots[j], problem.experts[e].skills))
            load[e] += mission.span(schedule.start[m])
    used = load[load > 0]
    by_country: dict[str, float] = {}
    for e in np.flatnonzero(load).tolist():
        c = problem.experts[e].country
        by_country[c] = by_country.get(c, 0.0) + float(load[e])
    total = float(load.sum())
    terms: dict[str, float] = {
        "fit_total": round(sum(fits), 2),
        "fit_mean": round(sum(fits) / len(fits), 3) if fits else 0.0,
        "distinct_countries_preferred_met": met,
        "distinct_countries_preferred_missed": missed,
        "experts_used": len(used),
        "expert_days_max": float(used.max()) if len(used) else 0.0,
        "expert_days_stdev": round(float(used.std()), 3) if len(used) else 0.0,
        "lending_countries": len(by_country),
        "top_country_share": round(max(by_country.values()) / total, 4) if total else 0.0,
    }
    if previous is not None:
        kept = changed = 0
        for slot, eid in previous.slot_expert.items():
            m, j = problem.slot_index[slot]
            now = schedule.experts.get(m, {}).get(j)
            if now is not None and problem.experts[now].id == eid:
                kept += 1
            else:
                changed += 1
        terms["previous_kept"] = kept
        terms["previous_changed"] = changed + previous.lost
    return terms


def plan_document(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    schedule: Schedule,
    board: Board,
    status: str,
    bound: int,
    previous: Previous | None,
    stats: dict[str, Any],
    errors: list[Reason] | None = None,
) -> dict[str, Any]:
    """The plan of ``schedule``; ``board`` holds its bookings, for the unstaffed reasons."""
    reasons = unstaffed_reasons(problem, arrays, cands, schedule, board)
    missions: list[dict[str, Any]] = []
    for m, mission in enumerate(problem.missions):
        entry: dict[str, Any] = {"id": mission.id, "staffed": m in schedule.experts}
        if m in schedule.experts:
            start = schedule.start[m]
            entry["start"] = problem.iso(start)
            entry["end"] = problem.iso(mission.last_day(start))
            entry["assignments"] = [
                {
                    "slot": slot.id,
                    "expert": problem.experts[schedule.experts[m][j]].id,
                    "fit": fit_of(slot, problem.experts[schedule.experts[m][j]].skills),
                    **_explained(
                        assignment_explanation(problem, mission, slot, schedule.experts[m][j])
                    ),
                }
                for j, slot in enumerate(mission.slots)
            ]
        else:
            if mission.fixed:
                entry["start"] = problem.iso(mission.earliest_start)
                entry["end"] = problem.iso(mission.last_day(mission.earliest_start))
            entry["assignments"] = []
            entry["reasons"] = [english(r) for r in reasons.get(m, [])]
            entry["reason_codes"] = reasons.get(m, [])
        missions.append(entry)
    primary = schedule.primary(problem)
    plan: dict[str, Any] = {
        "format": "renfort-plan/1",
        "status": status,
        "objective": {
            "primary": primary,
            "primary_bound": max(bound, primary),
            "secondary": secondary_terms(problem, arrays, schedule, previous),
        },
        "missions": missions,
        "stats": stats,
    }
    if errors:
        plan["errors"] = [english(r) for r in errors]
        plan["error_codes"] = errors
    return plan


def _explained(explanation: Reason) -> dict[str, Any]:
    """Why the expert fits: in the planner's English words, and as data."""
    return {"explanation": english(explanation), "explanation_code": explanation}
