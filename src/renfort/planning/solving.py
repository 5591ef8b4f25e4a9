"""The worker's side of a planner run: solve it, record progress, store the plan or the failure.

``planner_run_execute`` is the background task's one call (``tasks.planner_run_task``). The
stored plan is the planner's answer plus our review keys (see ``selectors``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.lib.messages import check
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.problem import fit_explanation, topic_names

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
    for entry in stored.get("missions", []):
        for a in entry.get("assignments") or []:
            # Why the expert fits, as a message read in the reader's language; the planner's
            # own words (English) stay in ``explanation``, shown only where no code is.
            a.setdefault("explanation", "")
            fit = fit_explanation(run.problem, entry["id"], a["slot"], a["expert"], names)
            if fit is not None:
                check("assignment.fit", fit)
                a["explanation_code"], a["explanation_params"] = "assignment.fit", fit
            a.setdefault("pinned", False)
    run.plan = stored
    run.progress = progress
    run.finished_at = timezone.now()
    if plan.get("status") in ("optimal", "feasible"):
        run.status = PlannerRunStatus.DONE
        run.error = ""
    elif plan.get("status") == "infeasible":
        run.status = PlannerRunStatus.FAILED
        run.error = _("The pinned assignments cannot all hold. %(why)s") % {
            "why": " ".join(plan.get("errors", []))
        }
    else:
        run.status = PlannerRunStatus.FAILED
        run.error = _("The planner refused the problem: %(why)s") % {
            "why": "; ".join(plan.get("errors", [])) or _("no reason given")
        }
    run.save(update_fields=["plan", "progress", "finished_at", "status", "error"])
    return run


def planner_run_execute(*, run_id: int) -> PlannerRun | None:
    """Solve a queued run, recording progress, then the plan or the failure.

    Never raises for a failed solve: the error goes on the run, where the user sees it.
    """
    run = PlannerRun.objects.filter(pk=run_id).first()
    if run is None:
        logger.warning("planner run %s vanished before it started", run_id)
        return None
    if run.status != PlannerRunStatus.QUEUED:
        return run
    PlannerRun.objects.filter(pk=run_id).update(status=PlannerRunStatus.RUNNING)
    run.status = PlannerRunStatus.RUNNING
    recorder = ProgressRecorder(run_id)
    previous = None
    previous_id = run.plan.get("previous_run")
    if previous_id:
        previous_run = PlannerRun.objects.filter(pk=previous_id).only("plan").first()
        if previous_run is not None and previous_run.plan.get("missions"):
            previous = _plan_for_planner(previous_run.plan)
    try:
        from renfort.planner.solve import solve

        plan = solve(
            run.problem, time_limit_s=run.time_limit_s, previous=previous, progress=recorder
        )
    except Exception as exc:
        logger.exception("planner run %s failed", run_id)
        run.status = PlannerRunStatus.FAILED
        run.error = _(
            "The planner stopped with an error (%(kind)s). Try again or shorten the run."
        ) % {"kind": type(exc).__name__}
        run.progress = recorder.points
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "progress", "finished_at"])
        return run
    return plan_apply(run=run, plan=plan, progress=recorder.points)


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
