"""Reads of agreements that depend on who asks, and the money each one holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from renfort.accounts.models import OrganisationKind, Role, User
from renfort.agreements.models import (
    COMMITTED_MISSION_STATUSES,
    ActualCost,
    Agreement,
    AgreementDocument,
    AgreementParty,
    BudgetLine,
    MissionFunding,
)
from renfort.missions.models import Mission
from renfort.missions.selectors import missions_in_period

ZERO = Decimal("0")
# How many missions the funding form suggests (the field takes any reference).
SUGGESTED_MISSIONS = 50


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    """All agreements for the secretariat. A regional coordinator: those covering the
    region's members (a member administration of the region, or the regional office, is a
    party; or a mission it funds has a beneficiary in the region). Others: those their
    organisation is a party to, in any role. Experts see none."""
    qs = Agreement.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return qs
    org = user.organisation
    if user.role == Role.EXPERT or org is None:
        return qs.none()
    own = AgreementParty.objects.filter(organisation=org).values("agreement_id")
    if user.role == Role.REGIONAL_COORDINATOR:
        if not org.region:
            return qs.filter(id__in=own)
        members = AgreementParty.objects.filter(
            organisation__kind=OrganisationKind.MEMBER_ADMINISTRATION,
            organisation__region=org.region,
        ).values("agreement_id")
        funded = MissionFunding.objects.filter(mission__beneficiaries__region=org.region).values(
            "agreement_id"
        )
        return qs.filter(Q(id__in=own) | Q(id__in=members) | Q(id__in=funded))
    return qs.filter(id__in=own)


def agreements_filtered(user: User, data: Mapping[str, Any]) -> QuerySet[Agreement]:
    """The agreements list (the page, its file, the API): the agreements the user may see,
    narrowed by the filters of ``data`` (the list's filter form's cleaned values: ``q`` in
    the reference or title, ``status``, ``kind``, ``role`` (held by the user's organisation;
    by any party, for the secretariat), ``active_on`` (a date in force); each optional).
    Each caller orders it."""
    qs = agreements_visible_to(user)
    if data.get("q"):
        qs = qs.filter(Q(reference__icontains=data["q"]) | Q(title__icontains=data["q"]))
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("role"):
        parties = AgreementParty.objects.filter(role=data["role"])
        if user.role != Role.SECRETARIAT_COORDINATOR:
            parties = parties.filter(organisation=user.organisation)
        qs = qs.filter(id__in=parties.values("agreement_id"))
    if data.get("active_on"):
        qs = qs.filter(start__lte=data["active_on"], end__gte=data["active_on"])
    return qs


def agreement_for_user(user: User, pk: int) -> Agreement:
    """The agreement if the user may see it; 404 otherwise."""
    try:
        return agreements_visible_to(user).get(pk=pk)
    except Agreement.DoesNotExist as exc:
        raise Http404("No such agreement.") from exc


def document_for_user(user: User, agreement_pk: int, pk: int) -> AgreementDocument:
    """A document of an agreement the user may see; 404 otherwise (another party's too)."""
    agreement = agreement_for_user(user, agreement_pk)
    try:
        return agreement.documents.get(pk=pk)
    except AgreementDocument.DoesNotExist as exc:
        raise Http404("No such document.") from exc


def _sum(qs: QuerySet[MissionFunding] | QuerySet[ActualCost]) -> Subquery:
    return Subquery(
        qs.order_by().values("agreement").annotate(n=Sum("amount")).values("n"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def with_money(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Annotate ``committed`` and ``spent`` (correlated subqueries: a page computes its rows
    only)."""
    zero = Value(ZERO, output_field=DecimalField(max_digits=16, decimal_places=2))
    committed = MissionFunding.objects.filter(
        agreement=OuterRef("pk"), mission__status__in=COMMITTED_MISSION_STATUSES
    )
    spent = ActualCost.objects.filter(agreement=OuterRef("pk"))
    return qs.annotate(committed=Coalesce(_sum(committed), zero), spent=Coalesce(_sum(spent), zero))


def with_list_columns(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """The agreements with what a list row shows: ``committed`` and ``spent``
    (``with_money``), ``mission_count`` (the missions funded) and the parties with their
    organisations."""
    return (
        with_money(qs)
        .annotate(mission_count=Count("fundings", distinct=True))
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation"))
        )
    )


@dataclass
class Money:
    """What a budget (an agreement's, or a line's) holds: ``allocated`` to the missions it
    funds, ``committed`` to those confirmed or later, ``spent`` as actual costs."""

    budget: Decimal = ZERO
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        """Still free to fund missions with."""
        return self.budget - self.allocated


@dataclass
class AgreementMoney:
    total: Money
    lines: list[tuple[BudgetLine, Money]] = field(default_factory=list)
    # Funded with no budget line (links made before lines existed).
    unassigned: Money = field(default_factory=Money)


def agreement_money(agreement: Agreement) -> AgreementMoney:
    """Budget, allocated, committed and spent, for the agreement and each line (3 queries)."""
    lines = list(agreement.lines.all())
    by_line: dict[int | None, Money] = {line.pk: Money(budget=line.amount) for line in lines}
    by_line[None] = Money()
    committed = Q(mission__status__in=COMMITTED_MISSION_STATUSES)
    for row in (
        agreement.fundings.order_by()
        .values("budget_line")
        .annotate(allocated=Sum("amount"), committed=Sum("amount", filter=committed))
    ):
        money = by_line.setdefault(row["budget_line"], Money())
        money.allocated, money.committed = row["allocated"] or ZERO, row["committed"] or ZERO
    for row in agreement.actual_costs.order_by().values("budget_line").annotate(n=Sum("amount")):
        by_line.setdefault(row["budget_line"], Money()).spent = row["n"] or ZERO
    total = Money(budget=agreement.budget)
    for money in by_line.values():
        total.allocated += money.allocated
        total.committed += money.committed
        total.spent += money.spent
    return AgreementMoney(
        total=total, lines=[(line, by_line[line.pk]) for line in lines], unassigned=by_line[None]
    )


def fundings_visible_to(user: User, mission: Mission) -> QuerySet[MissionFunding]:
    """The fundings of ``mission`` by agreements the user may see."""
    return (
        MissionFunding.objects.filter(
            mission=mission, agreement__in=agreements_visible_to(user).values("id")
        )
        .select_related("agreement", "budget_line")
        .order_by("agreement__reference")
    )


def missions_to_fund(agreement: Agreement) -> list[Mission]:
    """A few missions the agreement could fund (suggested beside the reference field): live,
    within its period, not funded by it yet; those of its parties first."""
    qs = (
        missions_in_period(Mission.objects.live(), agreement.start, agreement.end)
        .exclude(id__in=agreement.fundings.values("mission_id"))
        .order_by("start", "window_start", "reference")
    )
    parties = agreement.parties.values("organisation_id")
    theirs = list(qs.filter(beneficiaries__in=parties).distinct()[:SUGGESTED_MISSIONS])
    if len(theirs) < SUGGESTED_MISSIONS:
        seen = {m.pk for m in theirs}
        others = qs.exclude(id__in=seen)[: SUGGESTED_MISSIONS - len(theirs)]
        theirs += list(others)
    return theirs
