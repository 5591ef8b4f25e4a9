"""Parsing: a checked planning document into a ``Problem``, and the usable part of a plan.

Dates become day numbers from the first mission day; per-year caps become day ranges of the
calendar years the plan touches; a host calendar becomes the span of each admissible start.
``parse_problem`` expects a document that ``validate.problem_errors`` accepted;
``parse_previous`` takes any earlier plan and drops what no longer applies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from renfort.planner.domain import (
    Expert,
    Mission,
    Pin,
    Previous,
    Problem,
    Slot,
    YearCap,
    calendar_years,
)
from renfort.planner.workdays import Calendar, spans, straddle_allowed

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: str) -> date | None:
    """``value`` as a date when it is a real ``YYYY-MM-DD`` date, else None."""
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def window_spans(mission: Mapping[str, Any]) -> tuple[Calendar, bool, list[int]] | None:
    """The mission's calendar, whether it may straddle a weekend, and the span of each day of
    its window as a start (``workdays.spans``); None without a calendar."""
    if "calendar" not in mission:
        return None
    calendar = Calendar.from_doc(mission["calendar"])
    duration = int(mission["duration_days"])
    straddle = straddle_allowed(duration, mission.get("straddle_weekend"))
    first, last = (date.fromisoformat(d) for d in mission["window"])
    return calendar, straddle, spans(calendar, first, last, duration, straddle)


def _year_caps(caps: Mapping[str, int], origin: date, horizon: int) -> tuple[YearCap, ...]:
    """Per-year caps as day ranges; years the plan's days do not touch are dropped."""
    if not caps:
        return ()
    years = calendar_years(origin, horizon)
    return tuple(
        YearCap(year, *years[year], int(days))
        for year, days in sorted((int(y), d) for y, d in caps.items())
        if year in years
    )


def _calendar_starts(
    mission: Mapping[str, Any], earliest: int, latest: int
) -> tuple[int, int, tuple[int, ...]]:
    """Earliest and latest start and the span of each start between (``Mission.spans``)."""
    found = window_spans(mission)
    if found is None:
        return earliest, latest, ()
    by_day = found[2]
    allowed = [k for k, n in enumerate(by_day) if n]
    first, last = allowed[0], allowed[-1]
    kept = tuple(by_day[first : last + 1])
    if all(n == int(mission["duration_days"]) for n in kept):
        kept = ()  # every day a start, none longer than its duration: calendar days after all
    return earliest + first, earliest + last, kept


def _day(origin: date, value: str) -> int:
    return (date.fromisoformat(value) - origin).days


def _mission(mission: Mapping[str, Any], origin: date) -> Mission:
    spans: tuple[int, ...] = ()
    if "window" in mission:
        duration = int(mission["duration_days"])
        earliest = _day(origin, mission["window"][0])
        latest = _day(origin, mission["window"][1]) - duration + 1
        windowed = True
        earliest, latest, spans = _calendar_starts(mission, earliest, latest)
    else:
        earliest = latest = _day(origin, mission["start"])
        duration = _day(origin, mission["end"]) - earliest + 1
        windowed = False
    return Mission(
        id=mission["id"],
        beneficiaries=frozenset(mission["beneficiaries"]),
        language=mission["language"],
        level=mission.get("level"),
        priority=int(mission.get("priority", 1)),
        duration=duration,
        earliest_start=earliest,
        latest_start=latest,
        windowed=windowed,
        distinct=mission.get("distinct_countries", "preferred"),
        spans=spans,
        remote=bool(mission.get("remote", False)),
        slots=tuple(
            Slot(
                s["id"],
                s["category"],
                dict(s.get("skills", {})),
                frozenset(s.get("excluded_experts", ())),
            )
            for s in mission["slots"]
        ),
    )


def _expert(expert: Mapping[str, Any], origin: date, horizon: int) -> Expert:
    periods = []
    for first, last in expert.get("unavailable", []):
        a, b = max(_day(origin, first), 0), min(_day(origin, last), horizon - 1)
        if a <= b:
            periods.append((a, b))
    return Expert(
        id=expert["id"],
        country=expert["country"],
        categories=frozenset(expert["categories"]),
        languages=frozenset(expert["languages"]),
        skills=dict(expert.get("skills", {})),
        unavailable=tuple(sorted(periods)),
        max_days=expert.get("max_days"),
        max_days_by_year=_year_caps(expert.get("max_days_by_year", {}), origin, horizon),
        ratings={t: float(r) for t, r in expert.get("ratings", {}).items()},
        worked_with=frozenset(expert.get("worked_with", ())),
    )


def parse_problem(doc: Mapping[str, Any]) -> Problem:
    """Build a ``Problem`` from a document that ``problem_errors`` accepted."""
    settings = doc.get("settings", {})
    travel = int(settings.get("travel_days", 1))
    firsts: list[date] = []
    for mission in doc["missions"]:
        firsts.append(
            date.fromisoformat(mission["window"][0] if "window" in mission else mission["start"])
        )
    origin = min(firsts) if firsts else date(2000, 1, 1)
    missions = [_mission(mission, origin) for mission in doc["missions"]]
    horizon = max((m.last_day(m.latest_start) + 1 for m in missions), default=0)
    # More travel days than the horizon means the same as the horizon: no two missions of one
    # expert; the cap keeps the booking tables small whatever the file says.
    travel = min(travel, horizon + 1)
    experts = [_expert(expert, origin, horizon) for expert in doc["experts"]]
    pins = tuple(
        Pin(p["slot"], p["expert"], _day(origin, p["start"]) if "start" in p else None)
        for p in doc.get("pinned", [])
    )
    return Problem(
        origin=origin,
        travel_days=travel,
        time_limit_s=float(settings.get("time_limit_s", 10)),
        seed=settings.get("seed"),
        experts=tuple(experts),
        missions=tuple(missions),
        pins=pins,
        horizon=horizon,
        expert_index={e.id: i for i, e in enumerate(experts)},
        mission_index={m.id: i for i, m in enumerate(missions)},
        slot_index={s.id: (i, j) for i, m in enumerate(missions) for j, s in enumerate(m.slots)},
    )


def parse_previous(problem: Problem, doc: object) -> tuple[Previous, list[str]]:
    """The usable part of an earlier plan, and notes on what was dropped from it.

    Parts that name slots or experts no longer in the problem are dropped, not rejected:
    that is what re-planning after a withdrawal looks like.
    """
    notes: list[str] = []
    slot_expert: dict[str, str] = {}
    mission_start: dict[str, int] = {}
    lost = 0
    if not isinstance(doc, dict) or not isinstance(doc.get("missions"), list):
        return Previous({}, {}), ["previous plan: expected an object with a missions list"]
    for i, entry in enumerate(doc["missions"]):
        if not isinstance(entry, dict) or entry.get("id") not in problem.mission_index:
            continue
        if not entry.get("staffed"):
            continue
        start = iso_date(entry.get("start", ""))
        if start is not None:
            mission_start[entry["id"]] = (start - problem.origin).days
        for j, assignment in enumerate(entry.get("assignments") or []):
            if not isinstance(assignment, dict):
                continue
            slot, expert = assignment.get("slot"), assignment.get("expert")
            if slot not in problem.slot_index:
                notes.append(f"previous missions[{i}].assignments[{j}]: slot {slot!r} is gone")
            elif expert not in problem.expert_index:
                lost += 1
                notes.append(f"previous missions[{i}].assignments[{j}]: expert {expert!r} is gone")
            else:
                slot_expert[str(slot)] = str(expert)
    return Previous(slot_expert, mission_start, lost), notes
