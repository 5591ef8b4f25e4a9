"""Words for the coordinator: why each expert fits, and why a mission stayed unstaffed."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from renfort.planner.candidates import NO_CAP, BoolArray, Candidates, ExpertArrays
from renfort.planner.domain import DISTINCT_REQUIRED, Mission, Problem, Schedule, Slot
from renfort.planner.greedy import Board, mission_starts, pins_by_mission

MAX_HOLDERS = 6


def assignment_explanation(problem: Problem, mission: Mission, slot: Slot, expert: int) -> str:
    e = problem.experts[expert]
    parts = [slot.category.replace("_", " "), f"speaks {mission.language}"]
    for topic, need in sorted(slot.skills.items()):
        parts.append(f"{topic} {e.skills.get(topic, 0)} (needs {need})")
    parts.append(f"from {e.country}, not a beneficiary")
    if e.max_days is not None:
        parts.append(f"released for {e.max_days} days")
    return "; ".join(parts)


def _requirement(mission: Mission, slot: Slot) -> str:
    text = f"{slot.category} speaks {mission.language}"
    if slot.skills:
        text += " with " + " and ".join(f"{t} >= {lvl}" for t, lvl in sorted(slot.skills.items()))
    return text


def _dates(problem: Problem, mission: Mission) -> str:
    if mission.fixed:
        return problem.span(mission.earliest_start, mission.duration)
    window = problem.span(
        mission.earliest_start, mission.latest_start - mission.earliest_start + mission.duration
    )
    return f"{mission.duration} days within {window}"


def _holders(
    problem: Problem,
    board: Board,
    booked: dict[int, list[int]],
    mission: Mission,
    experts: np.ndarray,
) -> str:
    """Missions of the plan that keep these experts busy over the mission's dates."""
    t = problem.travel_days
    lo, hi = mission.earliest_start, mission.latest_start + mission.duration - 1
    held: dict[str, list[str]] = defaultdict(list)
    for e in experts.tolist():
        short_of_days = board.used[e] + mission.duration > board.arrays.max_days[e]
        for m in booked.get(e, ()):
            other = problem.missions[m]
            start = board.schedule.start[m]
            if short_of_days or (start <= hi + t and lo <= start + other.duration - 1 + t):
                held[other.id].append(problem.experts[e].id)
    if not held:
        return ""
    items = sorted(held.items(), key=lambda kv: -len(kv[1]))
    text = ", ".join(f"{mid} ({', '.join(sorted(ids))})" for mid, ids in items[:MAX_HOLDERS])
    if len(items) > MAX_HOLDERS:
        text += f" and {len(items) - MAX_HOLDERS} more missions"
    return text


def slot_funnel(
    problem: Problem, arrays: ExpertArrays, board: Board, mission_index: int, j: int
) -> tuple[list[tuple[str, int]], BoolArray, BoolArray]:
    """Counts of experts left after each filter, the statically qualified and the free ones."""
    mission = problem.missions[mission_index]
    slot = mission.slots[j]
    steps: list[tuple[str, int]] = [("experts", arrays.size)]
    mask = arrays.category_mask(slot.category).copy()
    steps.append((slot.category, int(mask.sum())))
    mask &= arrays.language_mask(mission.language)
    steps.append((f"speak {mission.language}", int(mask.sum())))
    mask &= arrays.skill_mask(slot.skills)
    if slot.skills:
        level = " and ".join(f"{t} >= {lvl}" for t, lvl in sorted(slot.skills.items()))
        steps.append((f"with {level}", int(mask.sum())))
    mask &= arrays.country_mask(mission.beneficiaries)
    steps.append(("from no beneficiary country", int(mask.sum())))
    idx = np.flatnonzero(mask)
    starts = np.arange(mission.earliest_start, mission.latest_start + 1)
    available = arrays.free_starts(idx, mission) if len(idx) else np.zeros((0, len(starts)), bool)
    dated = available.any(axis=1)
    steps.append(("available on those dates", int(dated.sum())))
    days_left = np.where(
        arrays.max_days[idx] >= NO_CAP, NO_CAP, arrays.max_days[idx] - board.used[idx]
    )
    enough = dated & (days_left >= mission.duration)
    steps.append(("with enough yearly days left", int(enough.sum())))
    free = board.free_matrix(idx, mission_index, starts).any(axis=1) if len(idx) else dated
    steps.append(("free of other missions", int(free.sum())))
    qualified = np.zeros(arrays.size, dtype=bool)
    qualified[idx[dated]] = True
    free_mask = np.zeros(arrays.size, dtype=bool)
    free_mask[idx[free]] = True
    return steps, qualified, free_mask


def _funnel_text(steps: list[tuple[str, int]]) -> str:
    """'1500 experts -> 745 technical_operational_expert -> ...', up to the first zero."""
    cut = next((k for k, (_, n) in enumerate(steps) if n == 0), len(steps) - 1)
    return " -> ".join(f"{n} {label}" for label, n in steps[: cut + 1])


