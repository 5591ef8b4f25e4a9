"""Agreements, their parties, budget lines, documents and history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Organisation
from renfort.lib.audit import AuditedHistory
from renfort.lib.dates import validate_date_in_range
from renfort.lib.history import StatusChangeBase
from renfort.lib.limits import LONG_TEXT, length_checks
from renfort.missions.models import DONE_MISSION_STATUSES, Mission, MissionStatus


class AgreementKind(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral")
    TRIPARTITE = "tripartite", _("Tripartite")
    MULTILATERAL = "multilateral", _("Multilateral")


class PartyRole(models.TextChoices):
    FUNDING = "funding", _("Funding")
    IMPLEMENTING = "implementing", _("Implementing")
    BENEFICIARY = "beneficiary", _("Beneficiary")
    EXTENDING = "extending", _("Extending")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


S = AgreementStatus
# Draft until signed; active while it funds work; closed when done (reopened to record a late
# cost). docs/agreements.md, "Status".
AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.ACTIVE}),
    S.ACTIVE: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.ACTIVE}),
}
# Terms, budget lines and fundings change only while the agreement is draft or active.
OPEN_AGREEMENT_STATUSES = frozenset({S.DRAFT, S.ACTIVE})
# A funded mission commits its agreement's money once it is confirmed (or later).
COMMITTED_MISSION_STATUSES = frozenset({MissionStatus.CONFIRMED}) | DONE_MISSION_STATUSES


class Agreement(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=AgreementKind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
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
    # Through ``MissionFunding`` (models/costs.py, which imports this module).
    missions: models.ManyToManyField[Mission, Any] = models.ManyToManyField(
        Mission,
        verbose_name=_("missions funded"),
        related_name="agreements",
        blank=True,
        through="MissionFunding",
    )

    field_history = AuditedHistory()

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

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_AGREEMENT_STATUSES


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

    field_history = AuditedHistory()

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


class AgreementChange(StatusChangeBase):
    """One step of an agreement's history: a status change (from → to), or a change of its
    terms, budget lines, fundings, costs or documents (from = to, and ``note_code`` says
    what changed, ``agreements/messages.py``)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=8, choices=AgreementStatus.choices, blank=True)
    to_status = models.CharField(max_length=8, choices=AgreementStatus.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("agreement change")
        verbose_name_plural = _("agreement changes")

    def __str__(self) -> str:
        return f"{self.agreement.reference}: {self.from_status or '-'} -> {self.to_status}"


class BudgetLine(models.Model):
    """A named part of an agreement's budget; the lines never exceed the budget together."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="lines")
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    field_history = AuditedHistory()

    class Meta:
        ordering = ["agreement", "position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="budget_line_name_once"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_line_amount_positive"
            ),
            *length_checks(name=200),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    SIGNED = "signed", _("Signed agreement")
    AMENDMENT = "amendment", _("Amendment")
    FINANCIAL = "financial", _("Financial report")
    PROGRESS = "progress", _("Progress report")
    OTHER = "other", _("Other")


class AgreementDocument(models.Model):
    """A PDF kept with an agreement, stored under MEDIA_ROOT and served only to those who may
    see the agreement (``views.documents``), never from a public address."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-uploaded_at", "-id"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        constraints = length_checks(title=200, original_name=200, sha256=64)

    def __str__(self) -> str:
        return self.title
