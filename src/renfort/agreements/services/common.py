"""What the agreement services share: amounts and currencies checked the same way, the
agreement lock, the history row, and refusals collected by field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.agreements.messages import money
from renfort.agreements.models import Agreement, AgreementChange
from renfort.lib import messages

# Amount columns hold 14 digits, 2 after the point.
MAX_AMOUNT = Decimal("999999999999.99")
# Rate columns (daily allowance, travel) hold 10 digits, 2 after the point.
MAX_RATE = Decimal("99999999.99")
CENT = Decimal("0.01")


class Errors(dict[str, list[str]]):
    """Refusals collected by field, raised together (``raise_if_any``)."""

    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def amount_error(
    value: Decimal | int | str | None,
    label: str,
    *,
    positive: bool = False,
    most: Decimal = MAX_AMOUNT,
) -> tuple[Decimal | None, str | None]:
    """``value`` as an amount in cents its column holds, or why it is not one."""
    try:
        amount = Decimal(str(value).strip()) if value is not None else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        return None, _("%(label)s: %(value)s is not an amount.") % {"label": label, "value": value}
    if amount < 0:
        return amount, _("%(label)s: %(value)s is negative.") % {"label": label, "value": amount}
    if positive and amount == 0:
        return amount, _("%(label)s: give an amount more than zero.") % {"label": label}
    if amount > most:
        return amount, _("%(label)s: %(value)s is more than %(max)s.") % {
            "label": label,
            "value": amount,
            "max": most,
        }
    if amount != amount.quantize(CENT):
        return amount, _("%(label)s: %(value)s has more than two decimals.") % {
            "label": label,
            "value": amount,
        }
    return amount, None


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def currency_error(currency: str, label: str) -> str | None:
    """Why ``currency`` is not an ISO 4217 code, or None."""
    if len(currency) == 3 and currency.isascii() and currency in _currencies():
        return None
    return _("%(label)s: %(currency)s is not a 3-letter ISO 4217 code such as EUR.") % {
        "label": label,
        "currency": currency or "–",
    }


def lock_agreement(pk: int) -> Agreement:
    """The agreement row, locked until the transaction ends, as committed now.

    Every write that changes what an agreement's money rules read (its budget, lines,
    fundings, actual costs) locks the agreement first, and nothing else before it: two
    coordinators charging one agreement run one after the other (docs/agreements.md).
    """
    return Agreement.objects.select_for_update().get(pk=pk)


def total(qs: Any, field: str = "amount") -> Decimal:
    """The sum of ``field`` over ``qs`` (0 for none)."""
    return qs.aggregate(n=Sum(field))["n"] or Decimal("0")


def over(label: str, what: str, amount: Decimal, limit: Decimal, currency: str) -> str:
    """'Amount: the fundings of AG-1 would reach 12,000.00 EUR, over its budget of 10,000.00
    EUR by 2,000.00 EUR.'"""
    return _("%(label)s: %(what)s would reach %(amount)s, over %(limit)s by %(excess)s.") % {
        "label": label,
        "what": what,
        "amount": money(amount, currency),
        "limit": money(limit, currency),
        "excess": money(amount - limit, currency),
    }


def history_add(
    agreement: Agreement,
    *,
    by: User | None,
    code: str = "",
    params: dict[str, Any] | None = None,
    from_status: str | None = None,
    note: str = "",
) -> AgreementChange:
    """A row of the agreement's history: a status change when ``from_status`` is given (and
    differs), else a change at the current status that ``code`` describes."""
    if code:
        messages.check(code, params or {})
    return AgreementChange.objects.create(
        agreement=agreement,
        from_status=agreement.status if from_status is None else from_status,
        to_status=agreement.status,
        by=by if by is not None and by.pk else None,
        note=note,
        note_code=code,
        note_params=params or {},
    )


def open_error(agreement: Agreement) -> str | None:
    """Why the agreement's terms, lines and fundings cannot change now, or None."""
    if agreement.is_open:
        return None
    return _("Agreement %(agreement)s is closed: reopen it before changing it.") % {
        "agreement": agreement.reference
    }
