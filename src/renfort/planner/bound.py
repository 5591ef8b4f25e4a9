"""A proven upper bound on the primary objective from the LP relaxation (HiGHS).

The relaxation covers every pair that passes the hard filters, not only the short candidate
lists the CP-SAT model keeps, so the bound holds for the whole problem. It is solved on a
restricted set of columns; the duals then price every other column (vectorised), and the
Lagrangian value  b'y + sum_j min over [l_j, u_j] of (c_j - A_j'y) x_j  is a valid bound for
any sign-correct duals, converged or not. Attractive columns are added and the LP solved again
while time allows (column generation).

Rows, written as a minimisation of -sum(priority * staffed):
  slot:      sum_e x[s, e] - staffed[m] = 0
  point:     sum of x over the expert's missions covering day p (travel days included) <= 1,
             at each left end p of the days a mission covers wherever it starts
  pair:      sum_s x[s, e] <= 1 for a windowed mission with no such days
  days:      sum span * x <= max_days (the mission's fewest calendar days over its starts)
  year:      sum of the fewest days the column's mission can take in a capped calendar year
             (over its starts) * x <= that year's cap: valid whatever the starts chosen
  countries: sum of x from one country <= 1 where distinct countries are required
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass, field

import highspy
import numpy as np
import numpy.typing as npt

from renfort.planner.candidates import NO_CAP, Candidates, ExpertArrays, IntArray
from renfort.planner.domain import DISTINCT_REQUIRED, Problem

FloatArray = npt.NDArray[np.float64]
TOL = 1e-6


@dataclass(frozen=True)
class Columns:
    """Every (slot, expert) pair that passes the hard filters, as flat arrays."""

    slot: IntArray
    expert: IntArray
    mission: IntArray
    duration: IntArray
    lo: IntArray  # first day covered whatever the start, -1 if none
    hi: IntArray  # last such day plus travel days
    country: IntArray
    pinned: npt.NDArray[np.bool_]

    @classmethod
    def build(cls, problem: Problem, arrays: ExpertArrays, cands: Candidates) -> Columns:
        sizes = np.array([len(c) for c in cands.experts], dtype=np.int64)
        slot = np.repeat(np.arange(len(sizes)), sizes)
        expert = np.concatenate(cands.experts) if len(sizes) else np.zeros(0, np.int64)
        mission = cands.slot_mission[slot]
        t = problem.travel_days
        # The fewest calendar days over the mission's starts: valid whatever the start chosen.
        dur = np.array([m.min_span for m in problem.missions], dtype=np.int64)
        lo_m = np.array([(m.compulsory or (-1, -1))[0] for m in problem.missions], dtype=np.int64)
        hi_m = np.array(
            [(m.compulsory[1] + m.travel(t) if m.compulsory else -1) for m in problem.missions],
            dtype=np.int64,
        )
        _, country_id = np.unique(arrays.country, return_inverse=True)
        pinned = np.zeros(len(slot), dtype=bool)
        if problem.pins:
            n = len(problem.experts)
            pin_keys = [
                cands.flat(*problem.slot_index[p.slot]) * n + problem.expert_index[p.expert]
                for p in problem.pins
            ]
            pinned = np.isin(slot * n + expert, pin_keys)
        return cls(
            slot=slot.astype(np.int64),
            expert=expert.astype(np.int64),
            mission=mission,
            duration=dur[mission],
            lo=lo_m[mission],
            hi=hi_m[mission],
            country=country_id.astype(np.int64)[expert],
            pinned=pinned,
        )

    def __len__(self) -> int:
        return len(self.slot)


@dataclass
class Duals:
    """Row duals of one restricted LP, keyed so any column can be priced."""

    slot: FloatArray
    point_keys: IntArray
    point_cum: FloatArray
    pair_keys: IntArray
    pair_dual: FloatArray
    days: FloatArray
    country_keys: IntArray
    country_dual: FloatArray
    constant: float  # sum of y_i * b_i
    year: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))  # expert x capped year


@dataclass
class BoundResult:
    bound: int | None
    support: dict[int, set[int]]  # slot -> experts with a positive LP value
    rounds: int
    seconds: float
    lp_value: float | None


@dataclass
class _Rows:
    """The restricted LP's rows as they are built: matrix entries (row, column, value) and
    row bounds, one array per family and part, and how many rows so far."""

    rows: list[IntArray] = field(default_factory=list)
    cols: list[IntArray] = field(default_factory=list)
    vals: list[FloatArray] = field(default_factory=list)
    lower: list[FloatArray] = field(default_factory=list)
    upper: list[FloatArray] = field(default_factory=list)
    count: int = 0

    def add(self, rows: IntArray, cols: IntArray, vals: FloatArray) -> None:
        self.rows.append(rows)
        self.cols.append(cols)
        self.vals.append(vals)

    def bound(self, lower: FloatArray, upper: FloatArray) -> None:
        """Close a family of ``len(lower)`` rows with their bounds."""
        self.lower.append(lower)
        self.upper.append(upper)
        self.count += len(lower)


_banner_shown = False


def _highs() -> highspy.Highs:
    """A silent HiGHS instance: the first one in a process prints a banner on fd 1."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()  # type: ignore[no-untyped-call, unused-ignore]
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            highs = highspy.Highs()  # type: ignore[no-untyped-call, unused-ignore]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        _banner_shown = True
    return highs


