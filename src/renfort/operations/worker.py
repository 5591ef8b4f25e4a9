"""The task worker behind ``renfort worker``: django-tasks' database worker with leases.

The loop is the database worker's own (django_tasks_db ``Worker.run``), with three changes
(operations/leases.py): expired leases are put back before each claim, the claim takes a
lease, and the task runs beside a heartbeat thread that renews it. The result is written only
while the lease is held; a worker that lost it stops at once (``os._exit``), so that no task
runs in two live workers.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django_tasks import TaskContext
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from renfort.operations.leases import (
    LeaseLost,
    lease_renew,
    lease_seconds,
    leases_expired_put_back,
    task_claim,
)
from renfort.operations.leases import task_finish as lease_task_finish

logger = logging.getLogger("renfort.worker")

# The exit status of a worker that lost a lease (its supervisor starts another).
LOST_LEASE_EXIT = 75


class Heartbeat(threading.Thread):
    """Renews one task's lease every third of ``TASK_LEASE_SECONDS`` until stopped."""

    def __init__(self, *, task_id: Any, worker_id: str) -> None:
        super().__init__(name=f"lease-{task_id}", daemon=True)
        self.task_id = task_id
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(lease_seconds() / 3):
                try:
                    held = lease_renew(task_id=self.task_id, worker_id=self.worker_id)
                except Exception:  # the database is away: try again at the next beat
                    logger.exception("task %s: renewing the lease failed", self.task_id)
                    continue
                if not held:
                    logger.error(
                        "task %s: worker %s lost its lease, stopping",
                        self.task_id,
                        self.worker_id,
                    )
                    os._exit(LOST_LEASE_EXIT)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class LeasedWorker(Worker):
    """django-tasks' database worker, claiming with a lease (see the module docstring)."""

    def run(self) -> None:
        logger.info("worker %s starting (queues %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(self.interval * 0.5)
        while self.running:
            close_old_connections()
            task, retrieved = self._claim()
            if task is not None:
                self.run_task(task)
            if self.batch and retrieved and task is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task is None:
                time.sleep(self.interval)

    def _claim(self) -> tuple[DBTaskResult | None, bool]:
        """Put back what expired, then claim the next ready task (None) with its lease;
        False when the database was locked (SQLite) and nothing could be read."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            leases_expired_put_back()
            with exclusive_transaction(tasks.db):
                return task_claim(tasks=tasks, worker_id=self.worker_id), True
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None, False
            raise

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task beside its heartbeat, then write its outcome if the lease still
        holds (``LeaseLost``: the worker stops, the task belongs to another)."""
        heartbeat = Heartbeat(task_id=db_task_result.pk, worker_id=self.worker_id)
        self.running_task = True
        heartbeat.start()
        try:
            outcome, failed = self._call(db_task_result)
        finally:
            heartbeat.stop()
        try:
            self._finish(db_task_result, outcome, failed)
        except LeaseLost:
            logger.error("task %s: result discarded, the lease was lost", db_task_result.pk)
            os._exit(LOST_LEASE_EXIT)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _call(self, db_task_result: DBTaskResult) -> tuple[Any, bool]:
        """The task's return value (False) or the exception it raised (True)."""
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            return value, False
        except BaseException as exc:  # as the database worker does: the task failed
            return exc, True

    def _finish(self, db_task_result: DBTaskResult, outcome: Any, failed: bool) -> None:
        try:
            lease_task_finish(
                task=db_task_result, worker_id=self.worker_id, outcome=outcome, failed=failed
            )
        except LeaseLost:
            raise
        except Exception as exc:  # e.g. a return value JSON cannot hold: the task failed
            lease_task_finish(
                task=db_task_result, worker_id=self.worker_id, outcome=exc, failed=True
            )
        try:
            task_finished.send(
                sender=type(db_task_result.task.get_backend()),
                task_result=db_task_result.task_result,
            )
        except Exception:
            logger.exception("task %s finished unexpectedly", db_task_result.pk)
