"""Background tasks of the results app (django-tasks; ``renfort worker`` runs them).

The reminders run once a day: ``reminders_daily_task`` first queues its own next run (the next
``RESULTS_REMINDERS_HOUR``, 6 by default, local time) and then sends the day's reminders, so a
failing day never stops the next one. ``renfort remind --schedule`` queues the first run once
(after installing; running it again does nothing while a run is queued). docs/results.md,
"Reminders".
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend, task

from renfort.lib.audit import acting_as
from renfort.results.services.reminders import reminders_send

logger = logging.getLogger(__name__)


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next reminders hour after ``now`` (aware, local time)."""
    now = timezone.localtime(now)
    hour = int(getattr(settings, "RESULTS_REMINDERS_HOUR", 6))
    at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > now else at + datetime.timedelta(days=1)


def _queued() -> bool:
    """A run of the daily task waits in the database queue."""
    from django_tasks_db.models import DBTaskResult  # the queue's own table

    return DBTaskResult.objects.filter(
        task_path=reminders_daily_task.module_path, status=TaskResultStatus.READY
    ).exists()


def reminders_schedule(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Queue the daily reminders for their next hour, unless a run is queued already.
    Returns when it will run; None when nothing was queued (one is waiting, or the task
    backend cannot run a task later: then schedule ``renfort remind`` with cron)."""
    if not default_task_backend.supports_defer:
        logger.warning("The task backend cannot defer tasks: schedule `renfort remind` daily.")
        return None
    if _queued():
        return None
    when = next_run(now)
    reminders_daily_task.using(run_after=when).enqueue()
    return when


@task()
def reminders_daily_task() -> dict[str, int]:
    """Queue tomorrow's run, then send today's reminders (each once)."""
    with acting_as("task:reminders_daily"):
        reminders_schedule()
        return reminders_send()
