"""Background tasks of the imports app (django-tasks; ``renfort worker`` runs them)."""

from __future__ import annotations

from django_tasks import task

from renfort.imports.jobs import import_job_apply, import_job_check
from renfort.lib.audit import acting_as


@task()
def import_check_task(job_id: int) -> str:
    """Check a long file (safe to run twice: only a waiting job is checked)."""
    with acting_as("task:import_check"):
        return import_job_check(job_id=job_id)


@task()
def import_apply_task(job_id: int) -> str:
    """Import a long checked file (safe to run twice: an imported job is left as it is)."""
    with acting_as("task:import_apply"):
        return import_job_apply(job_id=job_id)
