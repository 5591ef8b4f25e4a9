"""Import jobs (docs/imports.md): an uploaded file is stored with its checksum, checked by a
dry run (in the background when it is long), shown, then imported on confirmation: exactly
the stored file, and only if its checksum still matches."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename

from renfort.accounts.models import User
from renfort.imports.engine import may_import
from renfort.imports.jobs import import_job_apply, import_job_check, job_status_write, stored_table
from renfort.imports.models import WORKING_STATUSES, ImportJob, ImportStatus
from renfort.imports.reading import FileRefused, Problem, file_format, max_bytes
from renfort.imports.tasks import import_apply_task, import_check_task
from renfort.lib.messages import render

BACKGROUND_ROWS = 500


def background_rows() -> int:
    """Files with more rows are checked and imported by a task (``IMPORT_BACKGROUND_ROWS``)."""
    return int(getattr(settings, "IMPORT_BACKGROUND_ROWS", BACKGROUND_ROWS))


def _refusal(problem: Problem) -> ValidationError:
    return ValidationError({"file": render(problem.code, problem.params).body})


@transaction.atomic
def import_job_create(
    *, user: User, kind: str, name: str, content: bytes, language: str = "en"
) -> ImportJob:
    """Keep an uploaded file for import by ``user`` (who alone may see the job). Refused
    (``PermissionDenied``) when ``user`` may not import this kind, and (``ValidationError``
    keyed ``file``) when the file is too large or neither CSV nor XLSX."""
    if not may_import(user, kind):
        raise PermissionDenied
    import_files_prune(user=user)
    if len(content) > max_bytes():
        raise _refusal(Problem("imports.file.too_big", {"limit": str(max_bytes())}))
    try:
        file_format(name, content)
    except FileRefused as refused:
        raise _refusal(refused.problem) from refused
    job = ImportJob.objects.create(
        kind=kind,
        uploaded_by=user,
        language=language[:8],
        name=name[:200],
        checksum=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    stored = get_valid_filename(name)[-100:] or "import"
    job.file.save(f"{job.pk}-{stored}", ContentFile(content), save=False)
    job.save(update_fields=["file"])
    return job


def _retention() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "IMPORT_RETENTION_DAYS", 30)))


def import_files_prune(*, user: User | None = None) -> int:
    """Delete the stored files of imports older than ``IMPORT_RETENTION_DAYS`` (30), only
    ``user``'s when given; the jobs stay, as the record of who imported what and when.
    Returns how many files went."""
    old = ImportJob.objects.filter(created_at__lt=timezone.now() - _retention()).exclude(file="")
    if user is not None:
        old = old.filter(uploaded_by=user)
    jobs = list(old.exclude(status__in=WORKING_STATUSES)[:100])
    files = [job.file.name for job in jobs]
    ImportJob.objects.filter(pk__in=[job.pk for job in jobs]).update(file="")
    storage = ImportJob.file.field.storage
    # The files go once the rows no longer name them (a rollback keeps both).

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return len(files)


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Check the file now, or by a task when it has more than ``IMPORT_BACKGROUND_ROWS``
    rows (the job's page follows it)."""
    try:
        rows = len(stored_table(job).rows)
    except FileRefused:
        rows = 0  # the check says why
    if rows > background_rows():
        import_check_task.enqueue(job.pk)
    else:
        import_job_check(job_id=job.pk)
    job.refresh_from_db()
    return job


def import_job_confirm(*, job: ImportJob, by: User) -> ImportJob:
    """The uploader confirms the import of a checked file: done now, or by a task when long."""
    if job.uploaded_by_id != by.pk or not may_import(by, job.kind):
        raise PermissionDenied
    if job.status != ImportStatus.READY:
        raise ValidationError(
            translation.gettext("This file cannot be imported: it is %(status)s.")
            % {"status": job.get_status_display()}
        )
    if job.rows_total > background_rows():
        with transaction.atomic():
            job_status_write(
                ImportJob.objects.select_for_update().get(pk=job.pk), ImportStatus.IMPORTING
            )
            import_apply_task.enqueue(job.pk)
    else:
        import_job_apply(job_id=job.pk)
    job.refresh_from_db()
    return job
