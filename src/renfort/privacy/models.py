"""Requests to erase an expert's personal data (docs/privacy.md).

A request names the expert by id only: once approved, nothing in Renfort holds the person's
name or e-mail any more, this table included, and the list of approved requests is what
``services.reapply_erasures`` re-runs after an older backup is restored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.lib.limits import SHORT_TEXT, length_checks


class ErasureStatus(models.TextChoices):
    ASKED = "asked", _("Asked")
    APPROVED = "approved", _("Approved: data erased")
    REFUSED = "refused", _("Refused")


class ErasureRequest(models.Model):
    """An expert's (or their focal point's) request to erase the expert's personal data,
    approved or refused by the secretariat."""

    expert = models.ForeignKey(
        "roster.Expert",
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="erasure_requests",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    reason = models.TextField(_("reason"), max_length=SHORT_TEXT)
    status = models.CharField(
        _("status"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.ASKED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), max_length=SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["expert"],
                condition=models.Q(status="asked"),
                name="one_open_erasure_request_per_expert",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["asked", "approved", "refused"]),
                name="erasure_request_status_known",
            ),
            *length_checks(reason=SHORT_TEXT, refusal_reason=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} expert {self.expert_id}: {self.status}"
