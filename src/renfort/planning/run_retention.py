"""Old planner runs go (docs/planner-web.md, "Old runs"): a finished run started more than
``PLANNER_RUN_RETENTION_DAYS`` days ago (default 90; 0 keeps every run) is deleted with its
plan, unless it is one of the ``PLANNER_RUNS_KEPT`` newest finished runs (default 20) or a
queued or running run re-plans it. The rule is ``PlannerRun.objects.prunable``; it is applied
after each run (``tasks.planner_run_task``) and by ``renfort retention --apply`` (rule
``planner_runs``, privacy/retention.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from renfort.planning.models import PlannerRun


def planner_runs_cutoff(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Runs started before this may go; None when the setting keeps every run."""
    days = int(settings.PLANNER_RUN_RETENTION_DAYS)
    if days <= 0:
        return None
    return (now or timezone.now()) - datetime.timedelta(days=days)


def planner_runs_prune(now: datetime.datetime | None = None) -> int:
    """Delete the runs past the retention rule; how many. Safe to run twice or at once in
    two processes (a run deleted by the other is simply not found)."""
    cutoff = planner_runs_cutoff(now)
    if cutoff is None:
        return 0
    deleted = PlannerRun.objects.prunable(cutoff).delete()[1]
    return int(deleted.get(PlannerRun._meta.label, 0))
