"""How Renfort's own vocabulary maps onto IATI 2.03 codes (docs/iati.md).

Every code here is checked against the official codelists by the export's test
(``exports/tests/test_iati.py``), never against a list typed into the test.
"""

from __future__ import annotations

from renfort.accounts.models import OrganisationKind
from renfort.agreements.models import AgreementStatus, PartyRole
from renfort.assistance.models import Level
from renfort.missions.models import MissionStatus

VERSION = "2.03"

# OrganisationRole: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing. A beneficiary is
# not a participating role in IATI: it is the activity's recipient country.
PARTY_ROLE = {
    PartyRole.FUNDING: "1",
    PartyRole.EXTENDING: "3",
    PartyRole.IMPLEMENTING: "4",
}
ROLE_FUNDING = "1"
ROLE_ACCOUNTABLE = "2"
ROLE_IMPLEMENTING = "4"

# OrganisationType: 10 Government, 40 Multilateral. A donor agency's kind does not say
# whether it is a government agency or a multilateral one, so its type is left out.
ORGANISATION_TYPE = {
    OrganisationKind.MEMBER_ADMINISTRATION: "10",
    OrganisationKind.SECRETARIAT: "40",
    OrganisationKind.REGIONAL_OFFICE: "40",
}

# ActivityStatus: 1 Pipeline/identification, 2 Implementation, 3 Finalisation, 4 Closed,
# 5 Cancelled.
M = MissionStatus
MISSION_STATUS = {
    M.DRAFT: "1",
    M.PLANNED: "1",
    M.SCHEDULED: "1",
    M.CONFIRMED: "2",
    M.DELIVERED: "3",
    M.REPORTED: "3",
    M.CLOSED: "4",
    M.CANCELLED: "5",
}
AGREEMENT_STATUS = {
    AgreementStatus.DRAFT: "1",
    AgreementStatus.ACTIVE: "2",
    AgreementStatus.CLOSED: "4",
}

# ActivityDateType
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"

# ActivityScope: 3 Multi-national, 4 National.
SCOPE_NATIONAL, SCOPE_MULTINATIONAL = "4", "3"

# DescriptionType: 1 General, 2 Objectives.
DESCRIPTION_GENERAL, DESCRIPTION_OBJECTIVES = "1", "2"

# SectorVocabulary: 1 OECD DAC CRS purpose codes (5 digit), 99 the reporting organisation's
# own. Sector 33120: Trade facilitation.
SECTOR_VOCABULARY_DAC = "1"
SECTOR_VOCABULARY_OWN = "99"
SECTOR_TRADE_FACILITATION = "33120"

# AidType (vocabulary 1, OECD DAC): D02 Other technical assistance.
AID_TYPE_VOCABULARY = "1"
AID_TYPE_TECHNICAL_ASSISTANCE = "D02"

# BudgetType 1 Original; BudgetStatus 1 Indicative, 2 Committed.
BUDGET_ORIGINAL = "1"
BUDGET_INDICATIVE, BUDGET_COMMITTED = "1", "2"

# TransactionType: 2 Outgoing Commitment, 4 Expenditure.
TRANSACTION_COMMITMENT, TRANSACTION_EXPENDITURE = "2", "4"

# RelatedActivityType: 1 Parent, 2 Child.
RELATED_PARENT, RELATED_CHILD = "1", "2"

# ResultType: 1 Output, 2 Outcome, 3 Impact. An objective's level says which it is.
RESULT_TYPE = {Level.STRATEGIC: "3", Level.TACTICAL: "2", Level.OPERATIONAL: "1"}

# IndicatorMeasure: 1 Unit.
MEASURE_UNIT = "1"

# Languages of the narratives Renfort writes itself.
LANGUAGES = ("en", "fr")
