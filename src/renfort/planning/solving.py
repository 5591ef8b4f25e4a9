"""The worker's side of a planner run: build its problem, solve it, record progress, store the
plan or the failure.

``planner_run_execute`` is the background task's one call (``tasks.planner_run_task``). The
stored plan is the planner's answer plus our review keys (see ``review_selectors``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from renfort.lib.messages import check
from renfort.planning.messages import PlanNames, planner_message
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.problem import (
    fit_explanation,
    missions_for_run,
    problem_build,
    topic_names,
)
from renfort.planning.records import beneficiary_names
from renfort.planning.run_messages import left_out
from renfort.planning.run_summary import (
    PROBLEM_COUNT_FIELDS,
    SUMMARY_FIELDS,
    problem_counts_set,
    summary_set,
)

# Why a run failed: a ``planning.run.*`` code and its parameters (``run_messages``).
Failure = tuple[str, dict[str, Any]]

logger = logging.getLogger(__name__)

PROGRESS_MIN_INTERVAL_S = 0.5  # at most two progress writes a second
PROGRESS_MAX_POINTS = 240


class ProgressRecorder:
    """Collects solver progress and writes it to the run at most every half second."""

    def __init__(self, run_id: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.run_id = run_id
        self.clock = clock
        self.points: list[dict[str, Any]] = []
        self.last_write = float("-inf")

    def __call__(self, event: Any) -> None:
        get = event.get if isinstance(event, Mapping) else lambda k: getattr(event, k, None)
        elapsed, primary, bound = get("elapsed_s"), get("primary"), get("bound")
        if elapsed is None or primary is None:
            return
        point = {"t": round(float(elapsed), 3), "primary": int(primary)}
        if bound is not None:
            point["bound"] = int(bound)
        self.points.append(point)
        if len(self.points) > PROGRESS_MAX_POINTS:
            # Keep the first and last point and thin the middle.
            self.points = [self.points[0], *self.points[1:-1:2], self.points[-1]]
        now = self.clock()
        if now - self.last_write >= PROGRESS_MIN_INTERVAL_S:
            self.flush()
            self.last_write = now

    def flush(self) -> None:
        PlannerRun.objects.filter(pk=self.run_id).update(progress=list(self.points))


def plan_apply(*, run: PlannerRun, plan: Mapping[str, Any], progress: list[Any]) -> PlannerRun:
    """Store a plan on the run: done when it holds a valid plan, failed otherwise."""
    stored = dict(plan)
    for key in ("left_out", "previous_run"):
        if key in run.plan:
            stored[key] = run.plan[key]
    names = topic_names()
    beneficiaries = beneficiary_names(run.problem)  # for the experts' record
    for entry in stored.get("missions", []):
        # ``reason_codes`` (why a mission is unstaffed) stay as the planner's data: the review
        # puts names in them when it is read (``planning.messages.planner_message``).
        for a in entry.get("assignments") or []:
            # Why the expert fits, as a message read in the reader's language (the planner's
            # ``explanation_code`` made an ``assignment.fit`` message, with the topics' names,
            # so that accepting can copy it to the assignment); the planner's own words
            # (English) stay in ``explanation``, shown only where no code is.
            a.setdefault("explanation", "")
            fit = _fit_message(run.problem, entry["id"], a, names, beneficiaries)
            if fit is not None:
                check(*fit)
                a["explanation_code"], a["explanation_params"] = fit
            a.setdefault("pinned", False)
    run.plan = stored
    run.progress = progress
    run.finished_at = timezone.now()
    run.error = ""
    if plan.get("status") in ("optimal", "feasible"):
        run.status = PlannerRunStatus.DONE
        _failure_set(run, None)
    else:
        run.status = PlannerRunStatus.FAILED
        # The planner's errors name fields of the exchange format: shown as they are (the
        # review renders an infeasible plan's ``error_codes`` instead, with names).
        code = "infeasible" if plan.get("status") == "infeasible" else "refused"
        _failure_set(run, (f"planning.run.{code}", {"detail": "; ".join(plan.get("errors", []))}))
    summary_set(run)
    fields = ["plan", "progress", "finished_at", "status", "error", "error_code", "error_params"]
    run.save(update_fields=fields + SUMMARY_FIELDS)
    return run


def _failure_set(run: PlannerRun, failure: Failure | None) -> None:
    """Record why the run failed (nothing when it did not), as a message code."""
    code, params = failure or ("", {})
    if code:
        check(code, params)
    run.error_code, run.error_params = code, params


def _fit_message(
    problem: Mapping[str, Any],
    mission_id: str,
    a: Mapping[str, Any],
    names: Mapping[str, str],
    beneficiaries: Mapping[str, str],
) -> tuple[str, dict[str, Any]] | None:
    """The ``assignment.fit`` message of a proposal (``assignment.fit_record`` when the
    expert's record weighed in): from the planner's data when it gave them, else from the
    problem."""
    planner_code = a.get("explanation_code")
    if isinstance(planner_code, Mapping) and planner_code.get("code") == "assignment.fit":
        return planner_message(planner_code, PlanNames(topics=names, beneficiaries=beneficiaries))
    fit = fit_explanation(problem, mission_id, a["slot"], a["expert"], names)
    return None if fit is None else ("assignment.fit", fit)


def planner_run_execute(
    *, run_id: int, waiting: bool = True, resume: bool = False
) -> PlannerRun | None:
    """Build a queued run's problem, solve it recording progress, then store the plan or the
    failure.

    The problem is built here, in the worker, from the parameters the run was started with
    (its missions, still plannable; the coordinator's pins; the run it re-plans): the page
    shows "building the problem" meanwhile. ``waiting``: someone waits on the page, so the
    tie-breaks stop early (``PLANNER_STALL_S``, ``PLANNER_TIE_BREAK_S``); the command line
    passes False and keeps the planner's own stall rule. Never raises for a failed build or
    solve: the error goes on the run, in words, where the user sees it. ``resume``: the task's
    earlier attempt died with its worker (its lease expired), so a run still RUNNING is taken
    over and solved again from the start; a finished run is left alone.
    """
    run = PlannerRun.objects.filter(pk=run_id).first()
    if run is None:
        logger.warning("planner run %s vanished before it started", run_id)
        return None
    # Claim the run: a second worker (or a task run twice) finds it no longer queued.
    claimable = [PlannerRunStatus.QUEUED, *([PlannerRunStatus.RUNNING] if resume else [])]
    claimed = PlannerRun.objects.filter(pk=run_id, status__in=claimable).update(
        status=PlannerRunStatus.RUNNING
    )
    if not claimed:
        run.refresh_from_db()
        return run
    run.status = PlannerRunStatus.RUNNING
    began = time.perf_counter()
    recorder = ProgressRecorder(run_id)
    try:
        failure = _problem_store(run)
    except Exception as exc:
        logger.exception("planner run %s: building the problem failed", run_id)
        failure = ("planning.run.build_failed", {"kind": type(exc).__name__})
    build_s = time.perf_counter() - began
    if failure is None:
        try:
            plan = _solve(run, recorder, waiting)
        except Exception as exc:
            logger.exception("planner run %s failed", run_id)
            failure = ("planning.run.solve_failed", {"kind": type(exc).__name__})
        else:
            plan.setdefault("stats", {})["build_s"] = round(build_s, 3)
            return plan_apply(run=run, plan=plan, progress=recorder.points)
    run.status = PlannerRunStatus.FAILED
    run.error = ""
    _failure_set(run, failure)
    run.progress = recorder.points
    run.finished_at = timezone.now()
    summary_set(run)
    run.save(
        update_fields=[
            *("status", "error", "error_code", "error_params", "progress", "finished_at"),
            *SUMMARY_FIELDS,
        ]
    )
    return run


def _solve(run: PlannerRun, recorder: ProgressRecorder, waiting: bool) -> dict[str, Any]:
    """The planner's plan for the run's problem, near the plan of the run it re-plans."""
    from renfort.planner.solve import solve

    previous = None
    previous_id = run.plan.get("previous_run")
    if previous_id:
        previous_run = PlannerRun.objects.filter(pk=previous_id).only("plan").first()
        if previous_run is not None and previous_run.plan.get("missions"):
            previous = _plan_for_planner(previous_run.plan)
    return solve(
        run.problem,
        time_limit_s=run.time_limit_s,
        previous=previous,
        progress=recorder,
        stall_s=settings.PLANNER_STALL_S if waiting else None,
        tie_break_s=settings.PLANNER_TIE_BREAK_S if waiting else None,
    )


def _problem_store(run: PlannerRun) -> Failure | None:
    """Build the run's problem and store it, with the missions left out; returns why the run
    cannot go to the planner (None when it can).

    The rules are the problem builder's (``problem.problem_build``); a mission confirmed or
    stripped of its slots since the run was started is left out, named.
    """
    chosen = list(run.missions.all())
    plannable = missions_for_run(missions=chosen)
    kept = {m.pk for m in plannable}
    gone = [
        left_out(m.reference, "planning.left_out.not_plannable") for m in chosen if m.pk not in kept
    ]
    pins = [(str(slot), str(expert)) for slot, expert in run.plan.get("pins", [])]
    try:
        built = problem_build(missions=plannable, extra_pins=pins, time_limit_s=run.time_limit_s)
    except ValidationError as exc:
        return "planning.run.build_refused", {"detail": " ".join(exc.messages)}
    out = gone + built.left_out
    # What the run was asked stays until the plan replaces it, for a "try again".
    seed = {k: run.plan[k] for k in ("previous_run", "pins") if run.plan.get(k)}
    run.problem, run.plan = built.problem, {"left_out": out, **seed}
    problem_counts_set(run)
    run.save(update_fields=["problem", "plan", *PROBLEM_COUNT_FIELDS])
    if not built.problem["missions"]:
        if not out:
            return "planning.run.empty", {}
        return "planning.run.nothing_to_plan", {"reasons": out}
    return None


def _plan_for_planner(plan: Mapping[str, Any]) -> dict[str, Any]:
    """A stored plan without our review keys, as the planner's ``previous``."""
    missions = []
    for entry in plan.get("missions", []):
        clean = {k: v for k, v in entry.items() if k in ("id", "staffed", "start", "end")}
        clean["assignments"] = [
            {"slot": a["slot"], "expert": a["expert"]} for a in entry.get("assignments") or []
        ]
        missions.append(clean)
    return {
        "status": plan.get("status", "feasible"),
        "objective": plan.get("objective", {"primary": 0}),
        "missions": missions,
    }
