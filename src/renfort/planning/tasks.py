"""Background tasks of the planning app (django-tasks; ``renfort worker`` runs them)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from renfort.lib.audit import acting_as
from renfort.planning.gap_snapshots import pool_gaps_refresh
from renfort.planning.relaxations import mission_relaxations_compute
from renfort.planning.run_retention import planner_runs_prune
from renfort.planning.solving import planner_run_execute


@task(takes_context=True)
def planner_run_task(context: TaskContext, run_id: int) -> None:
    """Solve one planner run; progress, plan and failure are recorded on the run. A second
    attempt (its worker died: docs/deploy.md, "Task workers") takes over the running run."""
    with acting_as("task:planner_run"):
        planner_run_execute(run_id=run_id, resume=context.attempt > 1)
        planner_runs_prune()  # old runs go (run_retention): a few queries, idempotent


@task()
def pool_gaps_refresh_task() -> None:
    """Compute the pool gaps of the whole plan and store them as the latest snapshot."""
    with acting_as("task:pool_gaps_refresh"):
        pool_gaps_refresh()


@task()
def mission_relaxations_task(mission_id: int, fingerprint: str) -> None:
    """Find the relaxations that would staff one mission, and store them."""
    with acting_as("task:mission_relaxations"):
        mission_relaxations_compute(mission_id=mission_id, fingerprint=fingerprint)
