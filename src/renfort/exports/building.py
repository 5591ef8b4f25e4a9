"""Building an export's file: the body of ``exports.tasks.export_build_task``
(docs/performance.md, "Exports")."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from renfort.exports.builders import BUILDERS, NothingToExport
from renfort.exports.models import Export, ExportStatus

logger = logging.getLogger(__name__)


def export_build(*, export_id: int) -> str:
    """Build the file of an export and store it under MEDIA_ROOT/exports/. Safe to run twice:
    a finished export is left as it is. Returns the export's status."""
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("requested_by").get(pk=export_id)
        if export.finished:
            return export.status
        export.status = ExportStatus.RUNNING
        export.save(update_fields=["status"])
    try:
        with translation.override(export.language):
            built = BUILDERS[export.kind](export.requested_by, export.params)
    except (NothingToExport, Http404, PermissionError, KeyError, ValueError) as exc:
        logger.info("export %s: nothing to build (%s)", export_id, type(exc).__name__)
        _finish(export, ExportStatus.FAILED)
        return ExportStatus.FAILED
    except Exception:
        logger.exception("export %s failed", export_id)
        _finish(export, ExportStatus.FAILED)
        return ExportStatus.FAILED
    export.file.save(f"{export.pk}-{built.name}", ContentFile(built.content), save=False)
    export.name = built.name[:200]
    export.content_type = built.content_type
    export.size = len(built.content)
    _finish(export, ExportStatus.DONE)
    return ExportStatus.DONE


def _finish(export: Export, status: str) -> None:
    export.status = status
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "finished_at", "file", "name", "content_type", "size"])
