"""Leased task claims: what lets several task workers share one queue and survive a SIGKILL.

django-tasks' database worker claims a task with ``SELECT ... FOR UPDATE SKIP LOCKED`` and
marks it RUNNING: two live workers never claim the same task, but a worker killed while it
runs one leaves it RUNNING for ever. ``renfort worker`` adds a lease (docs/deploy.md, "Task
workers"):

* **claim**: in the claim's transaction, the worker writes a ``TaskLease`` naming itself,
  expiring ``TASK_LEASE_SECONDS`` (60 by default) later;
* **heartbeat**: while the task runs, a thread renews the lease every third of that;
* **put back**: before each claim, every RUNNING task whose lease has expired goes back to
  READY (or to FAILED once it has been tried ``TASK_MAX_ATTEMPTS`` times: a task that kills
  its worker every time must not kill them all), and its lease is dropped;
* **finish**: the result is written only while the worker still holds the lease, in the
  same transaction that drops it. A worker that finds its lease gone (it was frozen or cut
  from the database for a whole lease, and the task was put back) discards its result and
  stops (``LeaseLost``): the task is someone else's now.

A task may therefore run twice (killed after its work was committed, before its result was),
never in two live workers at once: every task body is written to be safe to run again.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from renfort.operations.models import TaskLease

logger = logging.getLogger(__name__)

# What a task put back too often ends with (shown in the admin's task results).
EXPIRED_CLASS_PATH = "renfort.operations.leases.LeaseExpired"


class LeaseLost(Exception):
    """This worker no longer holds the lease of the task it runs."""


def lease_seconds() -> float:
    return float(getattr(settings, "TASK_LEASE_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "TASK_MAX_ATTEMPTS", 3))


def _expiry(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(seconds=lease_seconds())


def task_claim(*, tasks: Any, worker_id: str) -> DBTaskResult | None:
    """Claim the first ready task of ``tasks`` for ``worker_id`` and take its lease, in one
    transaction (the caller's ``exclusive_transaction``); None when none is ready."""
    task = tasks.get_locked()
    if task is None:
        return None
    task.claim(worker_id)
    TaskLease.objects.update_or_create(
        task_id=task.pk, defaults={"worker_id": worker_id, "expires_at": _expiry()}
    )
    return task


def leases_expired_put_back(*, now: datetime.datetime | None = None) -> int:
    """Put back every RUNNING task whose lease has expired; returns how many. A task already
    tried ``TASK_MAX_ATTEMPTS`` times fails instead. Rows another worker is putting back at
    the same moment are skipped (SKIP LOCKED), so each is put back once."""
    now = now or timezone.now()
    done = 0
    with transaction.atomic():
        expired = list(
            DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                status=TaskResultStatus.RUNNING, lease__expires_at__lt=now
            )
        )
        for task in expired:
            tried = len(task.worker_ids)
            if tried >= max_attempts():
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = EXPIRED_CLASS_PATH
                task.traceback = (
                    f"The lease expired {tried} times: every worker that ran this task "
                    "stopped before it finished (killed, or cut from the database)."
                )
                task.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                logger.error("task %s failed: its lease expired %s times", task.pk, tried)
            else:
                # run_after is kept: the task was due already, it goes to the front again.
                task.status = TaskResultStatus.READY
                task.save(update_fields=["status"])
                logger.warning(
                    "task %s put back: the lease of worker %s expired",
                    task.pk,
                    task.worker_ids[-1] if task.worker_ids else "?",
                )
            done += 1
        TaskLease.objects.filter(task_id__in=[t.pk for t in expired]).delete()
    return done


def lease_renew(*, task_id: Any, worker_id: str) -> bool:
    """Push the lease of ``task_id`` on; False when ``worker_id`` no longer holds it."""
    return bool(
        TaskLease.objects.filter(task_id=task_id, worker_id=worker_id).update(expires_at=_expiry())
    )


def task_finish(*, task: DBTaskResult, worker_id: str, outcome: Any, failed: bool) -> None:
    """Write the task's result and drop its lease, if ``worker_id`` still holds it; raise
    ``LeaseLost`` (writing nothing) otherwise."""
    with transaction.atomic():
        held = (
            TaskLease.objects.select_for_update()
            .filter(task_id=task.pk, worker_id=worker_id)
            .exists()
        )
        if not held:
            raise LeaseLost(f"task {task.pk}: the lease of worker {worker_id} was taken back")
        if failed:
            task.set_failed(outcome)
        else:
            task.set_successful(outcome)
        TaskLease.objects.filter(task_id=task.pk).delete()
