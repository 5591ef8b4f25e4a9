"""An independent plan checker: every hard constraint, from the raw documents.

It shares no code with the solver beyond parsing, so a bug in the model cannot hide here.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from renfort.planner.domain import DISTINCT_REQUIRED, Mission, Problem, Slot
from renfort.planner.validate import _validator, field_path, load_problem


def _day(problem: Problem, value: object) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return (date.fromisoformat(value) - problem.origin).days
    except ValueError:
        return None


def _year_violations(
    problem_doc: Any, problem: Problem, bookings: dict[int, list[tuple[int, int, str]]]
) -> list[str]:
    """Per-year caps, read from the document and counted on the calendar: each mission day
    in the year it falls in."""
    out: list[str] = []
    for index, booked in sorted(bookings.items()):
        caps = problem_doc["experts"][index].get("max_days_by_year") or {}
        per_year: Counter[int] = Counter()
        for a, b, _ in booked if caps else ():
            first, last = problem.origin + timedelta(a), problem.origin + timedelta(b)
            for year in range(first.year, last.year + 1):
                lo, hi = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
                per_year[year] += (hi - lo).days + 1
        for year, days in sorted(per_year.items()):
            cap = caps.get(str(year))
            if cap is not None and days > cap:
                out.append(
                    f"expert {problem.experts[index].id}: {days} mission days in {year}, "
                    f"released for {cap} that year"
                )
    return out


def _calendar_missions(problem_doc: Any) -> dict[str, dict[str, Any]]:
    """Mission id -> its document, for missions whose dates follow a host calendar (a window
    and a calendar; fixed dates are taken as given)."""
    return {m["id"]: m for m in problem_doc["missions"] if "window" in m and "calendar" in m}


def _calendar_violations(where: str, mission: dict[str, Any], first: str, last: str) -> list[str]:
    """The dates against the host calendar, counted day by day from the document: inside the
    window, first and last day working days, exactly duration_days working days, no weekend
    inside unless the mission may straddle one (by default only beyond five working days)."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    weekend = set(mission["calendar"]["weekend"])  # ISO weekdays
    holidays = {date.fromisoformat(d) for d in mission["calendar"].get("holidays", ())}
    need = mission["duration_days"]
    days = [start + timedelta(days=k) for k in range((end - start).days + 1)]
    working = [d for d in days if d.isoweekday() not in weekend and d not in holidays]
    out: list[str] = []
    if not mission["window"][0] <= first <= last <= mission["window"][1]:
        out.append(f"{where}: runs {first}..{last}, outside its window")
    for label, day in (("starts", start), ("ends", end)):
        if day.isoweekday() in weekend:
            out.append(f"{where}: {label} {day}, a weekend day of its host calendar")
        elif day in holidays:
            out.append(f"{where}: {label} {day}, a public holiday of its host calendar")
    if len(working) != need:
        out.append(
            f"{where}: {first}..{last} holds {len(working)} working days of its host calendar, "
            f"the mission lasts {need}"
        )
    if any(d.isoweekday() in weekend for d in days) and not mission.get(
        "straddle_weekend", need > 5
    ):
        out.append(
            f"{where}: {first}..{last} runs over a weekend, which a mission of {need} working "
            "days may not do unless straddle_weekend allows it"
        )
    return out


