"""Organisations (administrations, donors, the secretariat, regional offices) and their users."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.lib.audit import AuditedHistory
from renfort.lib.limits import LONG_TEXT, length_checks
from renfort.lib.messages import CODE_MAX, Text, render


class Region(models.TextChoices):
    """The six WCO regions."""

    AMERICAS_CARIBBEAN = "AMC", _("Americas & Caribbean")
    EUROPE = "EUR", _("Europe")
    ASIA_PACIFIC = "APA", _("Asia Pacific")
    NORTH_AFRICA_NEAR_MIDDLE_EAST = "MENA", _("North Africa, Near & Middle East")
    EAST_SOUTHERN_AFRICA = "ESA", _("East & Southern Africa")
    WEST_CENTRAL_AFRICA = "WCA", _("West & Central Africa")


class OrganisationKind(models.TextChoices):
    MEMBER_ADMINISTRATION = "member", _("Member administration")
    DONOR_AGENCY = "donor", _("Donor agency")
    SECRETARIAT = "secretariat", _("Secretariat")
    REGIONAL_OFFICE = "regional_office", _("Regional office")


class Organisation(models.Model):
    """A party to capacity building.

    A member administration can be beneficiary (it requests help) and donor (it lends experts
    or funds work) at once: both follow from what it does, not from a flag of its kind.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    region = models.CharField(_("WCO region"), max_length=4, choices=Region.choices, blank=True)
    languages = models.JSONField(
        _("working languages"), default=list, blank=True, help_text=_("ISO 639-1 codes.")
    )
    lends_experts = models.BooleanField(_("lends experts"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=models.Q(kind="member"),
                name="one_member_administration_per_country",
            ),
            *length_checks(name=200, short_name=40, country=2),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_member(self) -> bool:
        return self.kind == OrganisationKind.MEMBER_ADMINISTRATION


class Role(models.TextChoices):
    SECRETARIAT_COORDINATOR = "secretariat", _("Secretariat coordinator")
    REGIONAL_COORDINATOR = "regional", _("Regional coordinator")
    MEMBER_FOCAL_POINT = "member", _("Member focal point")
    DONOR_FOCAL_POINT = "donor", _("Donor focal point")
    EXPERT = "expert", _("Expert")


class NotificationMail(models.TextChoices):
    """How a person wants their notifications by e-mail (the inbox always has them)."""

    IMMEDIATE = "immediate", _("One e-mail for each notification, as it arrives")
    DAILY = "daily", _("One e-mail a day with the day's unread notifications")
    NONE = "none", _("No e-mail: I read my inbox in Renfort")


class User(AbstractUser):
    """A person who signs in: always of one organisation, with one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, blank=True, default="en")
    notification_mail = models.CharField(
        _("notifications by e-mail"),
        max_length=10,
        choices=NotificationMail.choices,
        default=NotificationMail.IMMEDIATE,
    )

    field_history = AuditedHistory(excluded_fields=["password", "last_login", "date_joined"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            *length_checks(
                username=150, first_name=150, last_name=150, email=254, password=128, language=8
            ),
            models.CheckConstraint(
                condition=models.Q(notification_mail__in=NotificationMail.values),
                name="user_notification_mail_known",
            ),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username

    @property
    def region(self) -> str:
        """The region a regional coordinator covers: that of their office."""
        return self.organisation.region if self.organisation else ""


class Notification(models.Model):
    """One message in a user's in-app inbox (also sent by mail).

    Stored as a message ``code`` and its ``params`` (``lib.messages``) and rendered in the
    reader's language when read (``text``). Rows written before codes existed keep the
    sentences of their ``subject`` and ``body`` and show them as they are.
    """

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    code = models.CharField(_("message code"), max_length=CODE_MAX, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"), max_length=LONG_TEXT, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The inbox, newest first: one person's page without sorting all their years.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
        ]
        constraints = length_checks(code=CODE_MAX, subject=200, body=LONG_TEXT, link=300)

    def __str__(self) -> str:
        return self.subject_text

    def text(self, language: str | None = None) -> Text:
        """Subject and body in ``language`` (default: the active one, the reader's)."""
        if self.code:
            return render(self.code, self.params, language)
        return Text(self.subject, self.body)

    @property
    def subject_text(self) -> str:
        return self.text().subject

    @property
    def body_text(self) -> str:
        return self.text().body


class DigestSent(models.Model):
    """The daily digest a person was sent one day: one row per person and day, written before
    the mail leaves, so a second run the same day (or a simultaneous one) sends nothing."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="digests", verbose_name=_("recipient")
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"))
    notifications = models.PositiveIntegerField(_("notifications"))

    class Meta:
        ordering = ["-day", "recipient_id"]
        verbose_name = _("daily digest sent")
        verbose_name_plural = _("daily digests sent")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_user_day")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day.isoformat()}"


class ReferenceCounter(models.Model):
    """The last number given to a human reference ``<prefix>-<year>-<n>`` (``R``, ``M``).

    One row per prefix and year, locked while a number is taken (``accounts.references``), so
    that simultaneous writers never draw the same reference.
    """

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year"),
            *length_checks(prefix=8),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


# Invitations live in their own module; imported here so that Django registers the model.
from renfort.accounts.invitation_models import Invitation  # noqa: E402, F401
