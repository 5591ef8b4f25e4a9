"""Agreements fund missions: the fundings never exceed the budget nor a line; the mission is
named by its reference; a funding with costs recorded stays."""

from __future__ import annotations

from decimal import Decimal

import pytest

from renfort.agreements.models import AgreementStatus, MissionFunding
from renfort.agreements.services import (
    actual_cost_record,
    agreement_fund_mission,
    mission_funding_remove,
)
from renfort.agreements.tests.factories import funded_agreement
from renfort.missions.models import MissionStatus
from renfort.testing import Personas, make_agreement, next_year, persona_mission, refuses

pytestmark = pytest.mark.django_db


def test_fund_a_mission_by_its_reference(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = persona_mission(personas)
    funding = agreement_fund_mission(
        agreement=agreement,
        mission=f" {mission.reference.lower()} ",
        amount="2500",
        budget_line=experts,
        by=personas.secretariat,
    )
    assert (funding.mission, funding.amount, funding.budget_line) == (
        mission,
        Decimal("2500"),
        experts,
    )
    assert mission in agreement.missions.all() and agreement in mission.agreements.all()
    change = agreement.history.filter(note_code="agreement.mission_funded").get()
    assert change.note_text == (
        f"Mission {mission.reference} funded: 2,500.00 EUR from “Expert missions”."
    )


def test_funding_again_changes_the_amount(personas: Personas) -> None:
    agreement, (experts, venues) = funded_agreement(personas)
    mission = persona_mission(personas)
    agreement_fund_mission(agreement=agreement, mission=mission, amount=2500, budget_line=experts)
    agreement_fund_mission(agreement=agreement, mission=mission, amount=4000, budget_line=venues)
    funding = MissionFunding.objects.get(agreement=agreement, mission=mission)
    assert (funding.amount, funding.budget_line) == (Decimal("4000"), venues)


def test_the_fundings_never_exceed_the_budget(personas: Personas) -> None:
    agreement, (experts, venues) = funded_agreement(
        personas, budget="10000", lines=(("Experts", "5000"), ("Venues", "5000"))
    )
    first, second = persona_mission(personas), persona_mission(personas)
    agreement_fund_mission(agreement=agreement, mission=first, amount=4000, budget_line=experts)
    agreement_fund_mission(agreement=agreement, mission=second, amount=5000, budget_line=venues)
    third = persona_mission(personas)
    refuses(
        agreement_fund_mission,
        text=(
            f"Amount: the missions funded by {agreement.reference} would reach 11,000.00 EUR, "
            "over 10,000.00 EUR by 1,000.00 EUR."
        ),
        field="amount",
        agreement=agreement,
        mission=third,
        amount=2000,
        budget_line=experts,
    )


def test_the_fundings_of_a_line_never_exceed_the_line(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)  # experts: 6,000
    agreement_fund_mission(
        agreement=agreement, mission=persona_mission(personas), amount=5000, budget_line=experts
    )
    refuses(
        agreement_fund_mission,
        text=f"the missions funded from “Expert missions” of {agreement.reference} would "
        "reach 6,500.00 EUR, over 6,000.00 EUR by 500.00 EUR",
        field="amount",
        agreement=agreement,
        mission=persona_mission(personas),
        amount=1500,
        budget_line=experts,
    )


def test_the_mission_and_line_must_be_right(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    _other, (foreign, _x) = funded_agreement(personas)
    mission = persona_mission(personas)
    refuses(
        agreement_fund_mission,
        text="Mission: no mission has the reference M-NONE.",
        field="mission",
        agreement=agreement,
        mission="M-NONE",
        amount=1,
        budget_line=experts,
    )
    refuses(
        agreement_fund_mission,
        text="Mission: give the reference of a mission",
        field="mission",
        agreement=agreement,
        mission="  ",
        amount=1,
    )
    refuses(
        agreement_fund_mission,
        text=f"Budget line: “Expert missions” is not a line of {agreement.reference}.",
        field="budget_line",
        agreement=agreement,
        mission=mission,
        amount=1,
        budget_line=foreign,
    )
    refuses(
        agreement_fund_mission,
        text=f"Budget line: choose one of the lines of {agreement.reference}.",
        field="budget_line",
        agreement=agreement,
        mission=mission,
        amount=1,
    )
    refuses(
        agreement_fund_mission,
        text="Amount: give an amount more than zero.",
        field="amount",
        agreement=agreement,
        mission=mission,
        amount=0,
        budget_line=experts,
    )


def test_funded_missions_fall_in_the_period_and_are_live(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas, start=next_year(6, 1))
    mission = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    refuses(
        agreement_fund_mission,
        text=f"{mission.reference} ({next_year(3, 2)} to {next_year(3, 6)}) falls outside",
        field="mission",
        agreement=agreement,
        mission=mission,
        amount=1,
        budget_line=experts,
    )
    cancelled = persona_mission(personas, status=MissionStatus.CANCELLED, start=next_year(7, 1))
    refuses(
        agreement_fund_mission,
        text="is cancelled; an agreement cannot fund it",
        field="mission",
        agreement=agreement,
        mission=cancelled,
        amount=1,
        budget_line=experts,
    )


def test_a_closed_agreement_funds_nothing_new(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas, status=AgreementStatus.CLOSED)
    refuses(
        agreement_fund_mission,
        text="is closed: reopen it",
        agreement=agreement,
        mission=persona_mission(personas),
        amount=1,
        budget_line=experts,
    )


def test_a_funding_is_removed_unless_costs_are_recorded(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = persona_mission(personas)
    funding = agreement_fund_mission(
        agreement=agreement, mission=mission, amount=1000, budget_line=experts
    )
    mission_funding_remove(funding=funding, by=personas.secretariat)
    assert not agreement.missions.exists()
    refuses(mission_funding_remove, text="was removed meanwhile; reload the page", funding=funding)
    delivered = persona_mission(personas, status=MissionStatus.DELIVERED)
    funding = agreement_fund_mission(
        agreement=agreement, mission=delivered, amount=1000, budget_line=experts
    )
    actual_cost_record(
        agreement=agreement,
        mission=delivered,
        budget_line=experts,
        description="Allowances",
        paid_on=next_year(3, 2),
        paid_amount=800,
        paid_currency="EUR",
        today=next_year(12, 31),
    )
    refuses(
        mission_funding_remove,
        text=f"Mission {delivered.reference} has actual costs recorded",
        funding=funding,
    )
    refuses(
        agreement_fund_mission,
        text=f"Amount: 700.00 EUR is less than the actual costs of {delivered.reference} "
        "(800.00 EUR).",
        field="amount",
        agreement=agreement,
        mission=delivered,
        amount=700,
        budget_line=experts,
    )


def test_links_made_without_amount_still_read(personas: Personas) -> None:
    """Rows made by the plain factories (and the migration of the old links) have no amount
    and no line; the agreement's missions still list them."""
    mission = persona_mission(personas)
    agreement = mission.agreements.get()
    assert list(agreement.missions.all()) == [mission]
    funding = MissionFunding.objects.get(agreement=agreement, mission=mission)
    assert (funding.amount, funding.budget_line) == (Decimal("0"), None)
    assert make_agreement(parties=[], missions=[mission]).missions.get() == mission
