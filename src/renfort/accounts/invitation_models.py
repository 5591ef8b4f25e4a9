"""Invitations to open an account: an e-mailed, single-use, expiring link to set a password.

Only a hash of the link's token is stored (``token_hash``, SHA-256 of a 256-bit random
token): someone who reads the table cannot use a pending invitation. The services are in
``accounts.invitations``; who may invite whom is ``accounts.invitations.INVITATION_RULES``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renfort.lib.limits import length_checks

NAME_MAX = 80  # an expert record's names hold 80 characters (roster.Expert)
EMAIL_MAX = 150  # the address becomes the username, which holds 150
# The values of ``accounts.models.Role`` (this module cannot import it: models.py imports this
# one); ``test_invitations`` checks that both agree.
ROLE_VALUES = ("secretariat", "regional", "member", "donor", "expert")


class InvitationState(models.TextChoices):
    """Where an invitation stands, read from its dates (``Invitation.state``)."""

    PENDING = "pending", _("Pending")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither used nor revoked (expired ones included: they still block nothing)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now: datetime.datetime | None = None) -> InvitationQuerySet:
        """Open and not yet expired: the link still works."""
        return self.open().filter(expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An invitation of one person into one organisation with one role."""

    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20)
    email = models.EmailField(_("e-mail address"), max_length=EMAIL_MAX)
    first_name = models.CharField(_("first name"), max_length=NAME_MAX)
    last_name = models.CharField(_("last name"), max_length=NAME_MAX)
    language = models.CharField(
        _("language of the invitation"), max_length=8, default="en", blank=True
    )
    # The expert record the new login joins (an expert invitation always names one).
    expert = models.ForeignKey(
        "roster.Expert",
        verbose_name=_("expert"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["organisation", "used_at"], name="invitation_org_used")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=ROLE_VALUES), name="invitation_role_known"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_used_or_revoked_not_both",
            ),
            *length_checks(
                role=20,
                email=EMAIL_MAX,
                first_name=NAME_MAX,
                last_name=NAME_MAX,
                language=8,
                token_hash=64,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def state_at(self, now: datetime.datetime) -> InvitationState:
        if self.used_at is not None:
            return InvitationState.USED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def state(self) -> InvitationState:
        return self.state_at(timezone.now())
