"""Why each expert fits, why a mission stayed unstaffed, why the pins cannot all hold: as
data (``explain_codes.Reason``: a code and raw parameters), which ``explain_codes.english``
puts into the planner's own English words."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from renfort.planner.candidates import NO_CAP, BoolArray, Candidates, ExpertArrays, IntArray
from renfort.planner.domain import DISTINCT_REQUIRED, Mission, Problem, Schedule, Slot
from renfort.planner.explain_codes import (
    FUNNEL_CODES,
    FUNNEL_STEPS,
    REASON_CODES,
    Reason,
    english,
    reason,
)
from renfort.planner.greedy import Board, mission_starts, pins_by_mission

__all__ = [
    "REASON_CODES",
    "Reason",
    "assignment_explanation",
    "english",
    "pin_conflicts",
    "pin_unfit",
    "slot_funnel",
    "unstaffed_reasons",
]

MAX_HOLDERS = 6


def _topics(slot: Slot) -> list[dict[str, Any]]:
    return [{"topic": t, "need": need} for t, need in sorted(slot.skills.items())]


def _dates(problem: Problem, mission: Mission) -> dict[str, Any]:
    """The first and last day the mission may cover (its dates or its window), its length."""
    return {
        "start": problem.iso(mission.earliest_start),
        "end": problem.iso(mission.last_day(mission.latest_start)),
        "days": mission.duration,
    }


def assignment_explanation(problem: Problem, mission: Mission, slot: Slot, expert: int) -> Reason:
    """Why the expert fits the slot; with ``ratings`` (the expert's mean rating on each rated
    topic of the slot) and ``worked_with`` (the mission's beneficiaries the expert has served
    before) only when the expert's record weighed in the fit (``candidates.pair_fit``)."""
    e = problem.experts[expert]
    record: dict[str, Any] = {}
    rated = [{"topic": t, "rating": e.ratings[t]} for t in sorted(slot.skills) if t in e.ratings]
    if rated:
        record["ratings"] = rated
    served = sorted(mission.beneficiaries & e.worked_with)
    if served:
        record["worked_with"] = served
    return reason(
        "assignment.fit",
        category=slot.category,
        language=mission.language,
        topics=[{**t, "have": e.skills.get(t["topic"], 0)} for t in _topics(slot)],
        country=e.country,
        released_days=e.max_days,
        **record,
    )


@dataclass
class Funnel:
    """Experts left after each check of a slot (``FUNNEL_STEPS``), and who is left."""

    counts: dict[str, int]
    qualified: BoolArray  # pass every check of the slot and are available on some dates
    free: BoolArray  # ... and free of the plan's other missions, with days left
    best: dict[str, int]  # best level held per topic by the experts before the levels check
    days_left: int  # most released days left among the available experts

    @property
    def blocking(self) -> str:
        """The first check that leaves nobody (the last one when none does)."""
        return next((s for s in FUNNEL_STEPS if self.counts[s] == 0), FUNNEL_STEPS[-1])

    def shown(self) -> dict[str, int]:
        """The counts up to the first check that leaves nobody."""
        cut = FUNNEL_STEPS.index(self.blocking)
        return {s: self.counts[s] for s in FUNNEL_STEPS[: cut + 1]}


def _days_left(board: Board, idx: IntArray, mission: Mission) -> IntArray:
    """Released days each expert has left, over the year and over each capped calendar year
    the mission may touch."""
    arrays = board.arrays
    left = np.where(arrays.max_days[idx] >= NO_CAP, NO_CAP, arrays.max_days[idx] - board.used[idx])
    if len(arrays.years) and len(idx):
        first, last = mission.earliest_start, mission.last_day(mission.latest_start)
        touched = np.flatnonzero((arrays.years[:, 0] <= last) & (arrays.years[:, 1] >= first))
        if len(touched):
            room = arrays.year_caps[np.ix_(idx, touched)] - board.used_by_year[np.ix_(idx, touched)]
            left = np.minimum(left, room.min(axis=1))
    return left


def slot_funnel(
    problem: Problem, arrays: ExpertArrays, board: Board, mission_index: int, j: int
) -> Funnel:
    """The slot's checks one after the other, over the whole pool."""
    mission = problem.missions[mission_index]
    slot = mission.slots[j]
    counts = {"pool": arrays.size}
    mask = arrays.category_mask(slot.category).copy()
    counts["category"] = int(mask.sum())
    mask &= arrays.language_mask(mission.language)
    counts["language"] = int(mask.sum())
    best = {
        t: int(arrays.skill[t][mask].max()) if t in arrays.skill and mask.any() else 0
        for t in sorted(slot.skills)
    }
    mask &= arrays.skill_mask(slot.skills)
    counts["levels"] = int(mask.sum())
    mask &= arrays.country_mask(mission.beneficiaries)
    counts["not_beneficiary"] = int(mask.sum())
    mask &= arrays.allowed_mask(slot, problem.expert_index)
    counts["allowed"] = int(mask.sum())
    idx = np.flatnonzero(mask)
    starts = np.arange(mission.earliest_start, mission.latest_start + 1)
    available = arrays.free_starts(idx, mission) if len(idx) else np.zeros((0, len(starts)), bool)
    dated = available.any(axis=1)
    counts["available"] = int(dated.sum())
    days_left = _days_left(board, idx, mission)
    enough = dated & (days_left >= mission.min_span)
    if len(arrays.years) and len(idx):
        enough &= (available & board.year_room(idx, mission_index, starts)).any(axis=1)
    counts["days_left"] = int(enough.sum())
    free = board.free_matrix(idx, mission_index, starts).any(axis=1) if len(idx) else dated
    counts["free"] = int(free.sum())
    qualified = np.zeros(arrays.size, dtype=bool)
    qualified[idx[dated]] = True
    free_mask = np.zeros(arrays.size, dtype=bool)
    free_mask[idx[free]] = True
    most_left = int(days_left[dated].max()) if dated.any() else 0
    return Funnel(counts, qualified, free_mask, best, most_left)


