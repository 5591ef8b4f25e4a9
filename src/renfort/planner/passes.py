"""Driving CP-SAT: pass 1 maximises the primary, pass 2 holds it and improves the tie-breaks.

Both passes start from a hint (the greedy plan, then pass 1's best), read the solver's answer
back as a ``Schedule`` and keep it only when it beats what the pipeline already holds. Pass 2
stops once its objective has stalled (``Stall``): the tie-breaks are worth a wait, not the
whole time limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from renfort.planner.candidates import ExpertArrays
from renfort.planner.domain import Previous, Problem, ProgressEvent, Schedule
from renfort.planner.model import PlanModel, add_secondary

# Where progress goes; the caller's callback, already made safe to call.
Notify = Callable[[ProgressEvent], None]


class Clock:
    """Seconds since the call, and seconds left of ``limit`` (which the pipeline adjusts)."""

    def __init__(self, limit: float, began: float) -> None:
        self.began = began
        self.limit = limit

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.began

    @property
    def left(self) -> float:
        return self.limit - self.elapsed


@dataclass
class Search:
    """What both passes share."""

    pm: PlanModel
    clock: Clock
    limit: float  # the whole time limit, before the reserve for the end of the pipeline
    workers: int
    seed: int | None
    stats: dict[str, Any]
    previous: Previous | None


@dataclass(frozen=True)
class FirstPass:
    """Pass 1's outcome: the plan to go on with, the bound, the solver's status in words, and
    whether the solver proved that no plan keeps the pins."""

    best: Schedule | None
    bound: int
    status: str
    infeasible: bool


def set_hint(pm: PlanModel, schedule: Schedule) -> None:
    """Hint the model with ``schedule`` (replacing any earlier hint)."""
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


def read_schedule(pm: PlanModel, solver: cp_model.CpSolver) -> Schedule:
    """The solver's solution as a ``Schedule``."""
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


class Reporter(cp_model.CpSolverSolutionCallback):
    """Passes each better solution of pass 1 on as progress."""

    def __init__(self, pm: PlanModel, clock: Clock, bound: int, notify: Notify) -> None:
        super().__init__()
        self.pm = pm
        self.clock = clock
        self.bound = bound
        self.notify = notify

    def on_solution_callback(self) -> None:
        self.notify(ProgressEvent(self.clock.elapsed, int(self.objective_value), self.bound))


class Stall(cp_model.CpSolverSolutionCallback):
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


def cp_solve(
    pm: PlanModel,
    objective: Any,
    seconds: float,
    workers: int,
    seed: int | None,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    watch: Stall | None = None,
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


def kept(problem: Problem, schedule: Schedule, previous: Previous) -> int:
    """How many assignments of the previous plan the schedule keeps."""
    count = 0
    for slot, expert_id in previous.slot_expert.items():
        m, j = problem.slot_index[slot]
        now = schedule.experts.get(m, {}).get(j)
        count += int(now is not None and problem.experts[now].id == expert_id)
    return count


def first_pass(
    search: Search,
    hint: Schedule | None,
    bound: int,
    pruned: bool,
    seconds: float,
    notify: Notify,
) -> FirstPass:
    """Maximise the primary from ``hint``, unless the hint already meets ``bound``.

    CP-SAT's own bound counts only when no candidate list was cut (``pruned``).
    """
    pm, clock, stats = search.pm, search.clock, search.stats
    problem = pm.problem
    best = hint
    if hint is not None and hint.primary(problem) >= bound:
        stats["optimal_at_s"] = round(clock.elapsed, 3)
        return FirstPass(best, bound, "skipped: the greedy plan meets the bound", False)
    reporter = Reporter(pm, clock, bound, notify)
    solver, status = cp_solve(pm, pm.primary, seconds, search.workers, search.seed, reporter)
    stats["pass1_s"] = round(solver.wall_time, 3)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = read_schedule(pm, solver)
        p1 = found.primary(problem)
        if not pruned:
            bound = min(bound, int(np.floor(solver.best_objective_bound + 1e-6)))
        # At equal primary keep the hint when re-planning: it is the previous plan repaired,
        # as stable as can be, whereas pass 1 knows nothing of stability.
        if (
            best is None
            or p1 > best.primary(problem)
            or (p1 == best.primary(problem) and search.previous is None)
        ):
            best = found
        stats["cp_primary"] = p1
        if best.primary(problem) >= bound:
            stats["optimal_at_s"] = round(clock.elapsed, 3)
    return FirstPass(best, bound, solver.status_name(status), status == cp_model.INFEASIBLE)


def second_pass(
    search: Search,
    arrays: ExpertArrays,
    keep: Mapping[tuple[int, int], bool],
    best: Schedule,
    stall_s: float | None,
    tie_break_s: float | None,
) -> Schedule:
    """Hold the primary of ``best`` and improve the tie-breaks; the better plan of the two.

    Without ``stall_s`` the pass stops after max(1 s, 15 % of the limit) without a better
    solution, counted from its first one; with it, after ``stall_s`` counted from now, and
    after ``tie_break_s`` in any case.
    """
    pm, clock, stats, previous = search.pm, search.clock, search.stats, search.previous
    problem = pm.problem
    pm.cp.add(pm.primary >= best.primary(problem))
    add_secondary(pm, arrays, keep)
    set_hint(pm, best)
    secondary = sum(pm.terms.values())
    # The tie-breaks are worth a wait, not the whole limit: stop when they stall.
    seconds = clock.left - 0.25
    if stall_s is None:
        watch = Stall(max(1.0, 0.15 * search.limit))
    else:
        watch = Stall(stall_s, began=time.perf_counter())
    if tie_break_s is not None:
        seconds = min(seconds, tie_break_s)
    stats["pass2_stall_s"] = watch.stall_s
    solver, status = cp_solve(pm, secondary, seconds, search.workers, search.seed, None, watch)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = read_schedule(pm, solver)
        # Stopped early, pass 2 may hold a first solution less stable than the repaired
        # previous plan it was hinted with; stability comes before every other tie-break.
        if previous is None or kept(problem, found, previous) >= kept(problem, best, previous):
            best = found
    stats["pass2_s"] = round(solver.wall_time, 3)
    stats["pass2_status"] = solver.status_name(status)
    return best
