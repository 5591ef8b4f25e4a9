"""Who confirmed a mission's terms of reference, and which version of them.

Kept apart from ``models.py`` (re-exported there) so that each module stays readable. The
mission is named as ``"missions.Mission"``: this module is imported by ``models`` itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.lib.limits import length_checks

FINGERPRINT_LENGTH = 64


class TermsConfirmation(models.Model):
    """A beneficiary administration confirms the terms of reference of a mission as they read
    them: ``fingerprint`` is the SHA-256 of their content (``missions.terms``). When the terms
    change (dates, venue, slots, experts, requests, objectives) the fingerprint changes and
    the earlier confirmation no longer counts; the row stays as history."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="terms_confirmations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("administration"),
        on_delete=models.PROTECT,
        related_name="terms_confirmations",
    )
    fingerprint = models.CharField(_("version"), max_length=FINGERPRINT_LENGTH)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        verbose_name = _("terms of reference confirmation")
        verbose_name_plural = _("terms of reference confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "organisation", "fingerprint"],
                name="one_terms_confirmation_per_version",
            ),
            *length_checks(fingerprint=FINGERPRINT_LENGTH),
        ]

    def __str__(self) -> str:
        return f"{self.mission_id}/{self.organisation_id}: {self.fingerprint[:8]}"

    @property
    def version(self) -> str:
        """The short form people see ("3fa2c1d9")."""
        return self.fingerprint[:8]
