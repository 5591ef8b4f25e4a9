"""Actual costs: what was paid for a delivered mission, on one budget line of an agreement that
funds it, in the agreement's currency (converted at the rate used when paid in another)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.agreements.messages import amount_param
from renfort.agreements.models import ActualCost, Agreement, AgreementStatus, BudgetLine
from renfort.agreements.services.common import (
    CENT,
    Errors,
    amount_error,
    currency_error,
    history_add,
    lock_agreement,
    over,
    total,
)
from renfort.agreements.services.funding import mission_by_reference
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.missions.models import DONE_MISSION_STATUSES, Mission

# The exchange rate column holds 10 digits before the point and 6 after.
MAX_EXCHANGE_RATE = Decimal("9999999999.999999")
RATE_PLACES = Decimal("0.000001")


def _decimal(value: Decimal | int | str | None) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _exchange_rate(
    errors: Errors, rate: Decimal | int | str | None, paid_currency: str, currency: str
) -> Decimal | None:
    """The rate used (``currency`` per unit of ``paid_currency``): 1 in the same currency,
    required and positive in another."""
    if paid_currency == currency:
        if rate not in (None, "") and _decimal(rate) != 1:
            errors.add(
                "exchange_rate",
                _("Exchange rate: paid in %(currency)s, the agreement's currency: leave it empty.")
                % {"currency": currency},
            )
        return Decimal("1")
    value = _decimal(rate)
    if value is None or not value.is_finite() or value <= 0 or value > MAX_EXCHANGE_RATE:
        errors.add(
            "exchange_rate",
            _(
                "Exchange rate: paid in %(paid)s, give the rate used: how many %(currency)s one "
                "%(paid)s was worth (a number more than zero)."
            )
            % {"paid": paid_currency, "currency": currency},
        )
        return None
    if value != value.quantize(RATE_PLACES):
        errors.add("exchange_rate", _("Exchange rate: at most six decimals."))
        return None
    return value


def _mission_errors(errors: Errors, agreement: Agreement, mission: Mission) -> None:
    names = {"mission": mission.reference, "agreement": agreement.reference}
    if not agreement.fundings.filter(mission=mission).exists():
        errors.add(
            "mission",
            _("Mission: %(agreement)s does not fund %(mission)s; fund it first.") % names,
        )
    elif mission.status not in DONE_MISSION_STATUSES:
        errors.add(
            "mission",
            _("Mission: %(mission)s is %(status)s; actual costs are recorded once delivered.")
            % {**names, "status": mission.get_status_display().lower()},
        )


def _limit_errors(errors: Errors, agreement: Agreement, line: BudgetLine, amount: Decimal) -> None:
    """Spending stays within the line (and so within the budget, which holds the lines)."""
    spent = total(agreement.actual_costs.filter(budget_line=line)) + amount
    if spent > line.amount:
        what = _("the costs recorded on “%(line)s” of %(agreement)s") % {
            "line": line.name,
            "agreement": agreement.reference,
        }
        errors.add(
            "paid_amount", over(_("Amount paid"), what, spent, line.amount, agreement.currency)
        )


def _text_errors(
    errors: Errors, description: str, paid_on: datetime.date, today: datetime.date
) -> None:
    if not description:
        errors.add("description", _("Description: say what was paid (allowances, travel…)."))
    for key, message in {
        **length_errors(ActualCost, description=description),
        **out_of_range(paid_on=(_("Paid on"), paid_on)),
    }.items():
        errors.add(key, message)
    if "paid_on" not in errors and paid_on > today:
        errors.add("paid_on", _("Paid on: %(day)s is in the future.") % {"day": paid_on})


def _amounts(
    errors: Errors,
    agreement: Agreement,
    paid_amount: Decimal | int | str,
    paid_currency: str,
    exchange_rate: Decimal | int | str | None,
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """The amount paid, the amount in the agreement's currency, and the rate used."""
    paid, problem = amount_error(paid_amount, _("Amount paid"), positive=True)
    if problem:
        errors.add("paid_amount", problem)
    if currency_problem := currency_error(paid_currency, _("Currency paid")):
        errors.add("paid_currency", currency_problem)
        return paid, None, None
    rate = _exchange_rate(errors, exchange_rate, paid_currency, agreement.currency)
    if paid is None or rate is None or problem:
        return paid, None, rate
    amount = (paid * rate).quantize(CENT, ROUND_HALF_UP)
    _value, problem = amount_error(amount, _("Amount"), positive=True)
    if problem:
        errors.add("exchange_rate", problem)
        return paid, None, rate
    return paid, amount, rate


@transaction.atomic
def actual_cost_record(
    *,
    agreement: Agreement,
    mission: Mission | str,
    budget_line: BudgetLine | None,
    description: str,
    paid_on: datetime.date,
    paid_amount: Decimal | int | str,
    paid_currency: str,
    exchange_rate: Decimal | int | str | None = None,
    by: User | None = None,
    today: datetime.date | None = None,
) -> ActualCost:
    """Record what was paid for a delivered mission that ``agreement`` (active) funds, on one
    of its budget lines. Paid in another currency, the rate used converts it into the
    agreement's; the costs never exceed the line nor the budget (the agreement is locked
    first). ``today`` is the day of recording (payments lie on or before it)."""
    agreement = lock_agreement(agreement.pk)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(
            _("Agreement %(agreement)s is %(status)s: costs are recorded while it is active.")
            % {"agreement": agreement.reference, "status": agreement.get_status_display().lower()}
        )
    if isinstance(mission, str):
        mission = mission_by_reference(mission)
    errors = Errors()
    _mission_errors(errors, agreement, mission)
    line = agreement.lines.filter(pk=budget_line.pk).first() if budget_line else None
    if line is None:
        errors.add(
            "budget_line",
            _("Budget line: choose one of the lines of %(agreement)s.")
            % {"agreement": agreement.reference},
        )
    description = description.strip()
    _text_errors(errors, description, paid_on, today or timezone.localdate())
    paid_currency = (paid_currency or "").strip().upper()
    paid, amount, rate = _amounts(errors, agreement, paid_amount, paid_currency, exchange_rate)
    if amount is not None and line is not None:
        _limit_errors(errors, agreement, line, amount)
    errors.raise_if_any()
    assert amount is not None and line is not None and paid is not None and rate is not None
    cost = ActualCost.objects.create(
        agreement=agreement,
        budget_line=line,
        mission=mission,
        description=description,
        paid_on=paid_on,
        paid_amount=paid,
        paid_currency=paid_currency,
        exchange_rate=rate,
        amount=amount,
        recorded_by=by,
    )
    history_add(
        agreement,
        by=by,
        code="agreement.cost_recorded",
        params={
            "mission": mission.reference,
            "line": line.name,
            "amount": amount_param(amount, agreement.currency),
        },
    )
    return cost
