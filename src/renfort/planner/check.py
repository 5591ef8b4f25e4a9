"""An independent plan checker: every hard constraint, from the raw documents.

It shares no code with the solver beyond parsing, so a bug in the model cannot hide here.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date
from typing import Any

from renfort.planner.domain import DISTINCT_REQUIRED, Problem
from renfort.planner.validate import _validator, field_path, load_problem


def _day(problem: Problem, value: object) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return (date.fromisoformat(value) - problem.origin).days
    except ValueError:
        return None


def check_plan(problem_doc: Any, plan: Any) -> list[str]:
    """Every hard constraint the plan breaks; an empty list means the plan is valid."""
    loaded = load_problem(problem_doc)
    if isinstance(loaded, list):
        return [f"problem: {error}" for error in loaded]
    problem = loaded
    if not isinstance(plan, dict):
        return ["plan: expected a JSON object"]
    schema_errors = [
        f"plan {field_path(e.absolute_path)}: {e.message}"
        for e in _validator("solution").iter_errors(plan)
    ]
    if schema_errors:
        return schema_errors
    if plan["status"] == "invalid":
        return ["plan: status is invalid, there is no plan to check"]

    violations: list[str] = []
    seen: dict[str, int] = {}
    bookings: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    held: dict[str, tuple[str, int]] = {}  # slot -> (expert id, start)
    primary = 0
    for i, entry in enumerate(plan["missions"]):
        mid = entry["id"]
        where = f"missions[{i}] ({mid})"
        if mid not in problem.mission_index:
            violations.append(f"{where}: no such mission in the problem")
            continue
        if mid in seen:
            violations.append(f"{where}: listed twice (also missions[{seen[mid]}])")
            continue
        seen[mid] = i
        mission = problem.missions[problem.mission_index[mid]]
        assignments = entry.get("assignments") or []
        if not entry["staffed"]:
            if assignments:
                violations.append(
                    f"{where}: unstaffed but has assignments (staffed whole or not at all)"
                )
            continue
        primary += mission.priority
        start, end = _day(problem, entry.get("start")), _day(problem, entry.get("end"))
        if start is None or end is None:
            violations.append(f"{where}: staffed without start and end dates")
            continue
        if end - start + 1 != mission.duration:
            violations.append(
                f"{where}: {entry['start']}..{entry['end']} is {end - start + 1} days, "
                f"the mission lasts {mission.duration}"
            )
        if not mission.earliest_start <= start <= mission.latest_start:
            what = "fixed dates" if mission.fixed else "window"
            violations.append(f"{where}: starts {entry['start']}, outside its {what}")
        slots = {s.id: s for s in mission.slots}
        filled: dict[str, str] = {}
        countries: dict[str, str] = {}
        for k, a in enumerate(assignments):
            at = f"{where}.assignments[{k}]"
            slot, eid = slots.get(a["slot"]), a["expert"]
            if slot is None:
                violations.append(f"{at}: slot {a['slot']!r} is not a slot of {mid}")
                continue
            if a["slot"] in filled:
                violations.append(f"{at}: slot {a['slot']} is filled twice")
                continue
            if eid not in problem.expert_index:
                violations.append(f"{at}: no expert {eid!r}")
                continue
            if eid in filled.values():
                violations.append(f"{at}: expert {eid} holds two slots of {mid}")
            filled[a["slot"]] = eid
            held[a["slot"]] = (eid, start)
            e = problem.experts[problem.expert_index[eid]]
            if slot.category not in e.categories:
                violations.append(f"{at}: {eid} is not a {slot.category}")
            if mission.language not in e.languages:
                violations.append(f"{at}: {eid} does not speak {mission.language}")
            for topic, need in slot.skills.items():
                if e.skills.get(topic, 0) < need:
                    violations.append(
                        f"{at}: {eid} has {topic} {e.skills.get(topic, 0)}, the slot needs {need}"
                    )
            if e.country in mission.beneficiaries:
                violations.append(f"{at}: {eid} comes from beneficiary country {e.country}")
            if mission.distinct == DISTINCT_REQUIRED and e.country in countries:
                violations.append(
                    f"{at}: {eid} and {countries[e.country]} both come from {e.country}, "
                    "distinct countries are required"
                )
            countries.setdefault(e.country, eid)
            for a_day, b_day in e.unavailable:
                if a_day <= end and start <= b_day:
                    violations.append(
                        f"{at}: {eid} is unavailable {problem.iso(a_day)}..{problem.iso(b_day)}"
                    )
            bookings[problem.expert_index[eid]].append((start, end, mid))
        missing = [s for s in slots if s not in filled]
        if missing:
            violations.append(
                f"{where}: staffed but slot(s) {', '.join(missing)} hold no expert "
                "(staffed whole or not at all)"
            )
    for mission in problem.missions:
        if mission.id not in seen:
            violations.append(f"missions: mission {mission.id} is missing from the plan")

    t = problem.travel_days
    for index, booked in bookings.items():
        who = problem.experts[index]
        booked.sort()
        for (_, e1, m1), (s2, _, m2) in itertools.pairwise(booked):
            if s2 <= e1 + t:
                violations.append(
                    f"expert {who.id}: {m1} ends {problem.iso(e1)} and {m2} starts "
                    f"{problem.iso(s2)}, fewer than {t} free travel day(s) between them"
                )
        days = sum(b - a + 1 for a, b, _ in booked)
        if who.max_days is not None and days > who.max_days:
            violations.append(f"expert {who.id}: {days} mission days, released for {who.max_days}")
    for k, pin in enumerate(problem.pins if plan["status"] != "infeasible" else ()):
        got = held.get(pin.slot)
        if got is None or got[0] != pin.expert:
            violations.append(f"pinned[{k}]: slot {pin.slot} does not hold {pin.expert}")
        elif pin.start is not None and got[1] != pin.start:
            violations.append(f"pinned[{k}]: mission does not start {problem.iso(pin.start)}")
    objective = plan["objective"]
    if plan["status"] in ("optimal", "feasible") and objective["primary"] != primary:
        violations.append(
            f"objective.primary: reports {objective['primary']}, "
            f"the staffed missions sum to {primary}"
        )
    bound = objective.get("primary_bound")
    if bound is not None and bound < primary:
        violations.append(f"objective.primary_bound: {bound} is below the primary {primary}")
    if plan["status"] == "optimal" and bound is not None and bound != objective["primary"]:
        violations.append("status: optimal but the primary is below its bound")
    return violations
