"""Experts that lending administrations offer for open slots through the Experts' Requirement
Matrix (``SlotOffer``), until a coordinator assigns one of them.

Kept apart from ``models.py`` (re-exported there) so that each module stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.roster.models import Expert


class SlotOffer(models.Model):
    """An expert offered for a slot by their home administration. The slot stays open (the
    offer is no assignment) until a coordinator assigns the expert (``assignment``), the
    rules checked again then."""

    slot = models.ForeignKey("missions.Slot", on_delete=models.CASCADE, related_name="offers")
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="slot_offers"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("offered by"), on_delete=models.CASCADE, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("offered at"), auto_now_add=True)
    # The assignment a coordinator made of it; empty while the offer waits.
    assignment = models.OneToOneField(
        "missions.Assignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offer",
    )

    class Meta:
        ordering = ["slot", "at", "id"]
        verbose_name = _("expert offer")
        verbose_name_plural = _("expert offers")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "expert"],
                condition=models.Q(assignment__isnull=True),
                name="one_open_offer_per_slot_expert",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot_id}: {self.expert} ({self.organisation})"