def _slot_params(mission: Mission, slot: Slot, funnel: Funnel) -> dict[str, Any]:
    return {
        "slot": slot.id,
        "category": slot.category,
        "language": mission.language,
        "topics": _topics(slot),
        "funnel": funnel.shown(),
    }


def _slot_reason(problem: Problem, mission: Mission, slot: Slot, funnel: Funnel) -> Reason:
    """Why nobody can take the slot: the first check of its funnel that leaves nobody."""
    step = funnel.blocking
    k = FUNNEL_STEPS.index(step)
    code = FUNNEL_CODES[step]
    params = _slot_params(mission, slot, funnel)
    params["dates"] = _dates(problem, mission)
    params["count"] = funnel.counts[FUNNEL_STEPS[k - 1]] if k else 0
    if code == "slot.no_topic_levels":
        params["topics"] = [{**t, "best": funnel.best[t["topic"]]} for t in params["topics"]]
    elif code == "slot.only_beneficiaries":
        params["countries"] = sorted(mission.beneficiaries)
    elif code == "slot.no_days_left":
        params["days_left"] = funnel.days_left
    return reason(code, **params)


def _holders(
    problem: Problem,
    board: Board,
    booked: dict[int, list[int]],
    mission: Mission,
    slot: Slot,
    experts: IntArray,
) -> Reason | None:
    """Missions of the plan that keep these experts busy over the mission's dates."""
    t = problem.travel_days
    lo, hi = mission.earliest_start, mission.last_day(mission.latest_start)
    held: dict[str, list[str]] = defaultdict(list)
    for e in experts.tolist():
        short_of_days = board.used[e] + mission.min_span > board.arrays.max_days[e]
        for m in booked.get(e, ()):
            other = problem.missions[m]
            start = board.schedule.start[m]
            if short_of_days or (start <= hi + t and lo <= other.last_day(start) + t):
                held[other.id].append(problem.experts[e].id)
    if not held:
        return None
    items = sorted(held.items(), key=lambda kv: -len(kv[1]))
    holders = [{"mission": mid, "experts": sorted(ids)} for mid, ids in items[:MAX_HOLDERS]]
    more = max(len(items) - MAX_HOLDERS, 0)
    return reason("slot.held_by", slot=slot.id, holders=holders, more=more)


def unstaffed_reasons(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    schedule: Schedule,
    board: Board | None = None,
) -> dict[int, list[Reason]]:
    """For each unstaffed mission, reasons a coordinator can act on."""
    if board is None:
        board = Board(problem, arrays, cands)
        for m, staff in schedule.experts.items():
            board.place(m, schedule.start[m], staff)
    booked: dict[int, list[int]] = defaultdict(list)
    for m, staff in board.schedule.experts.items():
        for e in staff.values():
            booked[e].append(m)
    reasons: dict[int, list[Reason]] = {}
    for m, mission in enumerate(problem.missions):
        if m in schedule.experts:
            continue
        lines: list[Reason] = []
        free_sets = []
        for j, slot in enumerate(mission.slots):
            funnel = slot_funnel(problem, arrays, board, m, j)
            free_sets.append(funnel.free)
            if funnel.free.any():
                continue
            lines.append(_slot_reason(problem, mission, slot, funnel))
            qualified = np.flatnonzero(funnel.qualified)
            holders = _holders(problem, board, booked, mission, slot, qualified)
            if holders is not None:
                lines.append(holders)
        if not lines:
            lines.append(_joint_reason(problem, arrays, mission, free_sets))
        reasons[m] = lines
    return reasons


def _joint_reason(
    problem: Problem, arrays: ExpertArrays, mission: Mission, free_sets: list[BoolArray]
) -> Reason:
    """Every slot has a free expert on its own, but not all of them at once."""
    union = np.logical_or.reduce(free_sets)
    countries = sorted({str(c) for c in arrays.country[union]})
    free = [
        {"slot": s.id, "free": int(f.sum())} for s, f in zip(mission.slots, free_sets, strict=True)
    ]
    slots = len(mission.slots)
    if mission.distinct == DISTINCT_REQUIRED and len(countries) < slots:
        return reason("mission.countries_short", countries=countries, slots=slots, free=free)
    if int(union.sum()) < slots:
        experts = sorted(problem.experts[e].id for e in np.flatnonzero(union).tolist())
        return reason("mission.same_experts", experts=experts, slots=slots, free=free)
    return reason("mission.not_together", free=free)


