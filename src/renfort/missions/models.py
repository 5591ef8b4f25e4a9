"""Missions answering accepted requests, their expert slots and the assignments that fill them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.assistance.models import Level, Request
from renfort.roster.models import Category, Expert, ReleaseStatus, Topic


class MissionType(models.TextChoices):
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    ADVISORY = "advisory", _("Advisory")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    FOLLOW_UP = "follow_up", _("Follow-up")
    REMOTE = "remote", _("Remote")


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PLANNED = "planned", _("Planned")
    SCHEDULED = "scheduled", _("Scheduled")
    CONFIRMED = "confirmed", _("Confirmed")
    DELIVERED = "delivered", _("Delivered")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


M = MissionStatus
MISSION_TRANSITIONS: dict[str, frozenset[str]] = {
    M.DRAFT: frozenset({M.PLANNED, M.CANCELLED}),
    M.PLANNED: frozenset({M.DRAFT, M.SCHEDULED, M.CANCELLED}),
    M.SCHEDULED: frozenset({M.PLANNED, M.CONFIRMED, M.CANCELLED}),
    M.CONFIRMED: frozenset({M.SCHEDULED, M.DELIVERED, M.CANCELLED}),
    M.DELIVERED: frozenset({M.REPORTED}),
    M.REPORTED: frozenset({M.CLOSED}),
    M.CLOSED: frozenset(),
    M.CANCELLED: frozenset(),
}


class DistinctCountries(models.TextChoices):
    REQUIRED = "required", _("Required")
    PREFERRED = "preferred", _("Preferred")
    NONE = "none", _("No preference")


class Mission(models.Model):
    """A mission: fixed dates, or a window and a duration in which the planner picks dates."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    requests = models.ManyToManyField(
        Request, verbose_name=_("requests answered"), related_name="missions"
    )
    type = models.CharField(_("type"), max_length=12, choices=MissionType.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    beneficiaries = models.ManyToManyField(
        Organisation, verbose_name=_("beneficiaries"), related_name="missions_received"
    )
    start = models.DateField(_("first day"), null=True, blank=True)
    end = models.DateField(_("last day"), null=True, blank=True)
    window_start = models.DateField(_("window from"), null=True, blank=True)
    window_end = models.DateField(_("window to"), null=True, blank=True)
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, help_text=_("ISO 639-1 code."))
    location = models.CharField(_("location"), max_length=200, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    distinct_countries = models.CharField(
        _("experts from different countries"),
        max_length=10,
        choices=DistinctCountries.choices,
        default=DistinctCountries.PREFERRED,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MissionStatus.choices, default=MissionStatus.DRAFT
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["start", "window_start", "reference"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(start__isnull=True) & models.Q(end__isnull=True))
                | (models.Q(start__isnull=False) & models.Q(end__gte=models.F("start"))),
                name="mission_dates_in_order",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(window_start__isnull=True)
                    & models.Q(window_end__isnull=True)
                    & models.Q(duration_days__isnull=True)
                )
                | (
                    models.Q(window_start__isnull=False)
                    & models.Q(window_end__gte=models.F("window_start"))
                    & models.Q(duration_days__gte=1)
                ),
                name="mission_window_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(start__isnull=False) | models.Q(window_start__isnull=False),
                name="mission_has_dates_or_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def has_dates(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def is_windowed(self) -> bool:
        return self.window_start is not None

    @property
    def days(self) -> int:
        """Mission days: from its dates, or its duration while the planner has not set them."""
        if self.start is not None and self.end is not None:
            return (self.end - self.start).days + 1
        return self.duration_days or 0

    def period(self) -> tuple[datetime.date, datetime.date] | None:
        if self.start is None or self.end is None:
            return None
        return self.start, self.end


class MissionStatusChange(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=MissionStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=MissionStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("mission status change")
        verbose_name_plural = _("mission status changes")

    def __str__(self) -> str:
        return f"{self.mission.reference}: {self.from_status or '-'} -> {self.to_status}"


class Slot(models.Model):
    """One expert place on a mission: a category and minimum topic levels."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)

    class Meta:
        ordering = ["mission", "position", "id"]
        verbose_name = _("expert slot")
        verbose_name_plural = _("expert slots")
        constraints = [
            models.UniqueConstraint(fields=["mission", "position"], name="slot_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.mission.reference}-{self.position}"

    @property
    def code(self) -> str:
        """The slot's id in planner files."""
        return f"{self.mission.reference}-{self.position}"


class SlotRequirement(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="requirements")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(
        _("minimum level"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        ordering = ["topic__name"]
        verbose_name = _("slot requirement")
        verbose_name_plural = _("slot requirements")
        constraints = [
            models.UniqueConstraint(fields=["slot", "topic"], name="one_requirement_per_topic"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="requirement_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} >= {self.level}"


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


A = AssignmentStatus
ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    A.PROPOSED: frozenset({A.INVITED, A.WITHDRAWN}),
    A.INVITED: frozenset({A.ACCEPTED, A.DECLINED, A.WITHDRAWN}),
    A.ACCEPTED: frozenset({A.CONFIRMED, A.WITHDRAWN}),
    A.CONFIRMED: frozenset({A.COMPLETED, A.WITHDRAWN}),
    A.DECLINED: frozenset(),
    A.COMPLETED: frozenset(),
    A.WITHDRAWN: frozenset(),
}
# Assignments that hold the expert's time and the slot.
ACTIVE_ASSIGNMENT_STATUSES = frozenset(
    {A.PROPOSED, A.INVITED, A.ACCEPTED, A.CONFIRMED, A.COMPLETED}
)


class AssignmentSource(models.TextChoices):
    PLANNER = "planner", _("Planner")
    MANUAL = "manual", _("Manual")


class Assignment(models.Model):
    """An expert in a slot. At most one active assignment per slot."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=A.PROPOSED
    )
    source = models.CharField(
        _("source"), max_length=8, choices=AssignmentSource.choices, default=AssignmentSource.MANUAL
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    fit = models.FloatField(_("fit"), null=True, blank=True)
    explanation = models.TextField(_("fit explanation"), blank=True)
    release_status = models.CharField(
        _("release by home administration"),
        max_length=10,
        choices=ReleaseStatus.choices,
        default=ReleaseStatus.PENDING,
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["slot", "-created_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(
                    status__in=["proposed", "invited", "accepted", "confirmed", "completed"]
                ),
                name="one_active_assignment_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot.code}: {self.expert}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT_STATUSES


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
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
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
        ordering = ["-created_at"]
        verbose_name = _("planner run")
        verbose_name_plural = _("planner runs")

    def __str__(self) -> str:
        return f"Planner run {self.pk} ({self.status})"