def _lookup(keys: IntArray, values: FloatArray, query: IntArray) -> FloatArray:
    if len(keys) == 0:
        return np.zeros(len(query))
    pos = np.searchsorted(keys, query)
    pos = np.minimum(pos, len(keys) - 1)
    hit = keys[pos] == query
    return np.where(hit, values[pos], 0.0)


class Relaxation:
    def __init__(self, problem: Problem, arrays: ExpertArrays, cands: Candidates) -> None:
        self.problem = problem
        self.arrays = arrays
        self.cands = cands
        self.cols = Columns.build(problem, arrays, cands)
        self.n_slots = len(cands.experts)
        self.n_missions = len(problem.missions)
        self.span = problem.horizon + problem.travel_days + 2
        self.priority = np.array([m.priority for m in problem.missions], dtype=float)
        self.required = np.array([m.distinct == DISTINCT_REQUIRED for m in problem.missions])
        self.has_cover = self.cols.lo >= 0
        pinned_missions = {problem.slot_index[p.slot][0] for p in problem.pins}
        self.z_lower = np.array([m in pinned_missions for m in range(self.n_missions)], float)
        # mission x capped year: the fewest days the mission takes in that year, over its starts
        self.year_min = np.zeros((self.n_missions, len(arrays.years)), dtype=np.int64)
        if len(arrays.years):
            for m, mission in enumerate(problem.missions):
                starts = np.array(mission.start_days(), dtype=np.int64)
                if len(starts):
                    self.year_min[m] = arrays.year_days(mission, starts).min(axis=1)

    def _pair_key(self, idx: IntArray) -> IntArray:
        return self.cols.expert[idx] * self.n_missions + self.cols.mission[idx]

    def solve_restricted(
        self, active: IntArray, time_limit: float
    ) -> tuple[Duals, FloatArray, float] | None:
        """Solve the LP on the columns ``active``; its duals, x values and objective."""
        rows = _Rows()
        self._slot_rows(active, rows)
        point_keys = self._point_rows(active, rows)
        pair_keys = self._pair_rows(active, rows)
        capped = self._days_rows(active, rows)
        country_keys = self._country_rows(active, rows)
        year_keys = self._year_rows(active, rows)
        solved = self._run(active, rows, time_limit)
        if solved is None:
            return None
        y, x, objective = solved
        duals = self._duals(y, point_keys, pair_keys, capped, country_keys, year_keys)
        return duals, x, objective

    def _slot_rows(self, active: IntArray, rows: _Rows) -> None:
        """sum_e x[s, e] - staffed[m] = 0; z columns are numbered n .. n + n_missions - 1."""
        n = len(active)
        rows.add(self.cols.slot[active], np.arange(n), np.ones(n))
        mission_of_slot = self.cands.slot_mission
        rows.add(np.arange(self.n_slots), n + mission_of_slot, -np.ones(self.n_slots))
        rows.bound(np.zeros(self.n_slots), np.zeros(self.n_slots))

    def _point_rows(self, active: IntArray, rows: _Rows) -> IntArray:
        """One row per expert and left end of the days a mission covers; their keys."""
        c = self.cols
        covered = active[self.has_cover[active]]
        point_keys = np.unique(c.expert[covered] * self.span + c.lo[covered])
        first = np.searchsorted(point_keys, c.expert[covered] * self.span + c.lo[covered])
        last = np.searchsorted(point_keys, c.expert[covered] * self.span + c.hi[covered], "right")
        counts = last - first
        local = np.flatnonzero(self.has_cover[active])
        rep_col = np.repeat(local, counts)
        offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        rows.add(rows.count + np.repeat(first, counts) + offs, rep_col, np.ones(len(rep_col)))
        rows.bound(np.full(len(point_keys), -np.inf), np.ones(len(point_keys)))
        return point_keys

    def _pair_rows(self, active: IntArray, rows: _Rows) -> IntArray:
        """Pair rows for windowed missions without compulsory days; their keys."""
        loose = active[~self.has_cover[active]]
        pk = self._pair_key(loose)
        pair_keys, pair_counts = np.unique(pk, return_counts=True)
        pair_keys = pair_keys[pair_counts > 1]
        sel = np.isin(pk, pair_keys)
        local_loose = np.flatnonzero(~self.has_cover[active])[sel]
        rows.add(
            rows.count + np.searchsorted(pair_keys, pk[sel]),
            local_loose,
            np.ones(len(local_loose)),
        )
        rows.bound(np.full(len(pair_keys), -np.inf), np.ones(len(pair_keys)))
        return pair_keys

    def _days_rows(self, active: IntArray, rows: _Rows) -> IntArray:
        """One days row per expert whose columns could exceed the cap; those experts."""
        c = self.cols
        caps = self.arrays.max_days
        e_act = c.expert[active]
        mission_days = np.zeros(len(self.problem.experts))
        _, first_of_pair = np.unique(self._pair_key(active), return_index=True)
        np.add.at(mission_days, e_act[first_of_pair], c.duration[active][first_of_pair])
        capped = np.flatnonzero((caps < NO_CAP) & (mission_days > caps))
        day_row = np.full(len(self.problem.experts), -1, dtype=np.int64)
        day_row[capped] = rows.count + np.arange(len(capped))
        sel = day_row[e_act] >= 0
        rows.add(day_row[e_act[sel]], np.flatnonzero(sel), c.duration[active][sel].astype(float))
        rows.bound(np.full(len(capped), -np.inf), caps[capped].astype(float))
        return capped

    def _country_rows(self, active: IntArray, rows: _Rows) -> IntArray:
        """Distinct-country rows (mission x country, where required); their keys."""
        c = self.cols
        req = self.required[c.mission[active]]
        ck = c.mission[active] * (int(c.country.max(initial=0)) + 1) + c.country[active]
        country_keys, ccounts = np.unique(ck[req], return_counts=True)
        country_keys = country_keys[ccounts > 1]
        sel = req & np.isin(ck, country_keys)
        rows.add(
            rows.count + np.searchsorted(country_keys, ck[sel]),
            np.flatnonzero(sel),
            np.ones(int(sel.sum())),
        )
        rows.bound(np.full(len(country_keys), -np.inf), np.ones(len(country_keys)))
        return country_keys

    def _year_rows(self, active: IntArray, rows: _Rows) -> IntArray:
        """The per-year rows, one per expert and capped year the active columns could overrun;
        their keys, expert * years + year, ascending."""
        caps = self.arrays.year_caps
        n_years = caps.shape[1]
        if n_years == 0:
            return np.zeros(0, dtype=np.int64)
        experts = self.cols.expert[active]
        coef = self.year_min[self.cols.mission[active]]  # active columns x capped years
        # An expert's days in one mission count once, however many of its slots they could take.
        _, first_of_pair = np.unique(self._pair_key(active), return_index=True)
        reach = np.zeros(caps.shape, dtype=np.int64)
        np.add.at(reach, experts[first_of_pair], coef[first_of_pair])
        keys = np.flatnonzero((caps < NO_CAP) & (reach > caps))
        row_of = np.full(caps.size, -1, dtype=np.int64)
        row_of[keys] = rows.count + np.arange(len(keys))
        for y in range(n_years):
            row = row_of[experts * n_years + y]
            sel = (row >= 0) & (coef[:, y] > 0)
            rows.add(row[sel], np.flatnonzero(sel), coef[sel, y].astype(float))
        rows.bound(np.full(len(keys), -np.inf), caps.ravel()[keys].astype(float))
        return keys

    def _run(
        self, active: IntArray, rows: _Rows, time_limit: float
    ) -> tuple[FloatArray, FloatArray, float] | None:
        """Solve the restricted LP (HiGHS); row duals, column values and objective, or None
        without valid duals."""
        n = len(active)
        n_cols = n + self.n_missions
        ri = np.concatenate(rows.rows)
        cj = np.concatenate(rows.cols)
        vv = np.concatenate(rows.vals)
        order = np.lexsort((ri, cj))
        ri, cj, vv = ri[order], cj[order], vv[order]
        start = np.zeros(n_cols + 1, dtype=np.int64)
        np.cumsum(np.bincount(cj, minlength=n_cols), out=start[1:])

        lp = highspy.HighsLp()
        lp.num_col_ = n_cols
        lp.num_row_ = rows.count
        lp.col_cost_ = np.concatenate((np.zeros(n), -self.priority))
        lp.col_lower_ = np.concatenate((self.cols.pinned[active].astype(float), self.z_lower))
        lp.col_upper_ = np.ones(n_cols)
        lp.row_lower_ = np.concatenate(rows.lower)
        lp.row_upper_ = np.concatenate(rows.upper)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start.astype(np.int32)
        lp.a_matrix_.index_ = ri.astype(np.int32)
        lp.a_matrix_.value_ = vv
        highs = _highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", max(time_limit, 0.1))
        highs.setOptionValue("threads", 1)
        highs.passModel(lp)
        highs.run()
        solution = highs.getSolution()
        if not solution.dual_valid:
            return None
        y = np.array(solution.row_dual, dtype=float)
        x = np.array(solution.col_value, dtype=float)
        return y, x, float(highs.getInfo().objective_function_value)

    def _duals(
        self,
        y: FloatArray,
        point_keys: IntArray,
        pair_keys: IntArray,
        capped: IntArray,
        country_keys: IntArray,
        year_keys: IntArray,
    ) -> Duals:
        """The row duals ``y``, made sign-correct and keyed by row family."""
        point_row0 = self.n_slots
        pair_row0 = point_row0 + len(point_keys)
        days_row0 = pair_row0 + len(pair_keys)
        country_row0 = days_row0 + len(capped)
        year_row0 = country_row0 + len(country_keys)
        caps = self.arrays.max_days
        slot_y = y[: self.n_slots]
        point_y = np.minimum(y[point_row0:pair_row0], 0.0)
        pair_y = np.minimum(y[pair_row0:days_row0], 0.0)
        days_y_rows = np.minimum(y[days_row0:country_row0], 0.0)
        country_y = np.minimum(y[country_row0:year_row0], 0.0)
        days_y = np.zeros(len(self.problem.experts))
        days_y[capped] = days_y_rows
        constant = (
            point_y.sum() + pair_y.sum() + country_y.sum() + float(days_y_rows @ caps[capped])
        )
        duals = Duals(
            slot=slot_y,
            point_keys=point_keys,
            point_cum=np.concatenate(([0.0], np.cumsum(point_y))),
            pair_keys=pair_keys,
            pair_dual=pair_y,
            days=days_y,
            country_keys=country_keys,
            country_dual=country_y,
            constant=constant,
        )
        year_y = np.minimum(y[year_row0:], 0.0)
        caps = self.arrays.year_caps
        duals.year = np.zeros(caps.size)
        duals.year[year_keys] = year_y
        duals.year = duals.year.reshape(caps.shape)
        duals.constant += float(year_y @ caps.ravel()[year_keys])
        return duals

    def reduced_costs(self, duals: Duals) -> FloatArray:
        """c_j - A_j'y for every column of the full relaxation (x columns only)."""
        c = self.cols
        total = duals.slot[c.slot].copy()
        cov = self.has_cover
        lo = np.searchsorted(duals.point_keys, c.expert[cov] * self.span + c.lo[cov])
        hi = np.searchsorted(duals.point_keys, c.expert[cov] * self.span + c.hi[cov], "right")
        total[cov] += duals.point_cum[hi] - duals.point_cum[lo]
        loose = np.flatnonzero(~cov)
        total[loose] += _lookup(duals.pair_keys, duals.pair_dual, self._pair_key(loose))
        total += c.duration * duals.days[c.expert]
        for y in range(duals.year.shape[1]):
            total += self.year_min[c.mission, y] * duals.year[c.expert, y]
        ck = c.mission * (int(c.country.max(initial=0)) + 1) + c.country
        total += _lookup(duals.country_keys, duals.country_dual, ck)
        reduced: FloatArray = -total
        return reduced

    def lagrangian(self, duals: Duals, reduced: FloatArray) -> float:
        """A valid upper bound on the primary for these duals."""
        c = self.cols
        x_part = np.where(c.pinned, reduced, np.minimum(reduced, 0.0)).sum()
        z_reduced = -self.priority.copy()
        np.add.at(z_reduced, self.cands.slot_mission, duals.slot)
        z_part = np.where(self.z_lower > 0, z_reduced, np.minimum(z_reduced, 0.0)).sum()
        return -(duals.constant + float(x_part) + float(z_part))


