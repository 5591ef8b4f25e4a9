"""Exports prepared in the background: asking for one and forgetting old ones (building one is
``exports.building``, the task's one call; docs/performance.md, "Exports")."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from renfort.accounts.models import User
from renfort.exports.builders import BUILDERS
from renfort.exports.models import Export
from renfort.exports.tasks import export_build_task

logger = logging.getLogger(__name__)


def _retention() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "EXPORT_RETENTION_DAYS", 7)))


@transaction.atomic
def export_request(
    *, user: User, kind: str, params: dict[str, Any], title: str, language: str
) -> Export:
    """Ask for a file of ``kind``: the row now, the file from a task (queued in the same
    transaction: a worker sees it once the row is committed). The person's exports older than
    ``EXPORT_RETENTION_DAYS`` (7) are deleted on the way."""
    if kind not in BUILDERS:
        raise ValueError(f"unknown export {kind!r}")
    exports_prune(user=user)
    export = Export.objects.create(
        kind=kind, params=params, title=title[:200], language=language[:8], requested_by=user
    )
    export_build_task.enqueue(export.pk)
    return export


def exports_prune(*, user: User | None = None) -> int:
    """Delete the exports (and their files) older than the retention; only ``user``'s when
    given. Returns how many went."""
    old = Export.objects.filter(created_at__lt=timezone.now() - _retention())
    if user is not None:
        old = old.filter(requested_by=user)
    files = [export.file for export in old if export.file]
    count, _ = old.delete()
    # The files go once the rows are gone for good (a rollback keeps both).
    transaction.on_commit(lambda: [file.delete(save=False) for file in files])
    return count
