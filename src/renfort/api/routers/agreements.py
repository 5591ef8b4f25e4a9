"""Agreements, as the agreement pages show them (``agreements.selectors``): the secretariat
reads all; a regional coordinator those covering its region's members; a member or donor focal
point those its organisation is a party to; an expert none (403, as on the page). An agreement
shows its parties, its money by budget line and (a page at a time) the missions it funds: a
mission the reader may not open is listed without its reference, title, status or dates, as on
the page. The secretariat records an actual cost through ``services.actual_cost_record``,
whose refusals come back as 422 naming the field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role, User
from renfort.agreements import selectors, services
from renfort.agreements.models import (
    ActualCost,
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    MissionFunding,
    PartyRole,
)
from renfort.agreements.selectors import (
    Money,
    agreement_for_user,
    agreement_money,
    with_list_columns,
    with_money,
)
from renfort.api.pagination import PageQuery, page_of, paginate
from renfort.api.problems import errors
from renfort.missions.models import MissionStatus
from renfort.missions.selectors import missions_visible_to

router = Router(tags=["agreements"])

SECRETARIAT = Role.SECRETARIAT_COORDINATOR
# As the pages: everyone but experts.
AGREEMENT_ROLES = (
    SECRETARIAT,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)
# Text with a NUL character is refused (422): PostgreSQL stores none.
NO_NUL = r"^[^\x00]*$"
# Ids beyond a database integer are refused (422) rather than sent to the database.
MAX_ID = 2_147_483_647
AMOUNT = "A decimal number with two places, as a string (in the agreement's currency)."


def _money(value: Decimal | None) -> str:
    return f"{value or Decimal('0'):.2f}"


class PartyOut(Schema):
    organisation_id: int
    organisation: str
    role: PartyRole

    @staticmethod
    def resolve_organisation(obj: AgreementParty) -> str:
        return obj.organisation.name


class AgreementOut(Schema):
    id: int
    reference: str
    title: str
    kind: AgreementKind
    status: AgreementStatus
    start: datetime.date
    end: datetime.date
    currency: str = Field(description="ISO 4217 code.")
    budget: str = Field(description=AMOUNT)
    committed: str = Field(description="Carried by the missions funded, confirmed or later.")
    spent: str = Field(description="Actual costs recorded.")
    parties: list[PartyOut]

    @staticmethod
    def resolve_budget(obj: Agreement) -> str:
        return _money(obj.budget)

    @staticmethod
    def resolve_committed(obj: Agreement) -> str:
        return _money(getattr(obj, "committed", None))

    @staticmethod
    def resolve_spent(obj: Agreement) -> str:
        return _money(getattr(obj, "spent", None))

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[AgreementParty]:
        return list(obj.parties.all())


class MoneyOut(Schema):
    budget: str = Field(description=AMOUNT)
    allocated: str = Field(description="What the missions funded carry.")
    committed: str = Field(description="What those confirmed or later carry.")
    spent: str = Field(description="Actual costs recorded.")
    available: str = Field(description="Still free to fund missions with.")


class BudgetLineOut(MoneyOut):
    id: int
    name: str


class AgreementDetailOut(AgreementOut):
    description: str
    lines: list[BudgetLineOut]
    unassigned: MoneyOut = Field(description="Funded with no budget line.")

    @staticmethod
    def resolve_lines(obj: Agreement) -> list[dict[str, Any]]:
        return obj.money_lines  # type: ignore[attr-defined]

    @staticmethod
    def resolve_unassigned(obj: Agreement) -> dict[str, str]:
        return obj.money_unassigned  # type: ignore[attr-defined]


class FundedMissionOut(Schema):
    mission_id: int | None = Field(description="Null when you may not open the mission.")
    reference: str | None
    title: str | None
    status: MissionStatus | None
    start: datetime.date | None
    end: datetime.date | None
    budget_line: str | None
    amount: str = Field(description=AMOUNT)


class AgreementFilters(PageQuery):
    q: str | None = Field(
        None, max_length=100, pattern=NO_NUL, description="Part of the reference or title."
    )
    status: AgreementStatus | None = None
    kind: AgreementKind | None = None
    role: PartyRole | None = Field(
        None,
        description="Agreements in which your organisation (any party, for the secretariat) "
        "holds this role.",
    )
    active_on: datetime.date | None = Field(None, description="In force on this day.")


class ActualCostIn(Schema):
    mission: str = Field(max_length=40, pattern=NO_NUL, description="The mission's reference.")
    budget_line: int = Field(ge=1, le=MAX_ID, description="The id of one of the agreement's lines.")
    description: str = Field(max_length=200, pattern=NO_NUL)
    paid_on: datetime.date
    paid_amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    paid_currency: str = Field(min_length=3, max_length=3, description="ISO 4217 code.")
    exchange_rate: Decimal | None = Field(
        None,
        gt=0,
        max_digits=16,
        decimal_places=6,
        description="Agreement currency per unit paid (paid in another currency only).",
    )


class ActualCostOut(Schema):
    id: int
    mission: str
    budget_line: str
    description: str
    paid_on: datetime.date
    paid_amount: str
    paid_currency: str
    exchange_rate: str
    amount: str = Field(description=AMOUNT)

    @staticmethod
    def resolve_mission(obj: ActualCost) -> str:
        return obj.mission.reference

    @staticmethod
    def resolve_budget_line(obj: ActualCost) -> str:
        return obj.budget_line.name

    @staticmethod
    def resolve_paid_amount(obj: ActualCost) -> str:
        return _money(obj.paid_amount)

    @staticmethod
    def resolve_exchange_rate(obj: ActualCost) -> str:
        return str(obj.exchange_rate)

    @staticmethod
    def resolve_amount(obj: ActualCost) -> str:
        return _money(obj.amount)


def _roles(user: User) -> None:
    if user.role not in AGREEMENT_ROLES:
        raise PermissionDenied(_("Your role does not follow agreements."))


def agreements_filtered(user: User, filters: AgreementFilters) -> QuerySet[Agreement]:
    """The list page's agreements and filters (``agreements.selectors.agreements_filtered``),
    in a total order for paging."""
    data = {
        "q": filters.q,
        "status": filters.status,
        "kind": filters.kind,
        "role": filters.role,
        "active_on": filters.active_on,
    }
    return with_list_columns(selectors.agreements_filtered(user, data)).order_by(
        "-start", "reference", "id"
    )


def _money_out(money: Money) -> dict[str, str]:
    return {
        "budget": _money(money.budget),
        "allocated": _money(money.allocated),
        "committed": _money(money.committed),
        "spent": _money(money.spent),
        "available": _money(money.available),
    }


@router.get(
    "",
    url_name="agreement_list",
    response={200: page_of(AgreementOut), **errors(401, 403, 422, 429)},
    summary="List the agreements you may see",
)
def agreement_list(request: AuthedRequest, filters: Query[AgreementFilters]) -> dict[str, Any]:
    _roles(request.user)
    return paginate(agreements_filtered(request.user, filters), filters)


@router.get(
    "{int:pk}/",
    url_name="agreement_detail",
    response={200: AgreementDetailOut, **errors(401, 403, 404, 429)},
    summary="One agreement: its parties and its money by budget line",
)
def agreement_detail(request: AuthedRequest, pk: int) -> Agreement:
    _roles(request.user)
    agreement = agreement_for_user(request.user, pk)
    shown = with_money(Agreement.objects.filter(pk=agreement.pk)).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation"))
    )
    agreement = shown.get()
    money = agreement_money(agreement)
    agreement.money_lines = [  # type: ignore[attr-defined]
        {"id": line.pk, "name": line.name, **_money_out(m)} for line, m in money.lines
    ]
    agreement.money_unassigned = _money_out(money.unassigned)  # type: ignore[attr-defined]
    return agreement


def _funded_row(funding: MissionFunding, visible: set[int]) -> dict[str, Any]:
    mission = funding.mission
    shown = mission.pk in visible
    return {
        "mission_id": mission.pk if shown else None,
        "reference": mission.reference if shown else None,
        "title": mission.title if shown else None,
        "status": mission.status if shown else None,
        "start": (mission.start or mission.window_start) if shown else None,
        "end": (mission.end or mission.window_end) if shown else None,
        "budget_line": funding.budget_line.name if funding.budget_line else None,
        "amount": _money(funding.amount),
    }


@router.get(
    "{int:pk}/missions/",
    url_name="agreement_missions",
    response={200: page_of(FundedMissionOut), **errors(401, 403, 404, 422, 429)},
    summary="The missions an agreement funds, a page at a time",
)
def agreement_missions(
    request: AuthedRequest, pk: int, filters: Query[PageQuery]
) -> dict[str, Any]:
    """As the agreement's page lists them: a mission you may not open keeps only its amount
    and budget line."""
    _roles(request.user)
    agreement = agreement_for_user(request.user, pk)
    fundings = agreement.fundings.select_related("mission", "budget_line").order_by(
        "mission__start", "mission__window_start", "mission__reference", "id"
    )
    page = paginate(fundings, filters)
    ids = [f.mission_id for f in page["results"]]
    visible = set(missions_visible_to(request.user).filter(id__in=ids).values_list("id", flat=True))
    page["results"] = [_funded_row(f, visible) for f in page["results"]]
    return page


@router.post(
    "{int:pk}/costs/",
    url_name="agreement_cost_record",
    response={201: ActualCostOut, **errors(401, 403, 404, 422, 429)},
    summary="Record an actual cost paid for a delivered mission (secretariat)",
)
def agreement_cost_record(request: AuthedRequest, pk: int, payload: ActualCostIn) -> Status:
    """The same rules as the agreement's page: the agreement active, the mission funded by it
    and delivered, the line one of its lines and not overspent. A refusal answers 422 naming
    the field, and nothing is written."""
    _roles(request.user)
    agreement = agreement_for_user(request.user, pk)
    if request.user.role != SECRETARIAT:
        raise PermissionDenied(_("Only the secretariat records actual costs."))
    cost = services.actual_cost_record(
        agreement=agreement,
        mission=payload.mission,
        budget_line=agreement.lines.filter(pk=payload.budget_line).first(),
        description=payload.description,
        paid_on=payload.paid_on,
        paid_amount=payload.paid_amount,
        paid_currency=payload.paid_currency,
        exchange_rate=payload.exchange_rate,
        by=request.user,
    )
    return Status(201, ActualCost.objects.select_related("mission", "budget_line").get(pk=cost.pk))
