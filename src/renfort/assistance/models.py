"""Requests for assistance: the demand that every mission answers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation, Region, Role, User
from renfort.lib.audit import AuditedHistory
from renfort.lib.dates import validate_date_in_range
from renfort.lib.history import StatusChangeBase
from renfort.lib.limits import LONG_TEXT, SHORT_TEXT, length_checks
from renfort.roster.models import Topic


class Level(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    TACTICAL = "tactical", _("Tactical")
    OPERATIONAL = "operational", _("Operational")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_APPRAISAL = "under_appraisal", _("Under appraisal")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    PLANNED = "planned", _("Planned")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = RequestStatus
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.UNDER_APPRAISAL, S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.UNDER_APPRAISAL: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.PLANNED, S.CLOSED}),
    S.DECLINED: frozenset(),
    S.PLANNED: frozenset({S.DELIVERED, S.ACCEPTED, S.CLOSED}),
    S.DELIVERED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# Request status groups, each defined here only (docs/rules.md, "Where each rule lives").
# Waiting for the secretariat's appraisal.
APPRAISAL_REQUEST_STATUSES = frozenset({S.SUBMITTED, S.UNDER_APPRAISAL})
# A mission may answer the request: accepted, or already planned in a mission.
ANSWERABLE_REQUEST_STATUSES = frozenset({S.ACCEPTED, S.PLANNED})
# The requesting administration may still change or withdraw it: not decided yet.
CHANGEABLE_REQUEST_STATUSES = APPRAISAL_REQUEST_STATUSES
# Accepted, then planned, delivered or closed (figures count these as accepted).
ACCEPTED_OR_LATER_REQUEST_STATUSES = frozenset({S.ACCEPTED, S.PLANNED, S.DELIVERED, S.CLOSED})
# Ended: declined, withdrawn or closed; nothing more happens to it.
ENDED_REQUEST_STATUSES = frozenset({S.DECLINED, S.WITHDRAWN, S.CLOSED})
# Open: not ended.
OPEN_REQUEST_STATUSES = frozenset(S) - ENDED_REQUEST_STATUSES


class RequestQuerySet(models.QuerySet["Request"]):
    def in_appraisal(self) -> RequestQuerySet:
        return self.filter(status__in=APPRAISAL_REQUEST_STATUSES)

    def answerable(self) -> RequestQuerySet:
        return self.filter(status__in=ANSWERABLE_REQUEST_STATUSES)

    def open(self) -> RequestQuerySet:
        return self.filter(status__in=OPEN_REQUEST_STATUSES)


class Request(models.Model):
    """A member administration's request for help (several administrations: regional)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    administrations = models.ManyToManyField(
        Organisation,
        verbose_name=_("requesting administrations"),
        related_name="requests",
    )
    focal_point = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("focal point"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="requests")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    needs = models.TextField(_("needs"), max_length=LONG_TEXT)
    preferred_start = models.DateField(
        _("preferred period from"), validators=[validate_date_in_range]
    )
    preferred_end = models.DateField(_("preferred period to"), validators=[validate_date_in_range])
    language = models.CharField(_("language"), max_length=2, help_text=_("ISO 639-1 code."))
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=SHORT_TEXT, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = RequestQuerySet.as_manager()

    field_history = AuditedHistory()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for assistance")
        verbose_name_plural = _("requests for assistance")
        # The lists, newest first, and the appraisal queue (config/tests/test_query_plans.py).
        indexes = [
            models.Index(fields=["created_at", "id"], name="request_newest"),
            models.Index(fields=["status"], name="request_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(preferred_end__gte=models.F("preferred_start")),
                name="request_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5), name="request_priority_1_to_5"
            ),
            *length_checks(
                reference=20, title=200, needs=LONG_TEXT, language=2, decline_reason=SHORT_TEXT
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_regional(self) -> bool:
        return self.administrations.count() > 1

    @property
    def is_changeable(self) -> bool:
        """Its administration may still change or withdraw it (the secretariat has not
        decided yet)."""
        return self.status in CHANGEABLE_REQUEST_STATUSES

    def owned_by(self, user: User) -> bool:
        """``user`` speaks for the administration that submitted it: an active member focal
        point of the submitting focal point's administration (co-requesters follow it but
        do not change it)."""
        return (
            user.is_active
            and user.role == Role.MEMBER_FOCAL_POINT
            and user.organisation_id is not None
            and user.organisation_id == self.focal_point.organisation_id
        )


class RequestStatusChange(StatusChangeBase):
    """One step of a request's history."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=RequestStatus.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("request status change")
        verbose_name_plural = _("request status changes")

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.from_status or '-'} -> {self.to_status}"

    @property
    def is_edit(self) -> bool:
        """A change of the request's content, not of its status (``request.edited``)."""
        return self.from_status == self.to_status


class Opinion(models.TextChoices):
    """A regional coordinator's opinion on a request the secretariat consults them about."""

    SUPPORT = "support", _("Support")
    CONDITIONS = "conditions", _("Support with conditions")
    OPPOSE = "oppose", _("Do not support")


class Consultation(models.Model):
    """Before accepting a request, the secretariat asks the coordinator of a requesting
    administration's region for an opinion (``ConsultationAnswer``): once per region."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="consultations")
    region = models.CharField(_("WCO region"), max_length=4, choices=Region.choices)
    question = models.TextField(_("question"), max_length=SHORT_TEXT)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "region"], name="one_consultation_per_request_region"
            ),
            *length_checks(question=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.region}"

    @property
    def given(self) -> ConsultationAnswer | None:
        """The answer, if the coordinator has given one."""
        try:
            return self.answer
        except ObjectDoesNotExist:
            return None


class ConsultationAnswer(models.Model):
    """The coordinator's answer: one per consultation (the database refuses a second)."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="answer"
    )
    opinion = models.CharField(_("opinion"), max_length=12, choices=Opinion.choices)
    comment = models.TextField(_("comment"), max_length=SHORT_TEXT, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation answer")
        verbose_name_plural = _("consultation answers")
        constraints = length_checks(comment=SHORT_TEXT)

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.opinion}"