def pin_unfit(problem: Problem, cands: Candidates) -> list[Reason]:
    """Pins whose expert fails a hard filter for the slot: no plan can keep them."""
    out = []
    for k, pin in enumerate(problem.pins):
        m, j = problem.slot_index[pin.slot]
        e = problem.expert_index[pin.expert]
        if e in set(cands.experts[cands.flat(m, j)].tolist()):
            continue
        mission, slot, expert = (
            problem.missions[m],
            problem.missions[m].slots[j],
            problem.experts[e],
        )
        failures: list[dict[str, Any]] = []
        if slot.category not in expert.categories:
            failures.append({"rule": "category", "category": slot.category})
        if mission.language not in expert.languages:
            failures.append({"rule": "language", "language": mission.language})
        for topic, need in sorted(slot.skills.items()):
            if expert.skills.get(topic, 0) < need:
                have = expert.skills.get(topic, 0)
                failures.append({"rule": "topic", "topic": topic, "have": have, "need": need})
        if expert.country in mission.beneficiaries:
            failures.append({"rule": "beneficiary", "country": expert.country})
        if expert.max_days is not None and expert.max_days < mission.min_span:
            failures.append(
                {"rule": "released", "released": expert.max_days, "days": mission.min_span}
            )
        starts = mission.start_days()
        for cap in expert.max_days_by_year:
            least = min((cap.overlap(s, mission.last_day(s)) for s in starts), default=0)
            if least > cap.days:
                failures.append(
                    {
                        "rule": "released_in_year",
                        "released": cap.days,
                        "year": cap.year,
                        "days": least,
                    }
                )
        if pin.expert in slot.excluded:
            failures.append({"rule": "excluded"})
        if not failures:
            failures.append({"rule": "unavailable"})
        out.append(reason("pin.unfit", pin=k, expert=pin.expert, slot=pin.slot, failures=failures))
    return out


def _expert_clashes(problem: Problem) -> list[Reason]:
    """An expert pinned to two slots of one mission, to overlapping missions, or to more days
    than released."""
    out: list[Reason] = []
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
            part = (start, mission.last_day(start)) if start is not None else mission.compulsory
            spans.append((k, m, part))
        for i, (k1, m1, p1) in enumerate(spans):
            for k2, m2, p2 in spans[i + 1 :]:
                gap = problem.gap(problem.missions[m1], problem.missions[m2])  # 0: both remote
                if m1 == m2:
                    mid = problem.missions[m1].id
                    out.append(reason("pins.two_slots", pins=[k1, k2], expert=who, mission=mid))
                elif p1 and p2 and p1[0] <= p2[1] + gap and p2[0] <= p1[1] + gap:
                    missions = [problem.missions[m1].id, problem.missions[m2].id]
                    out.append(
                        reason(
                            "pins.overlap",
                            pins=[k1, k2],
                            expert=who,
                            missions=missions,
                            travel_days=gap,
                        )
                    )
        days = sum(
            problem.missions[problem.slot_index[problem.pins[k].slot][0]].min_span for k in ks
        )
        cap = problem.experts[e].max_days
        if cap is not None and days > cap:
            out.append(reason("pins.over_released", expert=who, days=days, released=cap))
        for year_cap, taken in problem.pinned_year_overruns(e, [problem.pins[k] for k in ks]):
            out.append(
                reason(
                    "pins.over_released",
                    expert=who,
                    days=taken,
                    released=year_cap.days,
                    year=year_cap.year,
                )
            )
    return out


def pin_conflicts(problem: Problem, arrays: ExpertArrays, cands: Candidates) -> list[Reason]:
    """Why the pins cannot all hold: the clashes a coordinator can undo, most direct first."""
    out = _expert_clashes(problem)
    pinned, pinned_start = pins_by_mission(problem)
    for m, fixed in pinned.items():
        mission = problem.missions[m]
        countries = [str(arrays.country[e]) for e in fixed.values()]
        if mission.distinct == DISTINCT_REQUIRED and len(set(countries)) < len(countries):
            out.append(reason("pins.same_country", mission=mission.id))
            continue
        board = Board(problem, arrays, cands)
        if board.try_staff(m, mission_starts(problem, m, pinned_start.get(m)), fixed=fixed):
            continue
        slots = []
        for j, slot in enumerate(mission.slots):
            if j in fixed:
                continue
            funnel = slot_funnel(problem, arrays, board, m, j)
            funnel.free[list(fixed.values())] = False
            if not funnel.free.any():
                slots.append(_slot_params(mission, slot, funnel))
        if slots:
            out.append(reason("pins.around", mission=mission.id, slots=slots))
        else:
            out.append(reason("pins.around_dates", mission=mission.id))
    if not out:
        out.append(reason("pins.together"))
    return out
