"""Writes about agreements, by entity: ``agreements`` (terms, parties, status), ``budget``
(lines), ``funding`` (missions funded), ``costs`` (rate table, estimates), ``actuals`` (costs
paid), ``documents`` (PDFs). Each is atomic and validates first; a refusal is a
``ValidationError`` keyed by the field it names and writes nothing."""

from renfort.agreements.services.actuals import actual_cost_record
from renfort.agreements.services.agreements import (
    agreement_create,
    agreement_transition,
    agreement_update,
    mission_period_error,
)
from renfort.agreements.services.budget import (
    budget_line_add,
    budget_line_remove,
    budget_line_update,
)
from renfort.agreements.services.costs import (
    allowance_rate_set,
    host_country,
    mission_cost_estimate,
)
from renfort.agreements.services.documents import agreement_document_add
from renfort.agreements.services.funding import (
    agreement_fund_mission,
    mission_by_reference,
    mission_funding_remove,
)

__all__ = [
    "actual_cost_record",
    "agreement_create",
    "agreement_document_add",
    "agreement_fund_mission",
    "agreement_transition",
    "agreement_update",
    "allowance_rate_set",
    "budget_line_add",
    "budget_line_remove",
    "budget_line_update",
    "host_country",
    "mission_by_reference",
    "mission_cost_estimate",
    "mission_funding_remove",
    "mission_period_error",
]
