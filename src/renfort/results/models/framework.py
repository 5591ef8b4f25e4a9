"""The results framework: objectives, their indicators and measured actuals, and the year's
delivery plan."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.agreements.models import Agreement
from renfort.assistance.models import Level, Request
from renfort.lib.audit import AuditedHistory
from renfort.lib.dates import validate_date_in_range
from renfort.lib.limits import LONG_TEXT, SHORT_TEXT, length_checks
from renfort.missions.models import Mission


class Objective(models.Model):
    """An objective at strategic, tactical or operational level, linked to the work it guides."""

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    requests = models.ManyToManyField(Request, related_name="result_objectives", blank=True)
    missions = models.ManyToManyField(Mission, related_name="result_objectives", blank=True)
    agreements = models.ManyToManyField(Agreement, related_name="result_objectives", blank=True)

    field_history = AuditedHistory()

    class Meta:
        ordering = ["level", "title"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = length_checks(title=200, description=LONG_TEXT)

    def __str__(self) -> str:
        return self.title


class Direction(models.TextChoices):
    """Which way an indicator improves."""

    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(models.Model):
    """A measure of an objective: from its baseline towards its target, which lies above the
    baseline (higher is better) or below it (lower is better, e.g. a release time)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(
        _("baseline date"), null=True, blank=True, validators=[validate_date_in_range]
    )
    target_date = models.DateField(
        _("target date"), null=True, blank=True, validators=[validate_date_in_range]
    )

    field_history = AuditedHistory()

    class Meta:
        ordering = ["objective", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = length_checks(name=200, unit=40)

    def __str__(self) -> str:
        return self.name

    def latest_actual(self) -> IndicatorActual | None:
        """The actual of the latest period (reads ``actuals`` through a prefetch if any)."""
        actuals = list(self.actuals.all())
        return max(actuals, key=lambda a: a.period_start) if actuals else None

    def progress(self) -> Decimal | None:
        """How far the latest actual has come from the baseline to the target:
        (actual − baseline) / (target − baseline), 0 at the baseline and 1 at the target,
        below 0 when it moved the wrong way, above 1 beyond the target. The same formula holds
        for a falling indicator (48 → 24 hours with 36 measured: 0.5). None without actuals
        (or when the target equals the baseline, which the services refuse)."""
        latest = self.latest_actual()
        if latest is None or self.target == self.baseline:
            return None
        return (latest.value - self.baseline) / (self.target - self.baseline)

    def improving(self) -> bool | None:
        """Whether the latest actual is better than the baseline, in the indicator's
        direction; None without actuals."""
        latest = self.latest_actual()
        if latest is None:
            return None
        if self.direction == Direction.LOWER:
            return latest.value < self.baseline
        return latest.value > self.baseline


class IndicatorActual(models.Model):
    """The value an indicator reached in one period, and who recorded it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period_start = models.DateField(_("period from"), validators=[validate_date_in_range])
    period_end = models.DateField(_("period to"), validators=[validate_date_in_range])
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), max_length=SHORT_TEXT, blank=True)
    # Empty on rows recorded before who recorded them was kept.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    field_history = AuditedHistory()

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("indicator actual")
        verbose_name_plural = _("indicator actuals")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="one_actual_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="actual_period_in_order",
            ),
            *length_checks(note=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.period_start})"


class DeliveryPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


P = DeliveryPlanStatus
DELIVERY_PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    P.DRAFT: frozenset({P.APPROVED}),
    P.APPROVED: frozenset({P.DRAFT, P.PUBLISHED}),
    P.PUBLISHED: frozenset(),
}


class DeliveryPlan(models.Model):
    """The year's delivery plan (its missions by region, level and topic, with their
    objectives, are read from the missions of that year): drafted, approved by the
    secretariat, then published to the members. One per year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryPlanStatus.choices, default=P.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("delivery plan")
        verbose_name_plural = _("delivery plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="delivery_plan_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.get_status_display()})"
