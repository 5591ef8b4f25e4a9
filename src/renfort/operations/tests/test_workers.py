"""Several task workers on one queue (docs/deploy.md, "Task workers").

Real ``renfort worker`` processes on the test database: no task runs in two live workers, and a
task whose worker is killed (SIGKILL) is put back once its lease expires, then completes in
the other worker. The lease's own rules are tested without processes below.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from renfort.operations.leases import (
    EXPIRED_CLASS_PATH,
    LeaseLost,
    lease_renew,
    leases_expired_put_back,
    task_claim,
    task_finish,
)
from renfort.operations.models import TaskLease

LEASE_S = 2.0
TASK = "renfort.operations.tests.tasks.record_run"
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="workers in processes share PostgreSQL"
)


def _enqueue(log: Path, number: int, seconds: float = 0.0) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"log": str(log), "number": number, "seconds": seconds}},
        task_path=TASK,
        backend_name="default",
        run_after=get_date_max(),
    )


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{port}/{db['NAME']}"


class Workers:
    """``renfort worker`` processes on the test database, ended when the test ends."""

    def __init__(self) -> None:
        self.started: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "renfort.config.settings",
            "DEBUG": "true",
            "DATABASE_URL": _database_url(),
            "TASK_LEASE_SECONDS": str(LEASE_S),
        }
        command = [sys.executable, "-m", "renfort.cli", "worker", "--no-reload"]
        options = ["--interval", "0.1", "--no-startup-delay", "--worker-id", name]
        worker = subprocess.Popen(
            [*command, *options], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.started[name] = worker
        return worker

    def stop(self) -> None:
        for worker in self.started.values():
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=20)


@pytest.fixture
def workers() -> Iterator[Workers]:
    running = Workers()
    yield running
    running.stop()


def _runs(log: Path) -> list[tuple[str, int, int, float]]:
    """(start|end, task number, pid, time) for every line of the log."""
    if not log.exists():
        return []
    rows = []
    for line in log.read_text().splitlines():
        what, number, pid, at = line.split()
        rows.append((what, int(number), int(pid), float(at)))
    return rows


def _wait(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _finished(count: int) -> bool:
    done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count()
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
    assert failed == 0
    return done == count


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_run_one_task_twice(tmp_path, workers) -> None:
    log = tmp_path / "runs.log"
    tasks = [_enqueue(log, number, seconds=0.05) for number in range(40)]
    first, second = workers.start("one"), workers.start("two")
    _wait(lambda: _finished(len(tasks)))
    runs = _runs(log)
    starts = defaultdict(list)
    for what, number, pid, _at in runs:
        if what == "start":
            starts[number].append(pid)
    assert sorted(starts) == list(range(40))
    assert all(len(pids) == 1 for pids in starts.values()), starts
    assert {pid for pids in starts.values() for pid in pids} <= {first.pid, second.pid}
    for task in DBTaskResult.objects.all():
        assert len(task.worker_ids) == 1
    assert not TaskLease.objects.exists()


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_workers_task_is_put_back_after_its_lease_and_completes(tmp_path, workers):
    log = tmp_path / "runs.log"
    task = _enqueue(log, 1, seconds=4 * LEASE_S)
    doomed = workers.start("doomed")
    _wait(lambda: any(r[0] == "start" for r in _runs(log)))
    assert TaskLease.objects.get(task_id=task.pk).worker_id == "doomed"
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    killed_at = time.time()
    survivor = workers.start("survivor")
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING  # what db_worker would leave for ever
    _wait(lambda: _finished(1), timeout=60 + 4 * LEASE_S)
    runs = _runs(log)
    assert [(what, pid) for what, _n, pid, _at in runs] == [
        ("start", doomed.pid),
        ("start", survivor.pid),
        ("end", survivor.pid),
    ]
    # The survivor took it only once the doomed worker's lease had run out.
    assert runs[1][3] >= killed_at
    task.refresh_from_db()
    assert task.worker_ids == ["doomed", "survivor"]
    assert task.return_value == 1
    assert not TaskLease.objects.exists()


# The lease's rules, without processes.


def _claimed(log: Path, worker_id: str = "w1") -> DBTaskResult:
    _enqueue(log, 1)
    task = task_claim(tasks=DBTaskResult.objects.ready(), worker_id=worker_id)
    assert task is not None
    return task


def _expire(task: DBTaskResult) -> None:
    TaskLease.objects.filter(task_id=task.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


@pytest.mark.django_db
def test_a_claim_takes_a_lease_that_a_heartbeat_renews(tmp_path) -> None:
    task = _claimed(tmp_path / "log")
    lease = TaskLease.objects.get(task_id=task.pk)
    assert lease.worker_id == "w1"
    assert lease.expires_at > timezone.now()
    assert leases_expired_put_back() == 0
    _expire(task)
    assert lease_renew(task_id=task.pk, worker_id="w1")
    assert not lease_renew(task_id=task.pk, worker_id="w2")
    assert leases_expired_put_back() == 0


@pytest.mark.django_db
def test_an_expired_lease_puts_the_task_back(tmp_path) -> None:
    task = _claimed(tmp_path / "log")
    _expire(task)
    assert leases_expired_put_back() == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert not TaskLease.objects.exists()
    again = task_claim(tasks=DBTaskResult.objects.ready(), worker_id="w2")
    assert again is not None and again.worker_ids == ["w1", "w2"]


@pytest.mark.django_db
def test_a_task_whose_workers_keep_dying_fails_after_the_attempts(tmp_path, settings) -> None:
    settings.TASK_MAX_ATTEMPTS = 2
    task = _claimed(tmp_path / "log")
    for worker_id in ("w2", None):
        _expire(task)
        leases_expired_put_back()
        if worker_id:
            task_claim(tasks=DBTaskResult.objects.ready(), worker_id=worker_id)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == EXPIRED_CLASS_PATH
    assert not TaskLease.objects.exists()


@pytest.mark.django_db
def test_a_worker_that_lost_its_lease_writes_no_result(tmp_path) -> None:
    task = _claimed(tmp_path / "log")
    _expire(task)
    leases_expired_put_back()
    with pytest.raises(LeaseLost):
        task_finish(task=task, worker_id="w1", outcome=1, failed=False)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.return_value is None


@pytest.mark.django_db
def test_the_lease_holder_writes_the_result_and_drops_the_lease(tmp_path) -> None:
    task = _claimed(tmp_path / "log")
    task_finish(task=task, worker_id="w1", outcome=7, failed=False)
    task.refresh_from_db()
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, 7)
    assert not TaskLease.objects.exists()
