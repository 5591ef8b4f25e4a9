"""What missions cost: the agreements that fund each one (and how much), the daily allowance
rate table, each mission's cost estimate, and the actual costs paid after delivery."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renfort.agreements.models.agreements import Agreement, BudgetLine
from renfort.lib.dates import validate_date_in_range
from renfort.lib.limits import length_checks
from renfort.missions.models import Mission


class MissionFunding(models.Model):
    """An agreement funds a mission: the amount it carries (in the agreement's currency), from
    one of its budget lines. The fundings of an agreement never exceed its budget, nor those
    of a line the line (``services.funding``)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="fundings")
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="fundings")
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="fundings",
        null=True,
        blank=True,
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, default=Decimal("0"))
    funded_at = models.DateTimeField(_("funded at"), auto_now_add=True)
    funded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "mission"]
        verbose_name = _("mission funding")
        verbose_name_plural = _("mission fundings")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "mission"], name="funding_once"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="funding_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} → {self.mission.reference}"


class DailyAllowanceRate(models.Model):
    """What one expert day costs in a host country (its daily allowance) and what bringing
    one expert there costs (travel), as the secretariat keeps them."""

    country = models.CharField(
        _("country"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217."))
    daily_allowance = models.DecimalField(_("daily allowance"), max_digits=10, decimal_places=2)
    travel = models.DecimalField(
        _("travel per expert"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("An example figure (the demo's), not an official rate."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["country"]
        verbose_name = _("daily allowance rate")
        verbose_name_plural = _("daily allowance rates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_allowance__gte=0) & models.Q(travel__gte=0),
                name="allowance_rate_not_negative",
            ),
            *length_checks(country=2, currency=3),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.daily_allowance} {self.currency}"


class MissionCostEstimate(models.Model):
    """A mission's cost as last computed (``services.costs.mission_cost_estimate``): expert
    days × the host country's daily allowance, plus travel per expert, in the rate's
    currency. Kept with the figures it used, so it reads the same after the rates change."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="cost_estimate")
    country = models.CharField(_("host country"), max_length=2)
    currency = models.CharField(_("currency"), max_length=3)
    experts = models.PositiveSmallIntegerField(_("experts"))
    days = models.PositiveSmallIntegerField(_("days"))
    daily_allowance = models.DecimalField(_("daily allowance"), max_digits=10, decimal_places=2)
    travel_per_expert = models.DecimalField(_("travel per expert"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("estimate"), max_digits=14, decimal_places=2)
    illustrative = models.BooleanField(_("illustrative rate"), default=False)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("mission cost estimate")
        verbose_name_plural = _("mission cost estimates")
        constraints = length_checks(country=2, currency=3)

    def __str__(self) -> str:
        return f"{self.mission.reference}: {self.total} {self.currency}"

    @property
    def expert_days(self) -> int:
        return self.experts * self.days

    @property
    def allowances(self) -> Decimal:
        return self.expert_days * self.daily_allowance

    @property
    def travel(self) -> Decimal:
        return self.experts * self.travel_per_expert


class ActualCost(models.Model):
    """What was paid for a delivered mission, on one budget line of an agreement that funds it,
    in the agreement's currency (``amount``); when paid in another currency, the amount paid,
    its currency and the rate used (agreement currency per unit paid) are kept beside it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="actual_costs")
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="actual_costs",
    )
    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.PROTECT, related_name="actual_costs"
    )
    description = models.CharField(_("description"), max_length=200)
    paid_on = models.DateField(_("paid on"), validators=[validate_date_in_range])
    paid_amount = models.DecimalField(_("amount paid"), max_digits=14, decimal_places=2)
    paid_currency = models.CharField(_("currency paid"), max_length=3)
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=16, decimal_places=6, default=Decimal("1")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    recorded_at = models.DateTimeField(pgettext_lazy("agreement", "recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "-paid_on", "-id"]
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paid_amount__gt=0)
                & models.Q(amount__gt=0)
                & models.Q(exchange_rate__gt=0),
                name="actual_cost_positive",
            ),
            *length_checks(description=200, paid_currency=3),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.mission.reference}: {self.amount}"
