"""Greedy construction: the baseline, the solver's first hint and its fallback.

The baseline is first-fit: most important mission first, then earliest dates, then the first
free qualified expert in the order the problem lists them. ``greedy(..., smart=True)`` is the
same loop with a better order (scarce missions first, least-demanded experts first), used to
seed the solver. Both respect every hard constraint, so either is a valid plan on its own.
``top_up`` staffs, the same way, what the solver's plan left out.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from renfort.planner.candidates import (
    BoolArray,
    Candidates,
    ExpertArrays,
    IntArray,
    start_spans,
)
from renfort.planner.domain import DISTINCT_REQUIRED, Mission, Problem, Schedule


class Board:
    """Who is booked when, and how many days each expert has used."""

    def __init__(self, problem: Problem, arrays: ExpertArrays, cands: Candidates) -> None:
        self.problem = problem
        self.arrays = arrays
        self.cands = cands
        self.travel = problem.travel_days
        # Day d lives at column d + travel so conflict ranges never go negative.
        self.busy = np.zeros((len(problem.experts), problem.horizon + 2 * self.travel + 1), bool)
        # The days of on-site missions only: a remote mission keeps travel days from those.
        remote = any(m.remote for m in problem.missions)
        self.onsite = np.zeros_like(self.busy) if remote else self.busy
        self.used = np.zeros(len(problem.experts), dtype=np.int64)
        # Days used in each capped calendar year (the columns of arrays.years).
        self.used_by_year = np.zeros((len(problem.experts), len(arrays.years)), dtype=np.int64)
        self.schedule = Schedule()

    def free_matrix(self, experts: IntArray, mission: int, starts: IntArray) -> BoolArray:
        """experts x starts: True where the expert could take the mission starting then."""
        m = self.problem.missions[mission]
        if len(experts) == 0 or len(starts) == 0:
            return np.zeros((len(experts), len(starts)), dtype=bool)
        d = self._spans(m, starts)
        free = self._clear(experts, m, starts, d)
        free &= self.used[experts][:, None] + d[None, :] <= self.arrays.max_days[experts][:, None]
        if len(self.arrays.years):
            free &= self.year_room(experts, mission, starts)
        rows = self.arrays.row_of(experts)
        has = rows >= 0
        if has.any():
            un = self.arrays.unavailable_cum[rows[has]]
            free[has] &= (un[:, starts + d] - un[:, starts]) == 0
        free[:, d == 0] = False
        return free

    @staticmethod
    def _spans(m: Mission, starts: IntArray) -> IntArray:
        """The mission's span for each start, 0 where it may not start."""
        k = starts - m.earliest_start
        inside = (k >= 0) & (starts <= m.latest_start)
        spans = np.zeros(len(starts), dtype=np.int64)
        spans[inside] = start_spans(m)[k[inside]]
        return spans

    def _booked(
        self, table: BoolArray, experts: IntArray, starts: IntArray, before: int, length: IntArray
    ) -> npt.NDArray[np.int32]:
        """experts x starts: booked days of ``table`` from ``before`` days before each start,
        ``length`` days long."""
        first = starts - before + self.travel  # day d lives at column d + travel
        last = first + length
        lo, hi = int(first.min()), int(last.max())
        window = table[experts, lo:hi].astype(np.int32)
        cum = np.zeros((len(experts), window.shape[1] + 1), dtype=np.int32)
        np.cumsum(window, axis=1, out=cum[:, 1:])
        booked: npt.NDArray[np.int32] = cum[:, last - lo] - cum[:, first - lo]
        return booked

    def _clear(self, experts: IntArray, m: Mission, starts: IntArray, d: IntArray) -> BoolArray:
        """experts x starts: no other mission of the expert on the mission's days or within the
        travel days around them (between two remote missions no travel days are kept)."""
        t = self.travel
        if not m.remote:
            clear: BoolArray = self._booked(self.busy, experts, starts, t, d + 2 * t) == 0
            return clear
        clear = self._booked(self.busy, experts, starts, 0, d) == 0
        clear &= self._booked(self.onsite, experts, starts, t, d + 2 * t) == 0
        return clear

    def _mark(self, e: int, m: Mission, start: int, value: bool) -> None:
        days = slice(start + self.travel, start + m.span(start) + self.travel)
        self.busy[e, days] = value
        if not m.remote and self.onsite is not self.busy:
            self.onsite[e, days] = value

    def year_room(self, experts: IntArray, mission: int, starts: IntArray) -> BoolArray:
        """experts x starts: True where the mission's days in each calendar year fit what the
        expert has left of that year's cap."""
        m = self.problem.missions[mission]
        return self.arrays.year_starts(experts, m, starts, self.used_by_year[experts])

    def _year_split(self, mission: int, start: int) -> IntArray:
        m = self.problem.missions[mission]
        return self.arrays.year_days(m, np.array([start], dtype=np.int64))[:, 0]

    def place(self, mission: int, start: int, experts: Mapping[int, int]) -> None:
        d = self.problem.missions[mission].span(start)
        split = self._year_split(mission, start)
        for e in experts.values():
            self._mark(e, self.problem.missions[mission], start, True)
            self.used[e] += d
            self.used_by_year[e] += split
        self.schedule.start[mission] = start
        self.schedule.experts[mission] = dict(experts)

    def remove(self, mission: int) -> None:
        start = self.schedule.start.pop(mission)
        d = self.problem.missions[mission].span(start)
        split = self._year_split(mission, start)
        for e in self.schedule.experts.pop(mission).values():
            self._mark(e, self.problem.missions[mission], start, False)
            self.used[e] -= d
            self.used_by_year[e] -= split

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
            # A previous expert goes first only while the slot still admits them (hard filters,
            # exclusions).
            if j in preferred and j not in fixed and preferred[j] in experts:
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
    return np.array(m.start_days(), dtype=np.int64)


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


def top_up(problem: Problem, arrays: ExpertArrays, cands: Candidates, schedule: Schedule) -> Board:
    """Staff, greedily, any mission the plan left out that still fits around it."""
    board = Board(problem, arrays, cands)
    for m, staff in schedule.experts.items():
        board.place(m, schedule.start[m], staff)
    for m in sorted(
        (m for m in range(len(problem.missions)) if m not in schedule.experts),
        key=lambda m: -problem.missions[m].priority,
    ):
        if all(len(cands.experts[g]) for g in cands.mission_slots[m]):
            board.try_staff(m, mission_starts(problem, m))
    return board
