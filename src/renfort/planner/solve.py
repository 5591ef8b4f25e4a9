"""The planner: problem document in, plan document out.

Pipeline, all inside the time limit: check and parse; hard filters (vectorised); a greedy
plan (valid from the first second, and the solver's hint); a short candidate list per slot;
an LP bound over every filtered pair (HiGHS, column generation); CP-SAT maximising the
primary, then, with the primary held, the secondary terms; a greedy top-up of whatever the
time limit left unstaffed; explanations.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from renfort.planner.bound import lp_bound, trivial_bound
from renfort.planner.candidates import (
    Candidates,
    ExpertArrays,
    IntArray,
    build_candidates,
    fit_of,
)
from renfort.planner.domain import (
    DISTINCT_PREFERRED,
    Previous,
    Problem,
    ProgressEvent,
    Schedule,
)
from renfort.planner.explain import (
    Reason,
    assignment_explanation,
    english,
    pin_conflicts,
    pin_unfit,
    unstaffed_reasons,
)
from renfort.planner.explain_codes import reason
from renfort.planner.greedy import Board, greedy, mission_starts
from renfort.planner.model import FIT_SCALE, PlanModel, add_secondary, build_model
from renfort.planner.validate import load_problem, parse_previous

__all__ = ["ProgressEvent", "solve"]

logger = logging.getLogger(__name__)

Progress = Callable[[ProgressEvent], None]

# Variables the CP-SAT model may hold; beyond it candidate lists are cut (pins, the previous
# plan, the greedy plan and the LP's support are always kept).
PAIR_BUDGET = 60_000
MIN_PER_SLOT = 12


class _Clock:
    def __init__(self, limit: float, began: float) -> None:
        self.began = began
        self.limit = limit

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.began

    @property
    def left(self) -> float:
        return self.limit - self.elapsed


def _invalid(errors: list[str], began: float) -> dict[str, Any]:
    return {
        "format": "renfort-plan/1",
        "status": "invalid",
        "objective": {"primary": 0},
        "missions": [],
        "errors": errors,
        "stats": {"wall_s": round(time.perf_counter() - began, 3), "solver": "none"},
    }


def _previous_by_mission(
    problem: Problem, previous: Previous
) -> dict[int, tuple[int | None, dict[int, int]]]:
    out: dict[int, tuple[int | None, dict[int, int]]] = {}
    for slot, expert in previous.slot_expert.items():
        m, j = problem.slot_index[slot]
        start = previous.mission_start.get(problem.missions[m].id)
        out.setdefault(m, (start, {}))[1][j] = problem.expert_index[expert]
    return out


def _select(
    problem: Problem,
    cands: Candidates,
    must: Mapping[int, set[int]],
    budget: int,
) -> tuple[list[IntArray], bool]:
    """A short candidate list per slot, and whether any slot lost candidates."""
    n_slots = max(len(cands.experts), 1)
    if cands.pair_count <= budget:
        return list(cands.experts), False
    per_slot = max(MIN_PER_SLOT, budget // n_slots)
    pressure = np.zeros(len(problem.experts))
    for g, experts in enumerate(cands.experts):
        if len(experts):
            pressure[experts] += problem.missions[int(cands.slot_mission[g])].duration / len(
                experts
            )
    pinned_missions = {problem.slot_index[p.slot][0] for p in problem.pins}
    allowed: list[IntArray] = []
    pruned = False
    for g, experts in enumerate(cands.experts):
        if len(experts) <= per_slot or int(cands.slot_mission[g]) in pinned_missions:
            allowed.append(experts)
            continue
        pruned = True
        rank = np.lexsort((-cands.fit[g], pressure[experts]))
        keep = set(experts[rank[:per_slot]].tolist()) | must.get(g, set())
        allowed.append(np.array(sorted(keep), dtype=np.int64))
    return allowed, pruned


def _hint(pm: PlanModel, schedule: Schedule) -> None:
    pm.cp.clear_hints()  # type: ignore[no-untyped-call, unused-ignore]
    chosen = {
        (pm.cands.flat(m, j), e) for m, staff in schedule.experts.items() for j, e in staff.items()
    }
    for key, var in pm.x.items():
        pm.cp.add_hint(var, key in chosen)
    for m, var in enumerate(pm.staffed):
        pm.cp.add_hint(var, m in schedule.experts)
        if m in schedule.start:
            pm.cp.add_hint(pm.start[m], schedule.start[m])
            if m in pm.span:  # a span read from the start (host calendar)
                span = pm.problem.missions[m].span(schedule.start[m])
                pm.cp.add_hint(pm.span[m], span)
                pm.cp.add_hint(pm.end[m], schedule.start[m] + span)


def _read(pm: PlanModel, solver: cp_model.CpSolver) -> Schedule:
    schedule = Schedule()
    for m, var in enumerate(pm.staffed):
        if solver.boolean_value(var):
            schedule.start[m] = int(solver.value(pm.start[m]))
            schedule.experts[m] = {}
    for (g, e), var in pm.x.items():
        if solver.boolean_value(var):
            m = int(pm.cands.slot_mission[g])
            schedule.experts[m][int(pm.cands.slot_position[g])] = e
    return schedule


def _notify(progress: Progress | None, event: ProgressEvent) -> None:
    """Tell the caller; a failing progress callback must not cost the plan."""
    if progress is None:
        return
    try:
        progress(event)
    except Exception:
        logger.exception("progress callback failed")


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, pm: PlanModel, clock: _Clock, bound: int, progress: Progress | None) -> None:
        super().__init__()
        self.pm = pm
        self.clock = clock
        self.bound = bound
        self.progress = progress

    def on_solution_callback(self) -> None:
        _notify(
            self.progress, ProgressEvent(self.clock.elapsed, int(self.objective_value), self.bound)
        )


class _Stall(cp_model.CpSolverSolutionCallback):
    """Remembers when the objective last improved, and says when it has stalled.

    The watch starts at ``began`` (None: at the first solution, so a long presolve is never
    cut short).
    """

    def __init__(
        self,
        stall_s: float,
        began: float | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__()
        self.stall_s = stall_s
        self.clock = clock
        self.last: float | None = began

    def on_solution_callback(self) -> None:
        self.last = self.clock()

    def stalled(self) -> bool:
        return self.last is not None and self.clock() - self.last > self.stall_s


def _cp_solve(
    pm: PlanModel,
    objective: Any,
    seconds: float,
    workers: int,
    seed: int | None,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    watch: _Stall | None = None,
) -> tuple[cp_model.CpSolver, Any]:
    """Solve; with a ``watch``, stop once it says no better solution came for too long."""
    pm.cp.maximize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = (seed or 0) % (1 << 31)
    # Probing costs seconds of presolve on the NoOverlap-heavy models and buys little here.
    solver.parameters.cp_model_probing_level = 0
    if watch is None:
        return solver, solver.solve(pm.cp, callback)
    result: list[Any] = []
    # CP-SAT releases the GIL while it searches, so this thread can watch for a stall.
    worker = threading.Thread(target=lambda: result.append(solver.solve(pm.cp, watch)))
    worker.start()
    while worker.is_alive():
        worker.join(0.05)
        if watch.stalled():
            solver.stop_search()
    worker.join()
    return solver, result[0]


def _top_up(problem: Problem, arrays: ExpertArrays, cands: Candidates, schedule: Schedule) -> Board:
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


def _kept(problem: Problem, schedule: Schedule, previous: Previous) -> int:
    """How many assignments of the previous plan the schedule keeps."""
    kept = 0
    for slot, expert_id in previous.slot_expert.items():
        m, j = problem.slot_index[slot]
        now = schedule.experts.get(m, {}).get(j)
        kept += int(now is not None and problem.experts[now].id == expert_id)
    return kept


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


def _plan(
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


def solve(
    problem: dict[str, Any],
    *,
    time_limit_s: float | None = None,
    workers: int | None = None,
    previous: dict[str, Any] | None = None,
    progress: Callable[[ProgressEvent], None] | None = None,
    stall_s: float | None = None,
    tie_break_s: float | None = None,
) -> dict[str, Any]:
    """Plan the missions of ``problem`` (a ``renfort-planning/1`` document).

    Returns a ``renfort-plan/1`` document; never raises for bad input (status ``invalid``
    with ``errors`` instead). Every hard constraint holds in any plan it returns, whatever
    the time limit. ``previous`` is an earlier plan to stay close to.

    ``stall_s`` and ``tie_break_s`` are for someone waiting on the answer (the web pages):
    the tie-breaks (pass 2) stop once no better one came for ``stall_s``, counted from the
    start of pass 2 (so a slow presolve does not hold the plan back either), and after
    ``tie_break_s`` in any case. Without ``stall_s``, pass 2 stops after max(1 s, 15 % of the
    limit) without a better solution, counted from its first one.
    """
    began = time.perf_counter()
    try:
        loaded = load_problem(problem)
    except RecursionError:
        return _invalid(["(document): nested too deeply"], began)
    if isinstance(loaded, list):
        return _invalid(loaded, began)
    return _solve(loaded, began, time_limit_s, workers, previous, progress, stall_s, tie_break_s)


def _solve(
    problem: Problem,
    began: float,
    time_limit_s: float | None,
    workers: int | None,
    previous_doc: dict[str, Any] | None,
    progress: Progress | None,
    stall_s: float | None = None,
    tie_break_s: float | None = None,
) -> dict[str, Any]:
    limit = time_limit_s if time_limit_s is not None else problem.time_limit_s
    clock = _Clock(limit, began)
    workers = workers or min(os.cpu_count() or 1, 8)
    stats: dict[str, Any] = {"solver": "cp-sat", "workers": workers, "time_limit_s": limit}
    arrays = ExpertArrays.build(problem)
    cands = build_candidates(problem, arrays)
    stats["filtered_pairs"] = cands.pair_count
    stats["filter_s"] = round(clock.elapsed, 3)

    previous: Previous | None = None
    notes: list[str] = []
    prev_by_mission: dict[int, tuple[int | None, dict[int, int]]] = {}
    if previous_doc is not None:
        previous, notes = parse_previous(problem, previous_doc)
        prev_by_mission = _previous_by_mission(problem, previous)
        if notes:
            stats["previous_notes"] = notes

    pin_errors = pin_unfit(problem, cands)
    if pin_errors:
        empty = Schedule()
        board = Board(problem, arrays, cands)
        stats["wall_s"] = round(clock.elapsed, 3)
        return _plan(
            problem, arrays, cands, empty, board, "infeasible", 0, previous, stats, pin_errors
        )

    hint = greedy(problem, arrays, cands, smart=True, previous=prev_by_mission)
    baseline = greedy(problem, arrays, cands) if not prev_by_mission else None
    if hint is None or (baseline is not None and baseline.primary(problem) > hint.primary(problem)):
        hint = baseline
    stats["greedy_primary"] = hint.primary(problem) if hint is not None else None
    stats["greedy_s"] = round(clock.elapsed, 3)
    bound = trivial_bound(problem, cands)
    if hint is not None:
        _notify(progress, ProgressEvent(clock.elapsed, hint.primary(problem), bound))

    keep: dict[tuple[int, int], bool] = {}
    must: dict[int, set[int]] = {}
    for m, (_, staff) in prev_by_mission.items():
        for j, e in staff.items():
            keep[cands.flat(m, j), e] = True
            must.setdefault(cands.flat(m, j), set()).add(e)
    if hint is not None:
        for m, staff in hint.experts.items():
            for j, e in staff.items():
                must.setdefault(cands.flat(m, j), set()).add(e)
    for pin in problem.pins:
        m, j = problem.slot_index[pin.slot]
        must.setdefault(cands.flat(m, j), set()).add(problem.expert_index[pin.expert])
    # Previous experts that now fail a hard filter cannot be kept.
    full_sets = [set(c.tolist()) for c in cands.experts]
    must = {g: {e for e in es if e in full_sets[g]} for g, es in must.items()}
    keep = {k: v for k, v in keep.items() if k[1] in full_sets[k[0]]}

    allowed, pruned = _select(problem, cands, must, PAIR_BUDGET)

    lp_budget = min(max(0.25 * clock.left, 0.2), 0.4 * limit)
    result = lp_bound(problem, arrays, cands, allowed, lp_budget)
    if result.bound is not None:
        bound = min(bound, result.bound)
    stats["lp_bound"] = result.bound
    stats["lp_value"] = round(result.lp_value, 4) if result.lp_value is not None else None
    stats["lp_rounds"] = result.rounds
    stats["lp_s"] = round(result.seconds, 3)
    if pruned:
        allowed = [
            np.union1d(allowed[g], np.array(sorted(result.support.get(g, ())), dtype=np.int64))
            for g in range(len(allowed))
        ]
    stats["model_pairs"] = int(sum(len(a) for a in allowed))
    stats["pruned"] = pruned

    best = hint
    status = "feasible"
    pm = build_model(problem, arrays, cands, allowed)
    stats["model_s"] = round(clock.elapsed, 3)
    if hint is not None:
        _hint(pm, hint)
    seed = problem.seed
    # Keep time for the top-up, the explanations and writing the plan.
    reserve = 0.3 + 0.8 * len(problem.missions) / 1000
    clock.limit -= reserve
    pass1_time = max(clock.left - 0.1 * limit, 0.1) * (0.85 if previous is None else 0.6)
    reporter = _Reporter(pm, clock, bound, progress)
    proven_infeasible = False
    if hint is not None and hint.primary(problem) >= bound:
        cp_status_name = "skipped: the greedy plan meets the bound"
        stats["optimal_at_s"] = round(clock.elapsed, 3)
    else:
        solver, cp_status = _cp_solve(pm, pm.primary, pass1_time, workers, seed, reporter)
        cp_status_name = solver.status_name(cp_status)
        stats["pass1_s"] = round(solver.wall_time, 3)
        proven_infeasible = cp_status == cp_model.INFEASIBLE
        if cp_status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = _read(pm, solver)
            p1 = found.primary(problem)
            if not pruned:
                bound = min(bound, int(np.floor(solver.best_objective_bound + 1e-6)))
            # At equal primary keep the hint when re-planning: it is the previous plan repaired,
            # as stable as can be, whereas pass 1 knows nothing of stability.
            if (
                best is None
                or p1 > best.primary(problem)
                or (p1 == best.primary(problem) and previous is None)
            ):
                best = found
            stats["cp_primary"] = p1
            if best.primary(problem) >= bound:
                stats["optimal_at_s"] = round(clock.elapsed, 3)
    # Pass 2: hold the primary, improve the tie-breaks.
    if best is not None and clock.left > 0.3:
        pm.cp.add(pm.primary >= best.primary(problem))
        add_secondary(pm, arrays, keep)
        _hint(pm, best)
        secondary = sum(pm.terms.values())
        # The tie-breaks are worth a wait, not the whole limit: stop when they stall.
        seconds = clock.left - 0.25
        if stall_s is None:
            watch = _Stall(max(1.0, 0.15 * limit))
        else:
            watch = _Stall(stall_s, began=time.perf_counter())
        if tie_break_s is not None:
            seconds = min(seconds, tie_break_s)
        stats["pass2_stall_s"] = watch.stall_s
        solver2, status2 = _cp_solve(pm, secondary, seconds, workers, seed, None, watch)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = _read(pm, solver2)
            # Stopped early, pass 2 may hold a first solution less stable than the repaired
            # previous plan it was hinted with; stability comes before every other tie-break.
            if previous is None or _kept(problem, found, previous) >= _kept(
                problem, best, previous
            ):
                best = found
        stats["pass2_s"] = round(solver2.wall_time, 3)
        stats["pass2_status"] = solver2.status_name(status2)
    stats["cp_status"] = cp_status_name

    if best is None:
        stats["wall_s"] = round(clock.elapsed, 3)
        if proven_infeasible:
            why = [reason("pins.conflict"), *pin_conflicts(problem, arrays, cands)]
        else:
            why = [reason("pins.not_found")]
        board = Board(problem, arrays, cands)
        return _plan(
            problem, arrays, cands, Schedule(), board, "infeasible", bound, previous, stats, why
        )

    clock.limit += reserve
    board = _top_up(problem, arrays, cands, best)
    if stats.get("pass2_status") not in ("OPTIMAL", "FEASIBLE"):
        # Pass 2 found nothing (big models spend their time in presolve): polish the fit.
        locked = {problem.slot_index[p.slot] for p in problem.pins}
        if previous is not None:
            locked |= {problem.slot_index[slot] for slot in previous.slot_expert}
        polish_until = time.perf_counter() + max(0.2 * reserve, 0.1)
        stats["fit_swaps"] = board.polish_fit(locked, polish_until)
    final = board.schedule
    primary = final.primary(problem)
    if primary >= bound:
        status = "optimal"
    _notify(progress, ProgressEvent(clock.elapsed, primary, max(bound, primary)))
    stats["fit_scale"] = FIT_SCALE
    plan = _plan(problem, arrays, cands, final, board, status, bound, previous, stats)
    stats["wall_s"] = round(clock.elapsed, 3)
    return plan
