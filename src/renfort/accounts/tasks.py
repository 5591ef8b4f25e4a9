"""Background tasks of the accounts app (django-tasks; ``renfort worker`` runs them).

The daily digest runs once a day: ``digests_daily_task`` first queues its own next run (the
next ``ACCOUNTS_DIGEST_HOUR``, 7 by default, local time) and then sends the day's digests, so
a failing day never stops the next one. ``renfort digest --schedule`` queues the first run once
(running it again does nothing while a run is queued), as ``renfort remind --schedule`` does
for the results' reminders.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend, task

from renfort.accounts.digest import digests_send
from renfort.lib.audit import acting_as

logger = logging.getLogger(__name__)


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next digest hour after ``now`` (aware, local time)."""
    now = timezone.localtime(now)
    hour = int(getattr(settings, "ACCOUNTS_DIGEST_HOUR", 7))
    at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > now else at + datetime.timedelta(days=1)


def _queued() -> bool:
    """A run of the daily task waits in the database queue."""
    from django_tasks_db.models import DBTaskResult  # the queue's own table

    return DBTaskResult.objects.filter(
        task_path=digests_daily_task.module_path, status=TaskResultStatus.READY
    ).exists()


def digests_schedule(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Queue the daily digest for its next hour, unless a run is queued already. Returns when
    it will run; None when nothing was queued (one is waiting, or the task backend cannot run
    a task later: then run ``renfort digest`` daily with cron)."""
    if not default_task_backend.supports_defer:
        logger.warning("The task backend cannot defer tasks: schedule `renfort digest` daily.")
        return None
    if _queued():
        return None
    when = next_run(now)
    digests_daily_task.using(run_after=when).enqueue()
    return when


@task()
def digests_daily_task() -> int:
    """Queue tomorrow's run, then send today's digests (each person once a day)."""
    with acting_as("task:digests_daily"):
        digests_schedule()
        return digests_send()