@dataclass
class _Tally:
    """What the checker gathers from the plan's missions for the checks across missions."""

    seen: dict[str, int] = field(default_factory=dict)  # mission id -> its place in the plan
    # expert -> (first day, last day, mission id) of each mission they hold
    bookings: dict[int, list[tuple[int, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    held: dict[str, tuple[str, int]] = field(default_factory=dict)  # slot -> (expert id, start)
    primary: int = 0


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
    tally = _Tally()
    calendars = _calendar_missions(problem_doc)
    for i, entry in enumerate(plan["missions"]):
        violations.extend(_mission_violations(problem, calendars, i, entry, tally))
    for mission in problem.missions:
        if mission.id not in tally.seen:
            violations.append(f"missions: mission {mission.id} is missing from the plan")
    violations.extend(_booking_violations(problem_doc, problem, tally.bookings))
    violations.extend(_year_violations(problem_doc, problem, tally.bookings))
    for k, pin in enumerate(problem.pins if plan["status"] != "infeasible" else ()):
        got = tally.held.get(pin.slot)
        if got is None or got[0] != pin.expert:
            violations.append(f"pinned[{k}]: slot {pin.slot} does not hold {pin.expert}")
        elif pin.start is not None and got[1] != pin.start:
            violations.append(f"pinned[{k}]: mission does not start {problem.iso(pin.start)}")
    violations.extend(_objective_violations(plan, tally.primary))
    return violations


def _mission_violations(
    problem: Problem,
    calendars: dict[str, dict[str, Any]],
    i: int,
    entry: dict[str, Any],
    tally: _Tally,
) -> list[str]:
    """One mission of the plan: known, listed once, staffed whole or not at all, its dates,
    and each of its assignments."""
    mid = entry["id"]
    where = f"missions[{i}] ({mid})"
    if mid not in problem.mission_index:
        return [f"{where}: no such mission in the problem"]
    if mid in tally.seen:
        return [f"{where}: listed twice (also missions[{tally.seen[mid]}])"]
    tally.seen[mid] = i
    mission = problem.missions[problem.mission_index[mid]]
    assignments = entry.get("assignments") or []
    if not entry["staffed"]:
        if assignments:
            return [f"{where}: unstaffed but has assignments (staffed whole or not at all)"]
        return []
    tally.primary += mission.priority
    start, end = _day(problem, entry.get("start")), _day(problem, entry.get("end"))
    if start is None or end is None:
        return [f"{where}: staffed without start and end dates"]
    violations: list[str] = []
    on_calendar = calendars.get(mid)
    if on_calendar is not None:
        violations.extend(_calendar_violations(where, on_calendar, entry["start"], entry["end"]))
    elif end - start + 1 != mission.duration:
        violations.append(
            f"{where}: {entry['start']}..{entry['end']} is {end - start + 1} days, "
            f"the mission lasts {mission.duration}"
        )
    if on_calendar is None and not mission.earliest_start <= start <= mission.latest_start:
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
        tally.held[a["slot"]] = (eid, start)
        violations.extend(_assignment_violations(problem, mission, slot, eid, at, countries))
        countries.setdefault(problem.experts[problem.expert_index[eid]].country, eid)
        for a_day, b_day in problem.experts[problem.expert_index[eid]].unavailable:
            if a_day <= end and start <= b_day:
                violations.append(
                    f"{at}: {eid} is unavailable {problem.iso(a_day)}..{problem.iso(b_day)}"
                )
        tally.bookings[problem.expert_index[eid]].append((start, end, mid))
    missing = [s for s in slots if s not in filled]
    if missing:
        violations.append(
            f"{where}: staffed but slot(s) {', '.join(missing)} hold no expert "
            "(staffed whole or not at all)"
        )
    return violations


def _assignment_violations(
    problem: Problem, mission: Mission, slot: Slot, eid: str, at: str, countries: dict[str, str]
) -> list[str]:
    """The expert against the slot's hard filters and the mission's other experts so far."""
    violations: list[str] = []
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
    if eid in slot.excluded:
        violations.append(f"{at}: {eid} is excluded from slot {slot.id}")
    if mission.distinct == DISTINCT_REQUIRED and e.country in countries:
        violations.append(
            f"{at}: {eid} and {countries[e.country]} both come from {e.country}, "
            "distinct countries are required"
        )
    return violations


def _booking_violations(
    problem_doc: Any, problem: Problem, bookings: dict[int, list[tuple[int, int, str]]]
) -> list[str]:
    """Each expert's missions: travel days between them, released days in all."""
    violations: list[str] = []
    t = problem.travel_days
    remote = {m["id"] for m in problem_doc["missions"] if m.get("remote")}
    for index, booked in bookings.items():
        who = problem.experts[index]
        booked.sort()
        for (_, e1, m1), (s2, _, m2) in itertools.pairwise(booked):
            # Two remote missions need no travel days between them.
            gap = 0 if m1 in remote and m2 in remote else t
            if s2 <= e1 + gap:
                violations.append(
                    f"expert {who.id}: {m1} ends {problem.iso(e1)} and {m2} starts "
                    f"{problem.iso(s2)}, "
                    + (
                        f"fewer than {gap} free travel day(s) between them"
                        if gap
                        else "the same day or before (both remote, no travel days needed)"
                    )
                )
        days = sum(b - a + 1 for a, b, _ in booked)
        if who.max_days is not None and days > who.max_days:
            violations.append(f"expert {who.id}: {days} mission days, released for {who.max_days}")
    return violations


def _objective_violations(plan: dict[str, Any], primary: int) -> list[str]:
    """The reported primary against the staffed missions, the bound against both."""
    violations: list[str] = []
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
