"""Background tasks of the exports app (django-tasks; ``renfort worker`` runs them)."""

from __future__ import annotations

from django_tasks import task

from renfort.exports.building import export_build
from renfort.lib.audit import acting_as


@task()
def export_build_task(export_id: int) -> str:
    """Build one export's file (safe to run twice)."""
    with acting_as("task:export_build"):
        return export_build(export_id=export_id)
