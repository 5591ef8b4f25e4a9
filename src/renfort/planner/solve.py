"""The planner: problem document in, plan document out.

Pipeline, all inside the time limit: check and parse; hard filters (vectorised); a greedy
plan (valid from the first second, and the solver's hint); a short candidate list per slot;
an LP bound over every filtered pair (HiGHS, column generation); CP-SAT maximising the
primary, then, with the primary held, the secondary terms (``passes``); a greedy top-up of
whatever the time limit left unstaffed; explanations and the plan document (``result``).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from renfort.planner.bound import lp_bound, trivial_bound
from renfort.planner.candidates import (
    Candidates,
    ExpertArrays,
    IntArray,
    build_candidates,
)
from renfort.planner.domain import Previous, Problem, ProgressEvent, Schedule
from renfort.planner.explain import pin_conflicts, pin_unfit
from renfort.planner.explain_codes import reason
from renfort.planner.greedy import Board, greedy, top_up
from renfort.planner.model import FIT_SCALE, build_model
from renfort.planner.passes import Clock, Search, Stall, first_pass, second_pass, set_hint
from renfort.planner.result import invalid_plan, plan_document
from renfort.planner.result import secondary_terms as secondary_terms
from renfort.planner.validate import load_problem, parse_previous

__all__ = ["ProgressEvent", "solve"]

logger = logging.getLogger(__name__)

Progress = Callable[[ProgressEvent], None]

# Variables the CP-SAT model may hold; beyond it candidate lists are cut (pins, the previous
# plan, the greedy plan and the LP's support are always kept).
PAIR_BUDGET = 60_000
MIN_PER_SLOT = 12
# Building the CP-SAT model costs about this much per variable (measured on the M benchmark,
# 27,417 pairs in 0.8 s on a 2-core x86_64); with the time a second pass needs at least, it
# tells whether a model would have time to improve on a greedy plan that already meets the
# bound.
MODEL_S_PER_PAIR = 3.5e-5
PASS2_MIN_S = 0.3

# The names these had when they lived here, before passes.py, result.py and greedy.top_up.
_Stall = Stall
_plan = plan_document
_top_up = top_up


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


def _notify(progress: Progress | None, event: ProgressEvent) -> None:
    """Tell the caller; a failing progress callback must not cost the plan."""
    if progress is None:
        return
    try:
        progress(event)
    except Exception:
        logger.exception("progress callback failed")


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
        return invalid_plan(["(document): nested too deeply"], began)
    if isinstance(loaded, list):
        return invalid_plan(loaded, began)
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
    """The pipeline on a parsed problem, step by step (see the module's docstring)."""
    limit = time_limit_s if time_limit_s is not None else problem.time_limit_s
    clock = Clock(limit, began)
    workers = workers or min(os.cpu_count() or 1, 8)
    stats: dict[str, Any] = {"solver": "cp-sat", "workers": workers, "time_limit_s": limit}
    arrays = ExpertArrays.build(problem)
    cands = build_candidates(problem, arrays)
    stats["filtered_pairs"] = cands.pair_count
    stats["filter_s"] = round(clock.elapsed, 3)
    previous, prev_by_mission = _read_previous(problem, previous_doc, stats)

    pin_errors = pin_unfit(problem, cands)
    if pin_errors:
        board = Board(problem, arrays, cands)
        stats["wall_s"] = round(clock.elapsed, 3)
        return plan_document(
            problem, arrays, cands, Schedule(), board, "infeasible", 0, previous, stats, pin_errors
        )

    hint = _greedy_hint(problem, arrays, cands, prev_by_mission)
    stats["greedy_primary"] = hint.primary(problem) if hint is not None else None
    stats["greedy_s"] = round(clock.elapsed, 3)
    bound = trivial_bound(problem, cands)
    if hint is not None:
        _notify(progress, ProgressEvent(clock.elapsed, hint.primary(problem), bound))
    must, keep = _kept_pairs(problem, cands, prev_by_mission, hint)
    allowed, pruned = _select(problem, cands, must, PAIR_BUDGET)
    allowed, bound = _lp_stage(problem, arrays, cands, allowed, pruned, bound, clock, stats)
    # Keep time for the top-up, the explanations and writing the plan.
    reserve = 0.3 + 0.8 * len(problem.missions) / 1000
    if hint is not None and hint.primary(problem) >= bound:
        model_s = MODEL_S_PER_PAIR * stats["model_pairs"]
        if clock.left - reserve < model_s + PASS2_MIN_S:
            # The greedy plan is optimal and no model would have time for the tie-breaks.
            stats["optimal_at_s"] = round(clock.elapsed, 3)
            stats["cp_status"] = "skipped: the greedy plan meets the bound"
            stats["model_s"] = None
            return _finish(
                problem, arrays, cands, hint, bound, previous, reserve, clock, stats, progress
            )

    pm = build_model(problem, arrays, cands, allowed)
    stats["model_s"] = round(clock.elapsed, 3)
    if hint is not None:
        set_hint(pm, hint)
    clock.limit -= reserve
    pass1_time = max(clock.left - 0.1 * limit, 0.1) * (0.85 if previous is None else 0.6)
    search = Search(pm, clock, limit, workers, problem.seed, stats, previous)
    first = first_pass(search, hint, bound, pruned, pass1_time, lambda e: _notify(progress, e))
    best, bound = first.best, first.bound
    # Pass 2: hold the primary, improve the tie-breaks.
    if best is not None and clock.left > 0.3:
        best = second_pass(search, arrays, keep, best, stall_s, tie_break_s)
    stats["cp_status"] = first.status

    if best is None:
        stats["wall_s"] = round(clock.elapsed, 3)
        if first.infeasible:
            why = [reason("pins.conflict"), *pin_conflicts(problem, arrays, cands)]
        else:
            why = [reason("pins.not_found")]
        board = Board(problem, arrays, cands)
        return plan_document(
            problem, arrays, cands, Schedule(), board, "infeasible", bound, previous, stats, why
        )
    clock.limit += reserve
    return _finish(problem, arrays, cands, best, bound, previous, reserve, clock, stats, progress)


def _read_previous(
    problem: Problem, previous_doc: dict[str, Any] | None, stats: dict[str, Any]
) -> tuple[Previous | None, dict[int, tuple[int | None, dict[int, int]]]]:
    """The usable part of the previous plan, and its assignments by mission."""
    if previous_doc is None:
        return None, {}
    previous, notes = parse_previous(problem, previous_doc)
    if notes:
        stats["previous_notes"] = notes
    return previous, _previous_by_mission(problem, previous)


def _greedy_hint(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    prev_by_mission: Mapping[int, tuple[int | None, Mapping[int, int]]],
) -> Schedule | None:
    """The better greedy plan (the smart one, or first-fit when not re-planning)."""
    hint = greedy(problem, arrays, cands, smart=True, previous=prev_by_mission)
    baseline = greedy(problem, arrays, cands) if not prev_by_mission else None
    if hint is None or (baseline is not None and baseline.primary(problem) > hint.primary(problem)):
        hint = baseline
    return hint


def _kept_pairs(
    problem: Problem,
    cands: Candidates,
    prev_by_mission: Mapping[int, tuple[int | None, Mapping[int, int]]],
    hint: Schedule | None,
) -> tuple[dict[int, set[int]], dict[tuple[int, int], bool]]:
    """Experts each slot's candidate list must keep (pins, previous plan, greedy plan), and
    the previous plan's (slot, expert) pairs that pass 2 rewards keeping."""
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
    return must, keep


def _lp_stage(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    allowed: list[IntArray],
    pruned: bool,
    bound: int,
    clock: Clock,
    stats: dict[str, Any],
) -> tuple[list[IntArray], int]:
    """The LP bound over every filtered pair; cut candidate lists get the LP's support back."""
    lp_budget = min(max(0.25 * clock.left, 0.2), 0.4 * clock.limit)
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
    return allowed, bound


def _finish(
    problem: Problem,
    arrays: ExpertArrays,
    cands: Candidates,
    best: Schedule,
    bound: int,
    previous: Previous | None,
    reserve: float,
    clock: Clock,
    stats: dict[str, Any],
    progress: Progress | None,
) -> dict[str, Any]:
    """Top up the plan, polish its fit when pass 2 found nothing, and write it."""
    board = top_up(problem, arrays, cands, best)
    if stats.get("pass2_status") not in ("OPTIMAL", "FEASIBLE"):
        # Pass 2 found nothing (big models spend their time in presolve): polish the fit.
        locked = {problem.slot_index[p.slot] for p in problem.pins}
        if previous is not None:
            locked |= {problem.slot_index[slot] for slot in previous.slot_expert}
        polish_until = time.perf_counter() + max(0.2 * reserve, 0.1)
        stats["fit_swaps"] = board.polish_fit(locked, polish_until)
    final = board.schedule
    primary = final.primary(problem)
    status = "optimal" if primary >= bound else "feasible"
    _notify(progress, ProgressEvent(clock.elapsed, primary, max(bound, primary)))
    stats["fit_scale"] = FIT_SCALE
    plan = plan_document(problem, arrays, cands, final, board, status, bound, previous, stats)
    stats["wall_s"] = round(clock.elapsed, 3)
    return plan
