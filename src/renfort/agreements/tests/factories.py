"""Agreements ready for money tests: made through the services, with budget lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from renfort.agreements.models import Agreement, AgreementStatus, BudgetLine, PartyRole
from renfort.agreements.services import (
    agreement_create,
    agreement_transition,
    allowance_rate_set,
    budget_line_add,
)
from renfort.testing import Personas, next_year

_n = iter(range(1, 10_000))


def funded_agreement(
    p: Personas,
    *,
    budget: str = "10000",
    lines: tuple[tuple[str, str], ...] = (("Expert missions", "6000"), ("Venues", "4000")),
    status: str = AgreementStatus.ACTIVE,
    currency: str = "EUR",
    **kwargs: Any,
) -> tuple[Agreement, list[BudgetLine]]:
    """A bilateral agreement (the donor funds Senegal) for next year, with ``lines``."""
    values: dict[str, Any] = {
        "reference": f"AG-F{next(_n):04d}",
        "title": "Risk management in Senegal",
        "kind": "bilateral",
        "start": next_year(1, 1),
        "end": next_year(12, 31),
        "budget": Decimal(budget),
        "currency": currency,
        "parties": [(p.donor_agency, PartyRole.FUNDING), (p.admin_a, PartyRole.BENEFICIARY)],
        "by": p.secretariat,
    }
    values.update(kwargs)
    agreement = agreement_create(**values)
    made = [
        budget_line_add(agreement=agreement, name=name, amount=Decimal(amount), by=p.secretariat)
        for name, amount in lines
    ]
    if status != AgreementStatus.DRAFT:
        agreement = agreement_transition(
            agreement=agreement, to_status=AgreementStatus.ACTIVE, by=p.secretariat
        )
    if status == AgreementStatus.CLOSED:
        agreement = agreement_transition(
            agreement=agreement, to_status=AgreementStatus.CLOSED, by=p.secretariat
        )
    return agreement, made


def senegal_rate(daily: str = "200", travel: str = "1000") -> None:
    allowance_rate_set(
        country="SN", currency="EUR", daily_allowance=Decimal(daily), travel=Decimal(travel)
    )
