"""Checking and importing a stored file: the bodies of ``imports.tasks`` (also called
directly for short files). Each is safe to run twice (docs/imports.md)."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from renfort.imports.engine import Result, importer_for, run_rows
from renfort.imports.models import ImportJob, ImportStatus
from renfort.imports.reading import FileRefused, Problem, Table, read_table

logger = logging.getLogger(__name__)

# Rows checked in one rolled-back transaction before the progress is saved.
CHECK_CHUNK = 100


def stored_table(job: ImportJob) -> Table:
    if not job.file:
        raise FileRefused("imports.file.changed")
    try:
        with job.file.open("rb") as stored:
            content = stored.read()
    except FileNotFoundError as exc:
        raise FileRefused("imports.file.changed") from exc
    if hashlib.sha256(content).hexdigest() != job.checksum:
        raise FileRefused("imports.file.changed")
    return read_table(job.name, content)


def import_job_check(*, job_id: int) -> str:
    """The dry run: every row through the services, in transactions that are rolled back;
    the outcome of each row and every problem kept with the job. Safe to run twice: only a
    waiting job (or one whose check was cut short) is checked."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("uploaded_by").get(pk=job_id)
        if job.status not in (ImportStatus.QUEUED, ImportStatus.CHECKING):
            return job.status
        job_status_write(job, ImportStatus.CHECKING)
    try:
        with translation.override(job.language):
            table = stored_table(job)
            importer = importer_for(job.kind, job.uploaded_by, table.headers)
            ImportJob.objects.filter(pk=job.pk).update(rows_total=len(table.rows), rows_done=0)
            result = Result()
            for start in range(0, len(table.rows), CHECK_CHUNK):
                chunk = table.rows[start : start + CHECK_CHUNK]
                result.extend(run_rows(importer, chunk, dry_run=True))
                ImportJob.objects.filter(pk=job.pk).update(rows_done=start + len(chunk))
    except FileRefused as refused:
        return job_status_write(job, ImportStatus.INVALID, {"errors": [refused.problem.as_json()]})
    except Exception:
        logger.exception("import %s: the check failed", job_id)
        return job_status_write(job, ImportStatus.FAILED, _failed())
    status = ImportStatus.INVALID if result.problems else ImportStatus.READY
    return job_status_write(job, status, {**result.as_json(), "dry_run": True})


def import_job_apply(*, job_id: int) -> str:
    """Import the checked file: every row, in one transaction, kept only if every row is still
    good (the data may have changed since the check: the new problems are then shown and
    nothing is written). Safe to run twice: an imported job is left as it is, and importing
    the same file again changes nothing anyway."""
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().select_related("uploaded_by").get(pk=job_id)
            if job.status not in (ImportStatus.READY, ImportStatus.IMPORTING):
                return job.status
            with translation.override(job.language):
                try:
                    table = stored_table(job)
                    importer = importer_for(job.kind, job.uploaded_by, table.headers)
                except FileRefused as refused:
                    return job_status_write(
                        job, ImportStatus.INVALID, {"errors": [refused.problem.as_json()]}
                    )
                result = run_rows(importer, table.rows, dry_run=False)
            status = ImportStatus.INVALID if result.problems else ImportStatus.DONE
            return job_status_write(job, status, {**result.as_json(), "dry_run": False})
    except Exception:
        logger.exception("import %s failed", job_id)
        job = ImportJob.objects.get(pk=job_id)
        return job_status_write(job, ImportStatus.FAILED, _failed())


def _failed() -> dict[str, Any]:
    return {"errors": [Problem("imports.file.failed").as_json()]}


def job_status_write(job: ImportJob, status: str, result: dict[str, Any] | None = None) -> str:
    """The one place an import job's status changes (queued → checking → ready | invalid;
    ready → importing → done | invalid; failed on an unexpected error)."""
    job.status = status
    fields = ["status"]
    now = timezone.now()
    if result is not None:
        job.result = result
        fields.append("result")
    if status in (ImportStatus.READY, ImportStatus.INVALID) and job.checked_at is None:
        job.checked_at = now
        fields.append("checked_at")
    if status == ImportStatus.DONE:
        job.imported_at = now
        fields.append("imported_at")
    job.save(update_fields=fields)
    return status
