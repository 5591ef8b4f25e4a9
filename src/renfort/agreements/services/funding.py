"""Agreements fund missions: the amount each carries, from which budget line. The fundings of
an agreement never exceed its budget, nor those of a line the line, also when two
coordinators charge one agreement at the same moment (the agreement row is locked first)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.agreements.messages import amount_param, money
from renfort.agreements.models import Agreement, BudgetLine, MissionFunding
from renfort.agreements.services.agreements import mission_period_error
from renfort.agreements.services.common import (
    Errors,
    amount_error,
    history_add,
    lock_agreement,
    open_error,
    over,
    total,
)
from renfort.lib.messages import DASH
from renfort.missions.models import Mission


def mission_by_reference(reference: str) -> Mission:
    """The mission a person named by its reference ("M-2027-014"), or a refusal keyed by
    ``mission``."""
    reference = reference.strip()
    if not reference:
        raise ValidationError(
            {"mission": _("Mission: give the reference of a mission, such as M-2027-014.")}
        )
    mission = Mission.objects.filter(reference__iexact=reference).first()
    if mission is None:
        raise ValidationError(
            {"mission": _("Mission: no mission has the reference %(ref)s.") % {"ref": reference}}
        )
    return mission


def _line(agreement: Agreement, line: BudgetLine | None, errors: Errors) -> BudgetLine | None:
    """The budget line, fresh, if it belongs to the agreement; required when it has lines."""
    if line is None:
        if agreement.lines.exists():
            errors.add(
                "budget_line",
                _("Budget line: choose one of the lines of %(agreement)s.")
                % {"agreement": agreement.reference},
            )
        return None
    fresh = agreement.lines.filter(pk=line.pk).first()
    if fresh is None:
        errors.add(
            "budget_line",
            _("Budget line: “%(line)s” is not a line of %(agreement)s.")
            % {"line": line.name, "agreement": agreement.reference},
        )
    return fresh


def _budget_errors(
    errors: Errors, agreement: Agreement, mission: Mission, line: BudgetLine | None, amount: Decimal
) -> None:
    """The fundings stay within the budget and the line; a funding stays above what was
    spent on the mission under this agreement."""
    others = MissionFunding.objects.filter(agreement=agreement).exclude(mission=mission)
    funded = total(others) + amount
    if funded > agreement.budget:
        what = _("the missions funded by %(agreement)s") % {"agreement": agreement.reference}
        errors.add("amount", over(_("Amount"), what, funded, agreement.budget, agreement.currency))
    if line is not None:
        on_line = total(others.filter(budget_line=line)) + amount
        if on_line > line.amount:
            what = _("the missions funded from “%(line)s” of %(agreement)s") % {
                "line": line.name,
                "agreement": agreement.reference,
            }
            errors.add("amount", over(_("Amount"), what, on_line, line.amount, agreement.currency))
    spent = total(agreement.actual_costs.filter(mission=mission))
    if amount < spent:
        errors.add(
            "amount",
            _("Amount: %(amount)s is less than the actual costs of %(mission)s (%(spent)s).")
            % {
                "amount": money(amount, agreement.currency),
                "mission": mission.reference,
                "spent": money(spent, agreement.currency),
            },
        )


@transaction.atomic
def agreement_fund_mission(
    *,
    agreement: Agreement,
    mission: Mission | str,
    amount: Decimal | int | str,
    budget_line: BudgetLine | None = None,
    by: User | None = None,
) -> MissionFunding:
    """``agreement`` funds ``mission`` (or the mission of that reference) with ``amount`` (in
    the agreement's currency) from ``budget_line``; funding it again changes the amount and
    line. The agreement is locked first: its fundings never exceed its budget, nor a line's
    the line, whoever charges it at the same moment."""
    agreement = lock_agreement(agreement.pk)
    if problem := open_error(agreement):
        raise ValidationError(problem)
    errors = Errors()
    if isinstance(mission, str):
        mission = mission_by_reference(mission)
    if problem := mission_period_error(agreement, mission):
        errors.add("mission", problem)
    line = _line(agreement, budget_line, errors)
    value, problem = amount_error(amount, _("Amount"), positive=True)
    if problem or value is None:
        errors.add("amount", problem or "")
    else:
        _budget_errors(errors, agreement, mission, line, value)
    errors.raise_if_any()
    assert value is not None
    funding, _created = MissionFunding.objects.update_or_create(
        agreement=agreement,
        mission=mission,
        defaults={"amount": value, "budget_line": line},
        create_defaults={"amount": value, "budget_line": line, "funded_by": by},
    )
    history_add(
        agreement,
        by=by,
        code="agreement.mission_funded",
        params={
            "mission": mission.reference,
            "amount": amount_param(value, agreement.currency),
            "line": line.name if line is not None else DASH,
        },
    )
    return funding


@transaction.atomic
def mission_funding_remove(*, funding: MissionFunding, by: User | None = None) -> None:
    """The agreement no longer funds the mission; refused once costs are recorded for it."""
    agreement = lock_agreement(funding.agreement_id)
    if problem := open_error(agreement):
        raise ValidationError(problem)
    fresh = MissionFunding.objects.select_related("mission").filter(pk=funding.pk).first()
    if fresh is None:
        raise ValidationError(_("This funding was removed meanwhile; reload the page."))
    funding = fresh
    if agreement.actual_costs.filter(mission=funding.mission).exists():
        raise ValidationError(
            _(
                "Mission %(mission)s has actual costs recorded under %(agreement)s: its funding "
                "stays."
            )
            % {"mission": funding.mission.reference, "agreement": agreement.reference}
        )
    funding.delete()
    history_add(
        agreement,
        by=by,
        code="agreement.funding_removed",
        params={"mission": funding.mission.reference},
    )
