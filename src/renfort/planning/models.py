"""Planner runs: one problem sent to the planner, its progress and the plan it proposed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.lib.dates import validate_date_in_range
from renfort.missions.models import Mission


class PlannerRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PlannerRun(models.Model):
    """One run of the planner from the browser: its problem, progress and proposed plan."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    period_start = models.DateField(
        _("period from"), null=True, blank=True, validators=[validate_date_in_range]
    )
    period_end = models.DateField(
        _("period to"), null=True, blank=True, validators=[validate_date_in_range]
    )
    missions = models.ManyToManyField(Mission, related_name="planner_runs", blank=True)
    time_limit_s = models.FloatField(_("time limit (s)"), default=10)
    status = models.CharField(
        max_length=8, choices=PlannerRunStatus.choices, default=PlannerRunStatus.QUEUED
    )
    progress = models.JSONField(default=list, blank=True)
    problem = models.JSONField(default=dict, blank=True)
    plan = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The model moved here from the missions app; its tables (and the M2M table
        # missions_plannerrun_missions, named after this one) kept their names and rows.
        db_table = "missions_plannerrun"
        ordering = ["-created_at"]
        verbose_name = _("planner run")
        verbose_name_plural = _("planner runs")

    def __str__(self) -> str:
        return f"Planner run {self.pk} ({self.status})"
