"""The leases of the tasks a worker runs (docs/deploy.md, "Task workers").

django-tasks' database backend marks a claimed task RUNNING and nothing else: a worker killed
in the middle leaves it RUNNING for ever. ``renfort worker`` (operations/leases.py) takes a
lease on each task it claims, in the claim's transaction, renews it while the task runs, and
puts back any RUNNING task whose lease has expired before it claims the next one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class TaskLease(models.Model):
    """One running task's lease: the worker holding it, and until when."""

    task = models.OneToOneField(
        DBTaskResult, primary_key=True, on_delete=models.CASCADE, related_name="lease"
    )
    worker_id = models.CharField(_("worker"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.task_id} held by {self.worker_id} until {self.expires_at:%H:%M:%S}"