def trivial_bound(problem: Problem, cands: Candidates) -> int:
    """Sum of the priorities of missions whose every slot has some candidate."""
    return sum(
        mission.priority
        for m, mission in enumerate(problem.missions)
        if all(len(cands.experts[g]) for g in cands.mission_slots[m])
    )


def lp_bound(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    start_with: list[IntArray],
    time_limit: float,
    max_rounds: int = 8,
) -> BoundResult:
    """Column generation from the columns ``start_with`` (per slot) within ``time_limit``."""
    began = time.perf_counter()
    relax = Relaxation(problem, arrays, cands)
    cols = relax.cols
    best = float(trivial_bound(problem, cands))
    support: dict[int, set[int]] = {}
    if len(cols) == 0:
        return BoundResult(int(best), support, 0, time.perf_counter() - began, None)
    key_all = cols.slot * len(problem.experts) + cols.expert
    wanted = np.concatenate(
        [g * len(problem.experts) + experts for g, experts in enumerate(start_with) if len(experts)]
        or [np.zeros(0, np.int64)]
    )
    active_mask = np.isin(key_all, wanted) | cols.pinned
    rounds = 0
    lp_value: float | None = None
    while rounds < max_rounds:
        left = time_limit - (time.perf_counter() - began)
        if left <= 0.05:
            break
        active = np.flatnonzero(active_mask)
        solved = relax.solve_restricted(active, left)
        rounds += 1
        if solved is None:
            break
        duals, x, objective = solved
        lp_value = -objective
        reduced = relax.reduced_costs(duals)
        best = min(best, relax.lagrangian(duals, reduced))
        positive = active[x[: len(active)] > TOL]
        support = {}
        for g, e in zip(cols.slot[positive], cols.expert[positive], strict=True):
            support.setdefault(int(g), set()).add(int(e))
        attractive = np.flatnonzero((reduced < -TOL) & ~active_mask)
        if len(attractive) == 0 or best - lp_value < 1e-3:
            break
        keep = attractive[np.argsort(reduced[attractive])[: max(len(active) // 2, 2000)]]
        active_mask[keep] = True
    bound = math.floor(best + 1e-5)
    return BoundResult(bound, support, rounds, time.perf_counter() - began, lp_value)
