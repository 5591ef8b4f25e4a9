"""Greedy construction: the baseline, the solver's first hint and its fallback.

The baseline is first-fit: most important mission first, then earliest dates, then the first
free qualified expert in the order the problem lists them. ``greedy(..., smart=True)`` is the
same loop with a better order (scarce missions first, least-demanded experts first), used to
seed the solver. Both respect every hard constraint, so either is a valid plan on its own.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np

from renfort.planner.candidates import BoolArray, Candidates, ExpertArrays, IntArray
from renfort.planner.domain import DISTINCT_REQUIRED, Problem, Schedule


class Board:
    """Who is booked when, and how many days each expert has used."""

    def __init__(self, problem: Problem, arrays: ExpertArrays, cands: Candidates) -> None:
        self.problem = problem
        self.arrays = arrays
        self.cands = cands
        self.travel = problem.travel_days
        # Day d lives at column d + travel so conflict ranges never go negative.
        self.busy = np.zeros((len(problem.experts), problem.horizon + 2 * self.travel + 1), bool)
        self.used = np.zeros(len(problem.experts), dtype=np.int64)
        self.schedule = Schedule()

    def free_matrix(self, experts: IntArray, mission: int, starts: IntArray) -> BoolArray:
        """experts x starts: True where the expert could take the mission starting then."""
        m = self.problem.missions[mission]
        d, t = m.duration, self.travel
        if len(experts) == 0 or len(starts) == 0:
            return np.zeros((len(experts), len(starts)), dtype=bool)
        lo, hi = int(starts.min()), int(starts.max())
        window = self.busy[experts, lo : hi + d + 2 * t].astype(np.int32)
        cum = np.zeros((len(experts), window.shape[1] + 1), dtype=np.int32)
        np.cumsum(window, axis=1, out=cum[:, 1:])
        k = starts - lo
        free: BoolArray = (cum[:, k + d + 2 * t] - cum[:, k]) == 0
        free &= (self.used[experts] + d <= self.arrays.max_days[experts])[:, None]
        rows = self.arrays.row_of(experts)
        has = rows >= 0
        if has.any():
            un = self.arrays.unavailable_cum[rows[has]]
            free[has] &= (un[:, starts + d] - un[:, starts]) == 0
        return free

    def place(self, mission: int, start: int, experts: Mapping[int, int]) -> None:
        d = self.problem.missions[mission].duration
        for e in experts.values():
            self.busy[e, start + self.travel : start + d + self.travel] = True
            self.used[e] += d
        self.schedule.start[mission] = start
        self.schedule.experts[mission] = dict(experts)

    def remove(self, mission: int) -> None:
        start = self.schedule.start.pop(mission)
        d = self.problem.missions[mission].duration
        for e in self.schedule.experts.pop(mission).values():
            self.busy[e, start + self.travel : start + d + self.travel] = False
            self.used[e] -= d

    def try_staff(
        self,
        mission: int,
        starts: IntArray,
        fixed: Mapping[int, int] | None = None,
        preferred: Mapping[int, int] | None = None,
        order: Mapping[int, IntArray] | None = None,
    ) -> bool:
        """Staff the mission at the first start where every slot finds a free expert.

        ``fixed`` slots must get their expert (pins); ``preferred`` ones get theirs when it is
        free (a previous plan). ``order`` overrides the candidate order per slot.
        """
        m = self.problem.missions[mission]
        fixed = fixed or {}
        preferred = preferred or {}
        slots = list(self.cands.mission_slots[mission])
        lists: list[IntArray] = []
        matrices: list[BoolArray] = []
        for j, g in enumerate(slots):
            if j in fixed:
                experts = np.array([fixed[j]], dtype=np.int64)
            elif order is not None and j in order:
                experts = order[j]
            else:
                experts = self.cands.experts[g]
            if j in preferred and j not in fixed:
                experts = np.concatenate(([preferred[j]], experts[experts != preferred[j]]))
            lists.append(experts)
            matrices.append(self.free_matrix(experts, mission, starts))
        feasible_any = np.logical_and.reduce([mat.any(axis=0) for mat in matrices])
        country = self.arrays.country
        for k in np.flatnonzero(feasible_any):
            chosen: dict[int, int] = {}
            countries: set[str] = set()
            for j in range(len(slots)):
                for idx in np.flatnonzero(matrices[j][:, k]):
                    e = int(lists[j][idx])
                    if e in chosen.values():
                        continue
                    if m.distinct == DISTINCT_REQUIRED and str(country[e]) in countries:
                        continue
                    chosen[j] = e
                    countries.add(str(country[e]))
                    break
                else:
                    break
            if len(chosen) == len(slots):
                self.place(mission, int(starts[k]), chosen)
                return True
        return False

    def polish_fit(self, locked: set[tuple[int, int]], deadline: float) -> int:
        """Swap in better-fitting free experts, slot by slot; returns the number of swaps.

        Never breaks a hard constraint, never gives a mission a second expert from one country
        where distinct countries are preferred unless it already had one, and leaves the
        ``locked`` (mission, slot position) pairs alone.
        """
        swaps = 0
        country = self.arrays.country
        for m in list(self.schedule.experts):
            if time.perf_counter() > deadline:
                break
            mission = self.problem.missions[m]
            start = self.schedule.start[m]
            for j in range(len(mission.slots)):
                staff = self.schedule.experts[m]
                current = staff[j]
                if (m, j) in locked:
                    continue
                g = self.cands.flat(m, j)
                experts, fits = self.cands.experts[g], self.cands.fit[g]
                gain = fits > fits[np.searchsorted(experts, current)]
                if not gain.any():
                    continue
                better = experts[gain][np.argsort(-fits[gain], kind="stable")]
                others = [e for k, e in staff.items() if k != j]
                better = better[~np.isin(better, others)]
                taken = {str(country[e]) for e in others}
                if mission.distinct == DISTINCT_REQUIRED or (
                    mission.distinct != "none" and str(country[current]) not in taken
                ):
                    better = better[~np.isin(country[better], list(taken))]
                if not len(better):
                    continue
                free = np.flatnonzero(self.free_matrix(better, m, np.array([start]))[:, 0])
                if len(free):
                    self.remove(m)
                    self.place(m, start, {**staff, j: int(better[free[0]])})
                    swaps += 1
        return swaps


def mission_starts(problem: Problem, mission: int, pinned_start: int | None = None) -> IntArray:
    m = problem.missions[mission]
    if pinned_start is not None:
        return np.array([pinned_start], dtype=np.int64)
    return np.arange(m.earliest_start, m.latest_start + 1, dtype=np.int64)


def pins_by_mission(problem: Problem) -> tuple[dict[int, dict[int, int]], dict[int, int]]:
    """mission -> {slot position: expert} and mission -> pinned start."""
    experts: dict[int, dict[int, int]] = {}
    starts: dict[int, int] = {}
    for pin in problem.pins:
        m, j = problem.slot_index[pin.slot]
        experts.setdefault(m, {})[j] = problem.expert_index[pin.expert]
        if pin.start is not None:
            starts[m] = pin.start
    return experts, starts


def _pressure(problem: Problem, cands: Candidates) -> np.ndarray:
    """Expected demand on each expert: slots weigh 1/(number of their candidates)."""
    pressure = np.zeros(len(problem.experts))
    for g, experts in enumerate(cands.experts):
        if len(experts):
            d = problem.missions[int(cands.slot_mission[g])].duration
            pressure[experts] += d / len(experts)
    return pressure


def greedy(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    *,
    smart: bool = False,
    previous: Mapping[int, tuple[int | None, Mapping[int, int]]] | None = None,
    skip: Sequence[int] = (),
) -> Schedule | None:
    """A valid schedule keeping every pin, or None when this greedy cannot keep them all.

    ``previous``: mission -> (start, {slot position: expert}) tried first, as they were.
    """
    board = Board(problem, arrays, cands)
    pinned, pinned_start = pins_by_mission(problem)
    order_of: dict[int, dict[int, IntArray]] = {}
    if smart:
        pressure = _pressure(problem, cands)
        for m in range(len(problem.missions)):
            order_of[m] = {}
            for j, g in enumerate(cands.mission_slots[m]):
                experts = cands.experts[g]
                rank = np.lexsort((-cands.fit[g], pressure[experts]))
                order_of[m][j] = experts[rank]
    for m in sorted(pinned, key=lambda m: -len(pinned[m])):
        starts = mission_starts(problem, m, pinned_start.get(m))
        if not board.try_staff(m, starts, fixed=pinned[m], order=order_of.get(m)):
            return None
    skipped = set(skip)
    if previous:
        for m in sorted(previous, key=lambda m: -problem.missions[m].priority):
            if m in board.schedule.experts or m in skipped:
                continue
            start, kept = previous[m]
            starts = mission_starts(problem, m)
            if start is not None and start in starts:
                starts = np.concatenate(([start], starts[starts != start]))
            board.try_staff(m, starts, preferred=kept, order=order_of.get(m))
    missions = [
        m
        for m in range(len(problem.missions))
        if m not in board.schedule.experts and m not in skipped
    ]
    if smart:
        # Scarce, short-windowed, small missions first within a priority.
        def scarcity(m: int) -> tuple[int, float]:
            mission = problem.missions[m]
            sizes = [len(cands.experts[g]) for g in cands.mission_slots[m]]
            return (
                -mission.priority,
                min(sizes) * (1 + mission.latest_start - mission.earliest_start),
            )

        missions.sort(key=scarcity)
    else:
        missions.sort(
            key=lambda m: (-problem.missions[m].priority, problem.missions[m].earliest_start)
        )
    for m in missions:
        if any(len(cands.experts[g]) == 0 for g in cands.mission_slots[m]):
            continue
        board.try_staff(m, mission_starts(problem, m), order=order_of.get(m))
    return board.schedule
