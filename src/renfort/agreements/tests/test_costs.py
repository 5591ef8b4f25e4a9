"""What missions cost: the rate table, each mission's estimate, the actual costs paid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from renfort.agreements.models import (
    ActualCost,
    AgreementStatus,
    DailyAllowanceRate,
    MissionCostEstimate,
)
from renfort.agreements.services import (
    actual_cost_record,
    agreement_fund_mission,
    allowance_rate_set,
    host_country,
    mission_cost_estimate,
)
from renfort.agreements.tests.factories import funded_agreement, senegal_rate
from renfort.missions.models import MissionStatus, MissionType
from renfort.roster.models import Category
from renfort.testing import Personas, make_slot, next_year, persona_mission, refuses

pytestmark = pytest.mark.django_db
YEAR_END = next_year(12, 31)


# --- the rate table ----------------------------------------------------------------------------


def test_a_country_has_one_rate_set_again_to_change_it(personas: Personas) -> None:
    allowance_rate_set(
        country="ke", currency="usd", daily_allowance="180", travel="900", by=personas.secretariat
    )
    rate = allowance_rate_set(
        country="KE", currency="EUR", daily_allowance="175.50", travel=0, illustrative=True
    )
    assert DailyAllowanceRate.objects.count() == 1
    assert (rate.country, rate.currency, rate.daily_allowance, rate.travel, rate.illustrative) == (
        "KE",
        "EUR",
        Decimal("175.50"),
        Decimal("0"),
        True,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"country": "XX"}, "country", "Country: XX is not an ISO 3166-1 country code"),
        ({"country": "Kenya"}, "country", "Country: KENYA is not an ISO 3166-1 country code"),
        ({"country": "EU"}, "country", "Country: EU is not an ISO 3166-1 country code"),
        ({"currency": "EURO"}, "currency", "Currency: EURO is not a 3-letter ISO 4217 code"),
        ({"daily_allowance": 0}, "daily_allowance", "Daily allowance: give an amount more"),
        ({"daily_allowance": "1e9"}, "daily_allowance", "is more than 99999999.99"),
        ({"travel": -1}, "travel", "Travel per expert: -1 is negative."),
    ],
)
def test_a_rate_is_refused_with_its_field_named(personas: Personas, overrides, field, text) -> None:
    values = {"country": "KE", "currency": "EUR", "daily_allowance": 150, "travel": 500}
    refuses(allowance_rate_set, text=text, field=field, **{**values, **overrides})


# --- estimates ---------------------------------------------------------------------------------


def test_estimate_is_expert_days_times_allowance_plus_travel(personas: Personas) -> None:
    senegal_rate(daily="200", travel="1000")
    mission = persona_mission(personas)  # 1 slot, 5 days, in Senegal
    make_slot(mission, Category.SPECIALIZED_TRAINER)
    estimate = mission_cost_estimate(mission=mission, by=personas.secretariat)
    assert (estimate.country, estimate.experts, estimate.days, estimate.expert_days) == (
        "SN",
        2,
        5,
        10,
    )
    assert (estimate.allowances, estimate.travel, estimate.total) == (
        Decimal("2000"),
        Decimal("2000"),
        Decimal("4000"),
    )
    assert estimate.computed_by == personas.secretariat


def test_estimate_keeps_its_figures_until_computed_again(personas: Personas) -> None:
    senegal_rate(daily="200", travel="1000")
    mission = persona_mission(personas)
    mission_cost_estimate(mission=mission)
    senegal_rate(daily="300", travel="1000")
    assert MissionCostEstimate.objects.get(mission=mission).total == Decimal("2000")
    again = mission_cost_estimate(mission=mission)
    assert (again.total, MissionCostEstimate.objects.count()) == (Decimal("2500"), 1)


def test_host_country_follows_the_location_then_the_beneficiaries(personas: Personas) -> None:
    assert host_country(persona_mission(personas)) == "SN"
    assert host_country(persona_mission(personas, location="Nairobi, Kenya")) == "KE"
    assert host_country(persona_mission(personas, location="Côte d'Ivoire")) == "CI"


def test_estimate_needs_a_rate_for_the_host(personas: Personas) -> None:
    mission = persona_mission(personas, location="Nairobi, Kenya")
    refuses(
        mission_cost_estimate,
        text="takes place in Kenya, which has no daily allowance in the rate table",
        mission=mission,
    )


def test_a_windowed_mission_counts_its_duration(personas: Personas) -> None:
    senegal_rate(daily="100", travel="0")
    mission = persona_mission(personas, window=(next_year(3, 1), next_year(5, 31), 8))
    assert mission_cost_estimate(mission=mission).total == Decimal("800")


def test_a_remote_mission_costs_no_allowance_or_travel(personas: Personas) -> None:
    mission = persona_mission(personas, type=MissionType.REMOTE, location="Remote")
    estimate = mission_cost_estimate(mission=mission)
    assert estimate.total == Decimal("0")


def test_nothing_to_estimate(personas: Personas) -> None:
    senegal_rate()
    refuses(
        mission_cost_estimate,
        text="has no expert slot: add one before estimating its cost",
        mission=persona_mission(personas, slots=()),
    )
    refuses(
        mission_cost_estimate,
        text="is cancelled: it costs nothing",
        mission=persona_mission(personas, status=MissionStatus.CANCELLED),
    )


# --- actual costs ------------------------------------------------------------------------------


def _delivered(personas: Personas, agreement, line, amount: int = 5000):
    mission = persona_mission(personas, status=MissionStatus.DELIVERED)
    agreement_fund_mission(agreement=agreement, mission=mission, amount=amount, budget_line=line)
    return mission


def cost(**overrides):
    values = {
        "description": "Daily allowances",
        "paid_on": next_year(3, 20),
        "paid_amount": "1000",
        "paid_currency": "EUR",
        "today": YEAR_END,
    }
    return {**values, **overrides}


def test_a_cost_in_the_agreements_currency(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = _delivered(personas, agreement, experts)
    recorded = actual_cost_record(
        agreement=agreement,
        mission=mission.reference,
        budget_line=experts,
        by=personas.secretariat,
        **cost(),
    )
    assert (recorded.amount, recorded.exchange_rate, recorded.paid_currency) == (
        Decimal("1000"),
        Decimal("1"),
        "EUR",
    )
    change = agreement.history.filter(note_code="agreement.cost_recorded").get()
    assert change.note_text == (
        f"Actual cost of mission {mission.reference} recorded on “Expert missions”: 1,000.00 EUR."
    )


def test_a_cost_paid_in_another_currency_keeps_the_rate_used(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = _delivered(personas, agreement, experts)
    recorded = actual_cost_record(
        agreement=agreement,
        mission=mission,
        budget_line=experts,
        **cost(paid_amount="1200.00", paid_currency="usd", exchange_rate="0.925"),
    )
    assert (recorded.paid_amount, recorded.paid_currency, recorded.exchange_rate) == (
        Decimal("1200.00"),
        "USD",
        Decimal("0.925"),
    )
    assert recorded.amount == Decimal("1110.00")


def test_another_currency_needs_its_rate(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = _delivered(personas, agreement, experts)
    for rate in (None, "0", "-1", "abc"):
        refuses(
            actual_cost_record,
            text="Exchange rate: paid in USD, give the rate used",
            field="exchange_rate",
            agreement=agreement,
            mission=mission,
            budget_line=experts,
            **cost(paid_currency="USD", exchange_rate=rate),
        )
    refuses(
        actual_cost_record,
        text="Exchange rate: paid in EUR, the agreement's currency: leave it empty.",
        field="exchange_rate",
        agreement=agreement,
        mission=mission,
        budget_line=experts,
        **cost(exchange_rate="1.1"),
    )


def test_costs_never_exceed_their_line(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)  # experts: 6,000
    mission = _delivered(personas, agreement, experts)
    actual_cost_record(
        agreement=agreement, mission=mission, budget_line=experts, **cost(paid_amount="5500")
    )
    refuses(
        actual_cost_record,
        text=f"Amount paid: the costs recorded on “Expert missions” of {agreement.reference} "
        "would reach 6,100.00 EUR, over 6,000.00 EUR by 100.00 EUR.",
        field="paid_amount",
        agreement=agreement,
        mission=mission,
        budget_line=experts,
        **cost(paid_amount="500", paid_currency="USD", exchange_rate="1.2"),
    )
    assert ActualCost.objects.count() == 1


def test_costs_are_for_delivered_missions_the_agreement_funds(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    confirmed = persona_mission(personas, status=MissionStatus.CONFIRMED)
    agreement_fund_mission(agreement=agreement, mission=confirmed, amount=100, budget_line=experts)
    refuses(
        actual_cost_record,
        text=f"Mission: {confirmed.reference} is confirmed; actual costs are recorded once "
        "delivered.",
        field="mission",
        agreement=agreement,
        mission=confirmed,
        budget_line=experts,
        **cost(),
    )
    stranger = persona_mission(personas, status=MissionStatus.DELIVERED)
    refuses(
        actual_cost_record,
        text=f"Mission: {agreement.reference} does not fund {stranger.reference}; fund it first.",
        field="mission",
        agreement=agreement,
        mission=stranger,
        budget_line=experts,
        **cost(),
    )


def test_cost_inputs_are_checked(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = _delivered(personas, agreement, experts)
    for overrides, field, text in (
        ({"description": " "}, "description", "Description: say what was paid"),
        (
            {"paid_on": YEAR_END.replace(day=30), "today": YEAR_END.replace(day=29)},
            "paid_on",
            "is in the future",
        ),
        ({"paid_amount": "0"}, "paid_amount", "Amount paid: give an amount more than zero."),
        ({"paid_currency": "EURO"}, "paid_currency", "Currency paid: EURO is not"),
    ):
        refuses(
            actual_cost_record,
            text=text,
            field=field,
            agreement=agreement,
            mission=mission,
            budget_line=experts,
            **cost(**overrides),
        )
    refuses(
        actual_cost_record,
        text=f"Budget line: choose one of the lines of {agreement.reference}.",
        field="budget_line",
        agreement=agreement,
        mission=mission,
        budget_line=None,
        **cost(),
    )


def test_costs_are_recorded_while_the_agreement_is_active(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas, status=AgreementStatus.DRAFT)
    mission = _delivered(personas, agreement, experts)
    refuses(
        actual_cost_record,
        text="is draft: costs are recorded while it is active",
        agreement=agreement,
        mission=mission,
        budget_line=experts,
        **cost(),
    )
