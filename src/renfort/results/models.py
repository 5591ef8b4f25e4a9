"""Results-based planning: objectives, indicators and their actuals, reports and evaluations."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.agreements.models import Agreement
from renfort.assistance.models import Level, Request
from renfort.lib.dates import validate_date_in_range
from renfort.lib.limits import LONG_TEXT, SHORT_TEXT, length_checks
from renfort.missions.models import Mission
from renfort.roster.models import Expert


class Objective(models.Model):
    """An objective at strategic, tactical or operational level, linked to the work it guides."""

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    requests = models.ManyToManyField(Request, related_name="result_objectives", blank=True)
    missions = models.ManyToManyField(Mission, related_name="result_objectives", blank=True)
    agreements = models.ManyToManyField(Agreement, related_name="result_objectives", blank=True)

    class Meta:
        ordering = ["level", "title"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = length_checks(title=200, description=LONG_TEXT)

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(
        _("baseline date"), null=True, blank=True, validators=[validate_date_in_range]
    )
    target_date = models.DateField(
        _("target date"), null=True, blank=True, validators=[validate_date_in_range]
    )

    class Meta:
        ordering = ["objective", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = length_checks(name=200, unit=40)

    def __str__(self) -> str:
        return self.name


class IndicatorActual(models.Model):
    """The value an indicator reached in one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period_start = models.DateField(_("period from"), validators=[validate_date_in_range])
    period_end = models.DateField(_("period to"), validators=[validate_date_in_range])
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), max_length=SHORT_TEXT, blank=True)

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


class MissionReport(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        Expert, verbose_name=_("author"), on_delete=models.PROTECT, related_name="reports"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    summary = models.TextField(_("summary"), max_length=LONG_TEXT)
    outcomes = models.TextField(_("outcomes"), max_length=LONG_TEXT, blank=True)
    recommendations = models.TextField(_("recommendations"), max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("mission report")
        verbose_name_plural = _("mission reports")
        constraints = length_checks(
            summary=LONG_TEXT, outcomes=LONG_TEXT, recommendations=LONG_TEXT
        )

    def __str__(self) -> str:
        return f"{self.mission.reference} report by {self.author}"


class Evaluation(models.Model):
    """A beneficiary's evaluation of a delivered mission."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="evaluations")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comments = models.TextField(_("comments"), max_length=SHORT_TEXT, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_to_5"
            ),
            models.UniqueConstraint(fields=["mission", "by"], name="one_evaluation_per_user"),
            *length_checks(comments=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.mission.reference}: {self.rating}/5"
