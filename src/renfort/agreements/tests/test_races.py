"""Two coordinators charge one agreement at the same moment: it is never overrun.

Threads (one connection each) start together at a barrier, ``ROUNDS`` times (see
``missions/tests/racing.py``). Without the agreement's lock, both would read the fundings (or
costs) before either wrote, both would pass the check, and the agreement would end over its
budget on PostgreSQL; on SQLite the IMMEDIATE transactions serialise them. After each round
the money rules are checked on the database, independently of the services.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest
from django.db.models import Sum

from renfort.agreements.models import Agreement, AgreementStatus, BudgetLine
from renfort.agreements.services import (
    actual_cost_record,
    agreement_fund_mission,
    agreement_update,
    budget_line_add,
)
from renfort.agreements.tests.factories import funded_agreement
from renfort.missions.models import MissionStatus
from renfort.missions.tests.racing import ROUNDS, Rounds, race
from renfort.testing import Personas, make_personas, next_year, persona_mission

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def p() -> Personas:
    return make_personas()


def overruns() -> list[str]:
    """Agreements or lines whose fundings, lines or costs exceed what holds them."""
    found = []
    for agreement in Agreement.objects.all():
        funded = agreement.fundings.aggregate(n=Sum("amount"))["n"] or 0
        lines = agreement.lines.aggregate(n=Sum("amount"))["n"] or 0
        if funded > agreement.budget or lines > agreement.budget:
            found.append(f"{agreement.reference}: funded {funded}, lines {lines}")
    for line in BudgetLine.objects.all():
        funded = line.fundings.aggregate(n=Sum("amount"))["n"] or 0
        spent = line.actual_costs.aggregate(n=Sum("amount"))["n"] or 0
        if funded > line.amount or spent > line.amount:
            found.append(f"line {line.pk}: funded {funded}, spent {spent} of {line.amount}")
    return found


def check(rounds: Rounds, result, agreement: Agreement) -> None:
    rounds.record(result, names=agreement.reference)
    problems = overruns()
    rounds.expect(not problems, "overrun", "; ".join(problems))


def test_two_coordinators_fund_missions_from_one_agreement(p: Personas) -> None:
    rounds = Rounds()
    for _ in range(ROUNDS):
        agreement, (line,) = funded_agreement(
            p, budget="10000", lines=(("Expert missions", "10000"),)
        )
        missions = [persona_mission(p), persona_mission(p)]
        result = race(
            *(
                partial(
                    agreement_fund_mission,
                    agreement=agreement,
                    mission=mission,
                    amount=Decimal("6000"),
                    budget_line=line,
                    by=user,
                )
                for mission, user in zip(missions, (p.secretariat, p.secretariat), strict=True)
            )
        )
        check(rounds, result, agreement)
    rounds.assert_clean()


def test_two_coordinators_record_costs_on_one_line(p: Personas) -> None:
    rounds = Rounds()
    for _ in range(ROUNDS):
        agreement, (line,) = funded_agreement(p, budget="6000", lines=(("Experts", "6000"),))
        missions = [persona_mission(p, status=MissionStatus.DELIVERED) for _ in range(2)]
        for mission in missions:
            agreement_fund_mission(
                agreement=agreement, mission=mission, amount=3000, budget_line=line
            )
        result = race(
            *(
                partial(
                    actual_cost_record,
                    agreement=agreement,
                    mission=mission,
                    budget_line=line,
                    description="Allowances",
                    paid_on=next_year(3, 20),
                    paid_amount=Decimal("4000"),
                    paid_currency="EUR",
                    today=next_year(12, 31),
                )
                for mission in missions
            )
        )
        check(rounds, result, agreement)
    rounds.assert_clean()


def test_lowering_the_budget_while_someone_funds_and_adds_a_line(p: Personas) -> None:
    rounds = Rounds()
    for _ in range(ROUNDS):
        agreement, (line,) = funded_agreement(
            p, budget="10000", lines=(("Expert missions", "5000"),)
        )
        mission = persona_mission(p)
        parties = [(party.organisation, party.role) for party in agreement.parties.all()]
        result = race(
            partial(
                agreement_update,
                agreement=agreement,
                title=agreement.title,
                kind=agreement.kind,
                start=agreement.start,
                end=agreement.end,
                budget=Decimal("6000"),
                currency="EUR",
                parties=parties,
            ),
            partial(
                agreement_fund_mission,
                agreement=agreement,
                mission=mission,
                amount=Decimal("4000"),
                budget_line=line,
            ),
            partial(budget_line_add, agreement=agreement, name="Venues", amount=Decimal("3000")),
        )
        # Whatever the order, the money rules hold; at least the funding goes through.
        rounds.record(result, successes=None)
        rounds.expect(bool(result.successes), "successes", "none went through")
        problems = overruns()
        rounds.expect(not problems, "overrun", "; ".join(problems))
        agreement.refresh_from_db()
        rounds.expect(agreement.status == AgreementStatus.ACTIVE, "status")
    rounds.assert_clean()
