"""What follows a mission: its delivery with the actual dates, each expert's report with its
follow-up actions, and the beneficiaries' evaluations of the mission and of each expert."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.lib.dates import validate_date_in_range
from renfort.lib.limits import LONG_TEXT, SHORT_TEXT, length_checks
from renfort.missions.models import Mission
from renfort.roster.models import Expert

RATING_RANGE = models.Q(rating__gte=1, rating__lte=5)
RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class MissionDelivery(models.Model):
    """The secretariat's record that a mission took place, with its actual first and last
    day (the mission keeps its planned dates: the busy ranges and calendars rest on them)."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="delivery")
    actual_start = models.DateField(_("actual first day"), validators=[validate_date_in_range])
    actual_end = models.DateField(_("actual last day"), validators=[validate_date_in_range])
    note = models.TextField(_("note"), max_length=SHORT_TEXT, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mission delivery")
        verbose_name_plural = _("mission deliveries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actual_end__gte=models.F("actual_start")),
                name="delivery_dates_in_order",
            ),
            *length_checks(note=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.mission.reference}: {self.actual_start}..{self.actual_end}"

    @property
    def days(self) -> int:
        return (self.actual_end - self.actual_start).days + 1


class MissionReport(models.Model):
    """One expert's report on a mission they took part in: one per expert and mission."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        Expert, verbose_name=_("author"), on_delete=models.PROTECT, related_name="reports"
    )
    # The user who filed it: the expert, or a coordinator on the expert's behalf.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    activities = models.TextField(_("activities"), max_length=LONG_TEXT)
    findings = models.TextField(_("findings"), max_length=LONG_TEXT, blank=True)
    recommendations = models.TextField(_("recommendations"), max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("mission report")
        verbose_name_plural = _("mission reports")
        constraints = [
            models.UniqueConstraint(fields=["mission", "author"], name="one_report_per_expert"),
            *length_checks(activities=LONG_TEXT, findings=LONG_TEXT, recommendations=LONG_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.mission.reference} report by {self.author}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class FollowUpAction(models.Model):
    """An action a report asks for after the mission, owned by an organisation (a beneficiary
    administration, or the secretariat) and due on a day; tracked to done on its own, whatever
    becomes of the mission."""

    report = models.ForeignKey(MissionReport, on_delete=models.CASCADE, related_name="follow_ups")
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.TextField(_("action"), max_length=SHORT_TEXT)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due on"), validators=[validate_date_in_range])
    status = models.CharField(
        _("status"), max_length=4, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_on = models.DateField(
        _("done on"), null=True, blank=True, validators=[validate_date_in_range]
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done_note = models.TextField(_("what was done"), max_length=SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="follow_up_owner")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=FollowUpStatus.OPEN, done_on__isnull=True)
                | models.Q(status=FollowUpStatus.DONE, done_on__isnull=False),
                name="follow_up_done_has_a_day",
            ),
            *length_checks(description=SHORT_TEXT, done_note=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.mission.reference}: {self.description[:60]}"

    @property
    def is_done(self) -> bool:
        return self.status == FollowUpStatus.DONE

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Open after its due day."""
        return not self.is_done and self.due_on < (today or datetime.date.today())


class Evaluation(models.Model):
    """A beneficiary administration's evaluation of a delivered mission (one per
    administration), with a rating of each expert (``ratings``)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="evaluations")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("beneficiary administration"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), validators=RATING_VALIDATORS)
    comments = models.TextField(_("comments"), max_length=SHORT_TEXT, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(condition=RATING_RANGE, name="evaluation_rating_1_to_5"),
            models.UniqueConstraint(
                fields=["mission", "organisation"], name="one_evaluation_per_beneficiary"
            ),
            *length_checks(comments=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.mission.reference}: {self.rating}/5"


class ExpertRating(models.Model):
    """How a beneficiary rates one expert's work on the mission. Seen by the expert, the
    secretariat and the expert's home administration (and by whoever wrote it); others see
    averages only (``results.selectors``)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="ratings"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), validators=RATING_VALIDATORS)
    comment = models.TextField(_("comment"), max_length=SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["evaluation", "expert__last_name", "expert__first_name"]
        verbose_name = _("expert rating")
        verbose_name_plural = _("expert ratings")
        constraints = [
            models.CheckConstraint(condition=RATING_RANGE, name="expert_rating_1_to_5"),
            models.UniqueConstraint(fields=["evaluation", "expert"], name="one_rating_per_expert"),
            *length_checks(comment=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.expert}: {self.rating}/5"
