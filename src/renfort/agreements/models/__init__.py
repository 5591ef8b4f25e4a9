"""Coordination agreements (who funds, implements, benefits from and extends which missions),
their budget lines, documents and history; and what the missions cost (``costs``)."""

from renfort.agreements.models.agreements import (
    AGREEMENT_TRANSITIONS,
    COMMITTED_MISSION_STATUSES,
    OPEN_AGREEMENT_STATUSES,
    Agreement,
    AgreementChange,
    AgreementDocument,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    BudgetLine,
    DocumentKind,
    PartyRole,
)
from renfort.agreements.models.costs import (
    ActualCost,
    DailyAllowanceRate,
    MissionCostEstimate,
    MissionFunding,
)

__all__ = [
    "AGREEMENT_TRANSITIONS",
    "COMMITTED_MISSION_STATUSES",
    "OPEN_AGREEMENT_STATUSES",
    "ActualCost",
    "Agreement",
    "AgreementChange",
    "AgreementDocument",
    "AgreementKind",
    "AgreementParty",
    "AgreementStatus",
    "BudgetLine",
    "DailyAllowanceRate",
    "DocumentKind",
    "MissionCostEstimate",
    "MissionFunding",
    "PartyRole",
]
