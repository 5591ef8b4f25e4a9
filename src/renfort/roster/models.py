"""The expert pool: experts lent by member administrations, their skills and availability."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.lib.audit import AuditedHistory
from renfort.lib.dates import validate_date_in_range
from renfort.lib.limits import length_checks


class Category(models.TextChoices):
    """Expert categories; the values are the planner's exchange-format codes."""

    MODERNIZATION_ADVISER = "modernization_adviser", _("Customs modernization adviser")
    TECHNICAL_OPERATIONAL_EXPERT = (
        "technical_operational_expert",
        _("Technical and operational expert"),
    )
    SPECIALIZED_TRAINER = "specialized_trainer", _("Specialized trainer")


class Topic(models.Model):
    """A field of expertise (seeded by a data migration)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = length_checks(code=40, name=120)

    def __str__(self) -> str:
        # Seeded names are in the catalogue (roster/topic_names.py); others show as entered.
        return gettext(self.name)


class ReleaseStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


# The pool: active experts whose home administration granted, or has not yet refused, their
# release (an invitation asks for the release of that mission anyway); a refused one is never
# proposed. Defined here only (docs/rules.md, "Where each rule lives").
POOL_RELEASE_STATUSES = frozenset({ReleaseStatus.GRANTED, ReleaseStatus.PENDING})


class ExpertQuerySet(models.QuerySet["Expert"]):
    def in_pool(self) -> ExpertQuerySet:
        """Active experts released (or not yet refused) to the pool; the same rule as
        ``missions.eligibility.pool_misses``."""
        return self.filter(active=True, release_status__in=POOL_RELEASE_STATUSES)


class Expert(models.Model):
    """A capacity-building professional lent to the pool by their home administration."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert",
    )
    home_administration = models.ForeignKey(
        Organisation,
        verbose_name=_("home administration"),
        on_delete=models.PROTECT,
        related_name="experts",
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("email"), blank=True)
    categories = models.JSONField(_("categories"), default=list)
    languages = models.JSONField(_("working languages"), default=list, help_text=_("ISO 639-1."))
    released_days_per_year = models.PositiveIntegerField(
        _("released days per year"),
        default=30,
        help_text=_("Mission days the home administration releases the expert for each year."),
    )
    release_status = models.CharField(
        _("release by home administration"),
        max_length=10,
        choices=ReleaseStatus.choices,
        default=ReleaseStatus.PENDING,
    )
    active = models.BooleanField(_("active"), default=True)

    objects = ExpertQuerySet.as_manager()

    field_history = AuditedHistory()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = length_checks(first_name=80, last_name=80, email=254)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def country(self) -> str:
        return self.home_administration.country

    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.categories if c in Category.values]


class Skill(models.Model):
    """An expert's proficiency in a topic, 1 (working knowledge) to 4 (recognised authority)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="skills")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    field_history = AuditedHistory()

    class Meta:
        ordering = ["topic__name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(fields=["expert", "topic"], name="one_skill_per_topic"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="skill_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.level}"


class AccreditationStatus(models.TextChoices):
    PRE_ACCREDITED = "pre_accredited", _("Pre-accredited")
    ACCREDITED = "accredited", _("Accredited")
    RECOGNISED = "recognised", _("Recognised")


class Accreditation(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="accreditations")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=20, choices=AccreditationStatus.choices)
    granted_on = models.DateField(_("granted on"), validators=[validate_date_in_range])
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, validators=[validate_date_in_range]
    )

    class Meta:
        ordering = ["-granted_on"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("granted_on")),
                name="accreditation_expires_after_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.get_status_display()}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.granted_on <= day and (self.expires_on is None or day <= self.expires_on)

    def state_on(self, day: datetime.date) -> str:
        """``"current"``, ``"expired"`` (past its expiry date: never shown as current) or
        ``"future"`` (granted from a later day), the one place pages read it from."""
        if self.expires_on is not None and self.expires_on < day:
            return "expired"
        if self.granted_on > day:
            return "future"
        return "current"


class CurrentUnavailabilityManager(models.Manager["Unavailability"]):
    """Periods not withdrawn: the default manager, so every availability read (the rules, the
    planner's problem, ``expert.unavailable`` and its prefetches) ignores withdrawn ones."""

    def get_queryset(self) -> models.QuerySet[Unavailability]:
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class Unavailability(models.Model):
    """A period in which the expert cannot travel (both ends inclusive). Removing one marks
    it withdrawn (kept for the audit trail, docs/audit.md); withdrawn periods block nothing."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="unavailable")
    start = models.DateField(_("first day"), validators=[validate_date_in_range])
    end = models.DateField(_("last day"), validators=[validate_date_in_range])
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    field_history = AuditedHistory()

    all_objects = models.Manager()
    objects = CurrentUnavailabilityManager()

    class Meta:
        # Related managers (``expert.unavailable``) and prefetches use it: withdrawn periods
        # stay out of every read that does not ask for them by ``all_objects``.
        default_manager_name = "objects"
        ordering = ["start"]
        verbose_name = _("unavailable period")
        verbose_name_plural = _("unavailable periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="unavailability_ends_after_start",
            ),
            *length_checks(reason=200),
        ]

    def __str__(self) -> str:
        return f"{self.start}..{self.end}"
