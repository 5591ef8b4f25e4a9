"""Queue a refresh of the pool gaps, once: the inputs changed (``receivers``), or a page found
no snapshot of today.

A change registers at most one callback per transaction (``pool_gaps_refresh_on_commit``);
after the commit, the callback queues ``tasks.pool_gaps_refresh_task`` unless a refresh is
already waiting (``PoolGapRefresh.queued_at``, claimed by one conditional update, so two
processes never both queue). The refresh clears the mark when it starts. A mark older than
``QUEUED_FOR_AT_MOST`` counts as lost (the task failed to start): the next change queues again.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from renfort.planning.models import PoolGapRefresh
from renfort.planning.tasks import pool_gaps_refresh_task

QUEUED_FOR_AT_MOST = datetime.timedelta(minutes=10)


def pool_gaps_refresh_request() -> bool:
    """Queue a pool gap refresh unless one is waiting; True when this call queued it.

    The mark and the queued task are written in one transaction (the database backend's queue
    is a table), so a failure to queue leaves no mark behind.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            PoolGapRefresh.objects.filter(pk=PoolGapRefresh.ONLY)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUED_FOR_AT_MOST))
            .update(queued_at=now)
        )
        if not claimed:
            _row, created = PoolGapRefresh.objects.get_or_create(
                pk=PoolGapRefresh.ONLY, defaults={"queued_at": now}
            )
            if not created:
                return False  # one is waiting
        pool_gaps_refresh_task.enqueue()
    return True


def pool_gaps_refresh_waiting() -> bool:
    """A refresh is queued and has not started yet."""
    return PoolGapRefresh.objects.filter(pk=PoolGapRefresh.ONLY, queued_at__isnull=False).exists()


class _RefreshAfterCommit:
    """The callback a transaction that changed an input runs once it commits."""

    def __init__(self) -> None:
        self.ran = False
        # Django logs a failed robust callback by its __qualname__, which instances lack.
        self.__qualname__ = "pool_gaps_refresh_request"

    def __call__(self) -> None:
        self.ran = True
        pool_gaps_refresh_request()


def pool_gaps_refresh_on_commit(using: str | None = None) -> None:
    """Queue a refresh when the current transaction commits (at once outside a transaction).

    One callback per transaction however many rows it changes: a callback already registered
    and not yet run (one rolled back with its savepoint is gone from the list) is enough.
    A failure to queue is logged and does not undo the change (``robust``).
    """
    connection = transaction.get_connection(using)
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _RefreshAfterCommit) and not callback.ran:
            return
    transaction.on_commit(_RefreshAfterCommit(), using=using, robust=True)
