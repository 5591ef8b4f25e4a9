"""Coordination agreements: who funds, implements, benefits from and extends which missions."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.lib.dates import validate_date_in_range
from renfort.lib.limits import LONG_TEXT, length_checks
from renfort.missions.models import Mission


class AgreementKind(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral")
    TRIPARTITE = "tripartite", _("Tripartite")
    MULTILATERAL = "multilateral", _("Multilateral")


class PartyRole(models.TextChoices):
    FUNDING = "funding", _("Funding")
    IMPLEMENTING = "implementing", _("Implementing")
    BENEFICIARY = "beneficiary", _("Beneficiary")
    EXTENDING = "extending", _("Extending")


class Agreement(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=AgreementKind.choices)
    start = models.DateField(_("from"), validators=[validate_date_in_range])
    end = models.DateField(_("to"), validators=[validate_date_in_range])
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", help_text=_("ISO 4217.")
    )
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    missions = models.ManyToManyField(
        Mission, verbose_name=_("missions funded"), related_name="agreements", blank=True
    )

    class Meta:
        ordering = ["-start", "reference"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="agreement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="agreement_budget_positive"
            ),
            *length_checks(reference=20, title=200, currency=3, description=LONG_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)
    contribution = models.DecimalField(
        _("contribution"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["agreement", "role"]
        verbose_name = _("agreement party")
        verbose_name_plural = _("agreement parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation", "role"], name="party_role_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"
