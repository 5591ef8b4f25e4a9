"""An agreement's budget lines: together never more than its budget; each never less than
what is funded from it or spent on it."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.agreements.messages import amount_param, money
from renfort.agreements.models import Agreement, BudgetLine
from renfort.agreements.services.common import (
    Errors,
    amount_error,
    history_add,
    lock_agreement,
    open_error,
    over,
    total,
)
from renfort.lib.limits import length_errors

# A bound on the lines of one agreement, so that its page stays one page.
MAX_LINES = 30


def _line_errors(
    agreement: Agreement, name: str, amount: Decimal | int | str, line: BudgetLine | None
) -> tuple[Decimal, Errors]:
    """Check a line's name and amount against the agreement (locked by the caller)."""
    errors = Errors()
    if problem := open_error(agreement):
        raise ValidationError(problem)
    if not name:
        errors.add("name", _("Name: required."))
    for key, message in length_errors(BudgetLine, name=name).items():
        errors.add(key, message)
    others = BudgetLine.objects.filter(agreement=agreement)
    if line is not None:
        others = others.exclude(pk=line.pk)
    elif others.count() >= MAX_LINES:
        errors.add(
            "name",
            _("Name: agreement %(agreement)s has %(max)s budget lines already, the most it takes.")
            % {"agreement": agreement.reference, "max": MAX_LINES},
        )
    if name and others.filter(name=name).exists():
        errors.add(
            "name",
            _("Name: agreement %(agreement)s has a line “%(name)s” already.")
            % {"agreement": agreement.reference, "name": name},
        )
    value, problem = amount_error(amount, _("Amount"))
    if problem or value is None:
        errors.add("amount", problem or "")
        return Decimal("0"), errors
    lines = total(others) + value
    if lines > agreement.budget:
        errors.add(
            "amount",
            over(
                _("Amount"),
                _("the budget lines of %(agreement)s") % {"agreement": agreement.reference},
                lines,
                agreement.budget,
                agreement.currency,
            )
            + " "
            + _("Raise the budget first, or lower another line."),
        )
    return value, errors


def _fresh(line: BudgetLine) -> BudgetLine:
    """The line as committed now (its agreement locked), or a refusal if it is gone."""
    fresh = BudgetLine.objects.filter(pk=line.pk).first()
    if fresh is None:
        raise ValidationError(_("This budget line was removed meanwhile; reload the page."))
    return fresh


def _held_errors(errors: Errors, line: BudgetLine, amount: Decimal, currency: str) -> None:
    """A line never drops below what is funded from it or spent on it."""
    for what, held in (
        (_("the missions funded from it"), total(line.fundings.all())),
        (_("the actual costs recorded on it"), total(line.actual_costs.all())),
    ):
        if amount < held:
            errors.add(
                "amount",
                _("Amount: %(amount)s is less than %(what)s (%(held)s).")
                % {"amount": money(amount, currency), "what": what, "held": money(held, currency)},
            )


@transaction.atomic
def budget_line_add(
    *, agreement: Agreement, name: str, amount: Decimal | int | str, by: User | None = None
) -> BudgetLine:
    """A new line of an open agreement's budget; the lines never exceed the budget."""
    agreement = lock_agreement(agreement.pk)
    name = name.strip()
    value, errors = _line_errors(agreement, name, amount, None)
    errors.raise_if_any()
    last = agreement.lines.aggregate(n=Max("position"))["n"] or 0
    line = BudgetLine.objects.create(
        agreement=agreement, name=name, amount=value, position=last + 1
    )
    history_add(
        agreement,
        by=by,
        code="agreement.line_added",
        params={"line": name, "amount": amount_param(value, agreement.currency)},
    )
    return line


@transaction.atomic
def budget_line_update(
    *, line: BudgetLine, name: str, amount: Decimal | int | str, by: User | None = None
) -> BudgetLine:
    """Rename a line or change its amount: the lines never exceed the budget, and the line
    never drops below what is funded from it or spent on it."""
    agreement = lock_agreement(line.agreement_id)
    line = _fresh(line)
    name = name.strip()
    value, errors = _line_errors(agreement, name, amount, line)
    if not errors:
        _held_errors(errors, line, value, agreement.currency)
    errors.raise_if_any()
    line.name, line.amount = name, value
    line.save(update_fields=["name", "amount"])
    history_add(
        agreement,
        by=by,
        code="agreement.line_changed",
        params={"line": name, "amount": amount_param(value, agreement.currency)},
    )
    return line


@transaction.atomic
def budget_line_remove(*, line: BudgetLine, by: User | None = None) -> None:
    """Remove a line nothing is funded from or spent on."""
    agreement = lock_agreement(line.agreement_id)
    line = _fresh(line)
    if problem := open_error(agreement):
        raise ValidationError(problem)
    if line.fundings.exists() or line.actual_costs.exists():
        raise ValidationError(
            _(
                "Budget line “%(line)s” funds missions or carries costs: move them to another "
                "line before removing it."
            )
            % {"line": line.name}
        )
    line.delete()
    history_add(agreement, by=by, code="agreement.line_removed", params={"line": line.name})
