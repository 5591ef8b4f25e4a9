"""The money of an IATI activity: budgets per year, commitments and expenditures
(docs/iati.md, "Money")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from lxml import etree

from renfort.agreements.models import COMMITTED_MISSION_STATUSES, Agreement
from renfort.exports import iati_codes as codes
from renfort.exports.iati_text import identifier, text_element
from renfort.missions.models import Mission


def budget(
    activity: etree._Element,
    start: datetime.date,
    end: datetime.date,
    amount: Decimal,
    currency: str,
    status: str,
) -> None:
    """One budget per calendar year of the period (IATI asks for periods of a year at most),
    the amount spread in proportion to the days of each year, cents kept exact."""
    years = list(range(start.year, end.year + 1))
    spans = [
        (max(start, datetime.date(y, 1, 1)), min(end, datetime.date(y, 12, 31))) for y in years
    ]
    total_days = sum((b - a).days + 1 for a, b in spans)
    left = amount
    for i, (a, b) in enumerate(spans):
        if i == len(spans) - 1:
            part = left
        else:
            part = (amount * ((b - a).days + 1) / total_days).quantize(Decimal("0.01"))
            left -= part
        node = etree.SubElement(activity, "budget", type=codes.BUDGET_ORIGINAL, status=status)
        etree.SubElement(node, "period-start", attrib={"iso-date": a.isoformat()})
        etree.SubElement(node, "period-end", attrib={"iso-date": b.isoformat()})
        value = etree.SubElement(
            node, "value", attrib={"currency": currency, "value-date": a.isoformat()}
        )
        value.text = f"{part:.2f}"


def _transaction(
    activity: etree._Element,
    kind: str,
    day: datetime.date,
    amount: Decimal,
    currency: str,
    *,
    receiver: str = "",
    description: str = "",
) -> None:
    """A commitment to a mission (its funding) or an expenditure (an actual cost)."""
    node = etree.SubElement(activity, "transaction")
    etree.SubElement(node, "transaction-type", code=kind)
    etree.SubElement(node, "transaction-date", attrib={"iso-date": day.isoformat()})
    value = etree.SubElement(
        node, "value", attrib={"currency": currency, "value-date": day.isoformat()}
    )
    value.text = f"{amount:.2f}"
    if description:
        text_element(node, "description", description)
    if receiver:
        etree.SubElement(node, "receiver-org", attrib={"receiver-activity-id": receiver})


def agreement_transactions(activity: etree._Element, agreement: Agreement) -> None:
    """What an agreement committed to the confirmed missions it funds, and what it spent."""
    for funding in sorted(agreement.fundings.all(), key=lambda f: (f.funded_at, f.pk)):
        if funding.mission.status in COMMITTED_MISSION_STATUSES and funding.amount > 0:
            _transaction(
                activity,
                codes.TRANSACTION_COMMITMENT,
                funding.funded_at.date(),
                funding.amount,
                agreement.currency,
                receiver=identifier(funding.mission.reference),
            )
    for cost in sorted(agreement.actual_costs.all(), key=lambda c: (c.paid_on, c.pk)):
        _transaction(
            activity,
            codes.TRANSACTION_EXPENDITURE,
            cost.paid_on,
            cost.amount,
            agreement.currency,
            description=f"{cost.mission.reference}: {cost.description}",
        )


def mission_money(
    activity: etree._Element,
    mission: Mission,
    planned: tuple[datetime.date, datetime.date] | None,
) -> None:
    """A mission's cost estimate as its indicative budget, and its actual costs."""
    estimate = getattr(mission, "cost_estimate", None)  # agreements.MissionCostEstimate
    if estimate is not None and planned is not None and estimate.total > 0:
        budget(
            activity,
            planned[0],
            planned[1],
            estimate.total,
            estimate.currency,
            codes.BUDGET_INDICATIVE,
        )
    for cost in sorted(mission.actual_costs.all(), key=lambda c: (c.paid_on, c.pk)):
        _transaction(
            activity,
            codes.TRANSACTION_EXPENDITURE,
            cost.paid_on,
            cost.amount,
            cost.agreement.currency,
            description=cost.description,
        )
