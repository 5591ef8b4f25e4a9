"""Planner runs: one problem sent to the planner, its progress and the plan it proposed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy as _

from renfort.lib.dates import validate_date_in_range
from renfort.lib.limits import length_checks
from renfort.lib.messages import CODE_MAX, render
from renfort.missions.models import Mission


class PlannerRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PlannerRunQuerySet(models.QuerySet["PlannerRun"]):
    def prunable(self, cutoff: datetime.datetime, keep: int | None = None) -> PlannerRunQuerySet:
        """The runs the retention rule deletes (docs/planner-web.md, "Old runs"): finished
        runs started before ``cutoff``, except the ``keep`` newest finished runs
        (``PLANNER_RUNS_KEPT``) and the runs a queued or running run re-plans. Queued and
        running runs are never deleted. A fixed number of queries."""
        keep = int(settings.PLANNER_RUNS_KEPT) if keep is None else keep
        finished = self.filter(status__in=(PlannerRunStatus.DONE, PlannerRunStatus.FAILED))
        newest = list(finished.order_by("-created_at", "-pk").values_list("pk", flat=True)[:keep])
        replanned = [
            int(v)
            for v in self.exclude(status__in=(PlannerRunStatus.DONE, PlannerRunStatus.FAILED))
            .annotate(previous=KT("plan__previous_run"))
            .exclude(previous=None)
            .values_list("previous", flat=True)
            if str(v).isdigit()
        ]
        return finished.filter(created_at__lt=cutoff).exclude(pk__in=[*newest, *replanned])


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
    error = models.TextField(blank=True)  # runs failed before error codes: their sentence
    # Why the run failed, as a message (``planning.run_messages``), read in the reader's language.
    error_code = models.CharField(_("error code"), max_length=CODE_MAX, blank=True, default="")
    error_params = models.JSONField(_("error parameters"), default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The run's summary, stored when it finishes (``run_summary.summary_set``) so that the run
    # list reads no plan: missions in the run (the chosen ones until the plan is stored),
    # missions staffed, experts proposed (slots filled), the objective and its proven bound,
    # the plan's status ("optimal", "feasible", ...) and seconds from start to result.
    mission_count = models.PositiveIntegerField(_("missions"), default=0)
    staffed_count = models.PositiveIntegerField(_("missions staffed"), null=True, blank=True)
    proposal_count = models.PositiveIntegerField(_("slots filled"), null=True, blank=True)
    objective = models.IntegerField(_("objective"), null=True, blank=True)
    objective_bound = models.IntegerField(_("objective bound"), null=True, blank=True)
    plan_status = models.CharField(_("plan status"), max_length=16, blank=True, default="")
    duration_s = models.FloatField(_("duration (s)"), null=True, blank=True)
    # The size of the stored problem, counted when the worker builds it (None until then), so
    # that the run's page need not read the problem (the pool as it was: megabytes).
    problem_mission_count = models.PositiveIntegerField(null=True, blank=True)
    problem_expert_count = models.PositiveIntegerField(null=True, blank=True)
    problem_pinned_count = models.PositiveIntegerField(null=True, blank=True)

    objects = PlannerRunQuerySet.as_manager()

    class Meta:
        # The model moved here from the missions app; its tables (and the M2M table
        # missions_plannerrun_missions, named after this one) kept their names and rows.
        db_table = "missions_plannerrun"
        ordering = ["-created_at"]
        verbose_name = _("planner run")
        verbose_name_plural = _("planner runs")
        constraints = length_checks(error_code=CODE_MAX, plan_status=16)
        indexes = [models.Index(fields=["-created_at", "-id"], name="plannerrun_created_idx")]

    def __str__(self) -> str:
        return f"Planner run {self.pk} ({self.status})"

    def error_text(self, language: str | None = None) -> str:
        """Why the run failed, in ``language`` (default: the active one); "" if it did not."""
        if self.error_code:
            return str(render(self.error_code, self.error_params, language))
        return self.error

    @property
    def building(self) -> bool:
        """The worker is building the problem (it is stored before the planner starts)."""
        return self.status == PlannerRunStatus.RUNNING and self.problem_mission_count is None


class PoolGapSnapshot(models.Model):
    """The pool gaps of the whole plan at one moment: every plannable mission against the
    current pool (``planning.gaps``), written by the background refresh
    (``gap_snapshots.pool_gaps_refresh``) so that every process shows the same."""

    computed_at = models.DateTimeField(_("computed at"))
    fingerprint = models.CharField(_("inputs fingerprint"), max_length=64)
    mission_count = models.PositiveIntegerField(_("plannable missions"), default=0)
    expert_count = models.PositiveIntegerField(_("experts in the pool"), default=0)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        verbose_name = _("pool gap snapshot")
        verbose_name_plural = _("pool gap snapshots")

    def __str__(self) -> str:
        return f"Pool gaps of {self.computed_at:%Y-%m-%d %H:%M}"


class PoolGap(models.Model):
    """One missing profile of a snapshot: category + topic levels + language + month, the
    missions it would staff, and the administrations whose experts come close."""

    snapshot = models.ForeignKey(PoolGapSnapshot, on_delete=models.CASCADE, related_name="gaps")
    rank = models.PositiveIntegerField()
    category = models.CharField(max_length=40)
    requirements = models.JSONField(default=list)  # [[topic code, minimum level], ...]
    language = models.CharField(max_length=8)
    month = models.CharField(max_length=7, blank=True)  # YYYY-MM, blank without dates
    mission_count = models.PositiveIntegerField()
    missions = models.JSONField(default=list)  # [[mission id, reference], ...]
    qualified = models.PositiveIntegerField(default=0)  # pool experts with the profile
    near = models.JSONField(default=list)  # [[organisation id, experts], ...], best first

    class Meta:
        ordering = ["snapshot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "rank"], name="pool_gap_rank_unique")
        ]
        verbose_name = _("pool gap")
        verbose_name_plural = _("pool gaps")

    def __str__(self) -> str:
        return f"Gap {self.rank} of snapshot {self.snapshot_id}"


class PoolGapRefresh(models.Model):
    """One row (pk 1): when a pool gap refresh was queued and has not started yet. Changes
    queue a refresh only when none is waiting (``gap_refresh.pool_gaps_refresh_request``)."""

    ONLY = 1  # the primary key of the one row

    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pool gap refresh")
        verbose_name_plural = _("pool gap refreshes")

    def __str__(self) -> str:
        return f"Pool gap refresh queued at {self.queued_at}" if self.queued_at else "idle"


class RelaxationsStatus(models.TextChoices):
    COMPUTING = "computing", _("Computing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MissionRelaxations(models.Model):
    """What it would take to staff a mission (``planning.relaxations``): the relaxations of
    its needs whose plan staffs it, computed in the background for one state of its inputs
    (``fingerprint``). ``relaxations``: ``[{"changes": [{"kind", ..., "code", "params"}],
    "experts": n}]``, fewest changes first."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(_("inputs fingerprint"), max_length=64)
    status = models.CharField(
        max_length=10, choices=RelaxationsStatus.choices, default=RelaxationsStatus.COMPUTING
    )
    requested_at = models.DateTimeField(_("requested at"))
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    relaxations = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "fingerprint"], name="mission_relaxations_unique"
            )
        ]
        verbose_name = _("mission relaxations")
        verbose_name_plural = _("mission relaxations")

    def __str__(self) -> str:
        return f"Relaxations of mission {self.mission_id} ({self.status})"