def unstaffed_reasons(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    schedule: Schedule,
    board: Board | None = None,
) -> dict[int, list[str]]:
    """For each unstaffed mission, reasons a coordinator can act on."""
    if board is None:
        board = Board(problem, arrays, cands)
        for m, staff in schedule.experts.items():
            board.place(m, schedule.start[m], staff)
    booked: dict[int, list[int]] = defaultdict(list)
    for m, staff in board.schedule.experts.items():
        for e in staff.values():
            booked[e].append(m)
    reasons: dict[int, list[str]] = {}
    for m, mission in enumerate(problem.missions):
        if m in schedule.experts:
            continue
        lines: list[str] = []
        free_sets = []
        for j, slot in enumerate(mission.slots):
            steps, qualified, free = slot_funnel(problem, arrays, board, m, j)
            free_sets.append(free)
            funnel = _funnel_text(steps)
            if free.any():
                continue
            blocking = next((label for label, n in steps if n == 0), "")
            head = f"slot {slot.id}: no {_requirement(mission, slot)}"
            if blocking in ("available on those dates", "with enough yearly days left"):
                what = "released" if "days" in blocking else "available"
                head += f" and is {what} for {_dates(problem, mission)}"
            else:
                head += f" and is free for {_dates(problem, mission)}"
            lines.append(f"{head} ({funnel})")
            holders = _holders(problem, board, booked, mission, np.flatnonzero(qualified))
            if holders:
                lines.append(f"slot {slot.id}: the experts who would qualify are held by {holders}")
        if not lines:
            lines.append(_joint_reason(problem, arrays, mission, free_sets))
        reasons[m] = lines
    return reasons


def _joint_reason(
    problem: Problem, arrays: ExpertArrays, mission: Mission, free_sets: list[BoolArray]
) -> str:
    """Every slot has a free expert on its own, but not all of them at once."""
    union = np.logical_or.reduce(free_sets)
    countries = {str(c) for c in arrays.country[union]}
    counts = ", ".join(
        f"{s.id}: {int(f.sum())}" for s, f in zip(mission.slots, free_sets, strict=True)
    )
    if mission.distinct == DISTINCT_REQUIRED and len(countries) < len(mission.slots):
        return (
            f"distinct countries are required but the free qualified experts come from "
            f"{len(countries)} countr{'y' if len(countries) == 1 else 'ies'} for "
            f"{len(mission.slots)} slots (free per slot: {counts})"
        )
    if int(union.sum()) < len(mission.slots):
        return (
            f"the same {int(union.sum())} free expert(s) are the only ones for "
            f"{len(mission.slots)} slots (free per slot: {counts})"
        )
    return (
        "each slot has free qualified experts, but on no common dates, or not all at once "
        f"without breaking another rule (free per slot: {counts}); pinning one of them "
        "lets the planner build around it"
    )


def pin_conflicts(problem: Problem, arrays: ExpertArrays, cands: Candidates) -> list[str]:
    """Why the pins cannot all hold: the clashes a coordinator can undo, most direct first."""
    t = problem.travel_days
    out: list[str] = []
    by_expert: dict[int, list[int]] = defaultdict(list)
    for k, pin in enumerate(problem.pins):
        by_expert[problem.expert_index[pin.expert]].append(k)
    for e, ks in by_expert.items():
        who = problem.experts[e].id
        spans = []
        for k in ks:
            m = problem.slot_index[problem.pins[k].slot][0]
            mission = problem.missions[m]
            start = problem.pins[k].start
            part = (
                (start, start + mission.duration - 1) if start is not None else mission.compulsory
            )
            spans.append((k, m, part))
        for i, (k1, m1, p1) in enumerate(spans):
            for k2, m2, p2 in spans[i + 1 :]:
                if m1 == m2:
                    mid = problem.missions[m1].id
                    out.append(f"pinned[{k1}] and pinned[{k2}]: {who} holds two slots of {mid}")
                elif p1 and p2 and p1[0] <= p2[1] + t and p2[0] <= p1[1] + t:
                    out.append(
                        f"pinned[{k1}] and pinned[{k2}]: {who} cannot do both "
                        f"{problem.missions[m1].id} and {problem.missions[m2].id}: their dates "
                        f"overlap or leave fewer than {t} travel day(s) between them"
                    )
        days = sum(
            problem.missions[problem.slot_index[problem.pins[k].slot][0]].duration for k in ks
        )
        cap = problem.experts[e].max_days
        if cap is not None and days > cap:
            out.append(f"{who} is pinned to {days} mission days and released for {cap}")
    pinned, pinned_start = pins_by_mission(problem)
    for m, fixed in pinned.items():
        mission = problem.missions[m]
        countries = [str(arrays.country[e]) for e in fixed.values()]
        if mission.distinct == DISTINCT_REQUIRED and len(set(countries)) < len(countries):
            out.append(
                f"{mission.id}: distinct countries are required but two pinned experts share one"
            )
            continue
        board = Board(problem, arrays, cands)
        if board.try_staff(m, mission_starts(problem, m, pinned_start.get(m)), fixed=fixed):
            continue
        details = []
        for j, slot in enumerate(mission.slots):
            if j in fixed:
                continue
            steps, _, free = slot_funnel(problem, arrays, board, m, j)
            free[list(fixed.values())] = False
            if not free.any():
                details.append(
                    f"slot {slot.id}: no {_requirement(mission, slot)} besides the pinned "
                    f"expert(s) ({_funnel_text(steps)})"
                )
        detail = "; ".join(details) or (
            "its other slots have qualified experts, but not on the pinned dates or not all at once"
        )
        out.append(f"{mission.id} cannot be staffed around its pins: {detail}")
    if not out:
        out.append(
            "each pin holds on its own, but not all together: the pinned missions need the "
            "same experts or days; unpin one of them"
        )
    return out
