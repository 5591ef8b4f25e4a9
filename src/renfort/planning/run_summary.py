"""A planner run's summary, stored on the run when it finishes, so that the run list reads no
plan (``PlannerRun.plan`` holds every proposal: megabytes on a large plan).

``summary_of`` reads the counts from a plan; ``summary_set`` puts them on the run (the caller
saves ``SUMMARY_FIELDS``). Migration 0007 fills the runs stored before with the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from renfort.planning.models import PlannerRun

# ``mission_count`` (the missions the run was given) is stored when the run is created.
SUMMARY_FIELDS = [
    "staffed_count",
    "proposal_count",
    "objective",
    "objective_bound",
    "plan_status",
    "duration_s",
]


def _int_or_none(value: Any) -> int | None:
    try:
        return None if value is None or isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        return None


def summary_of(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The counts of a stored plan: missions staffed, experts proposed (the slots the plan
    fills in staffed missions), objective, bound and the plan's status."""
    entries = [e for e in plan.get("missions") or [] if isinstance(e, Mapping)]
    staffed = [e for e in entries if e.get("staffed")]
    found = plan.get("objective")
    objective: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    status = plan.get("status")
    return {
        "staffed_count": len(staffed),
        "proposal_count": sum(len(e.get("assignments") or []) for e in staffed),
        "objective": _int_or_none(objective.get("primary")),
        "objective_bound": _int_or_none(objective.get("primary_bound")),
        "plan_status": str(status)[:16] if isinstance(status, str) else "",
    }


def summary_set(run: PlannerRun) -> None:
    """Put the summary of the run's plan on it (not saved): the counts when the planner
    answered (a run that failed before has none), and the duration once finished."""
    if run.plan.get("status"):
        for name, value in summary_of(run.plan).items():
            setattr(run, name, value)
    if run.finished_at is not None and run.created_at is not None:
        run.duration_s = round(max((run.finished_at - run.created_at).total_seconds(), 0.0), 3)


PROBLEM_COUNT_FIELDS = ["problem_mission_count", "problem_expert_count", "problem_pinned_count"]


def problem_counts_set(run: PlannerRun) -> None:
    """Count the run's stored problem: missions, experts in the pool, pinned slots (not
    saved); the run's page shows them without reading the problem."""
    problem = run.problem if isinstance(run.problem, Mapping) else {}
    run.problem_mission_count = len(problem.get("missions") or [])
    run.problem_expert_count = len(problem.get("experts") or [])
    run.problem_pinned_count = len(problem.get("pinned") or [])
