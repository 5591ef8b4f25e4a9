"""The results framework's model side: objectives, indicators that rise or fall, their
progress, actuals and who recorded them, the year's delivery plan."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from renfort.accounts.models import Notification
from renfort.agreements.models import PartyRole
from renfort.results.models import (
    DeliveryPlan,
    DeliveryPlanStatus,
    Direction,
    Indicator,
    IndicatorActual,
)
from renfort.results.services import (
    delivery_plan_create,
    delivery_plan_transition,
    indicator_actual_record,
    indicator_create,
    objective_create,
)
from renfort.testing import Personas, make_agreement, next_year, persona_mission, refuses

pytestmark = pytest.mark.django_db


def _actual(indicator, value, p: Personas, month: int = 1):
    return indicator_actual_record(
        indicator=indicator,
        period_start=next_year(month, 1),
        period_end=next_year(month, 28),
        value=value,
        by=p.secretariat,
    )


def test_objective_indicator_and_actuals(personas: Personas) -> None:
    mission = persona_mission(personas)
    objective = objective_create(title="Faster clearance", level="strategic", missions=[mission])
    assert list(objective.missions.all()) == [mission]
    indicator = indicator_create(
        objective=objective, name="Release time", unit="hours", baseline=72, target="24"
    )
    assert indicator.target == Decimal("24")
    _actual(indicator, 60, personas)
    actual = _actual(indicator, 55, personas)
    assert IndicatorActual.objects.get().value == Decimal("55")
    assert (actual.recorded_by, actual.recorded_at is not None) == (personas.secretariat, True)


def test_a_falling_indicator_progresses_as_it_falls(personas: Personas) -> None:
    """Average release time in hours, 48 → 24: 36 measured is half the way."""
    objective = objective_create(title="Faster release", level="operational")
    indicator = indicator_create(
        objective=objective,
        name="Average release time",
        unit="hours",
        baseline=48,
        target=24,
        direction=Direction.LOWER,
    )
    assert indicator.progress() is None and indicator.improving() is None
    _actual(indicator, 44, personas, month=1)
    _actual(indicator, 36, personas, month=6)
    fresh = Indicator.objects.prefetch_related("actuals").get(pk=indicator.pk)
    assert fresh.progress() == Decimal("0.5")
    assert fresh.improving() is True
    # Worse than the baseline: negative progress, not improving.
    _actual(indicator, 60, personas, month=9)
    assert indicator.progress() == Decimal("-0.5")
    assert indicator.improving() is False


def test_a_rising_indicator_and_the_direction_read_from_the_target(personas: Personas) -> None:
    objective = objective_create(title="More AEOs", level="tactical")
    rising = indicator_create(objective=objective, name="AEOs", baseline=10, target=30)
    falling = indicator_create(objective=objective, name="Hours", baseline=48, target=24)
    assert (rising.direction, falling.direction) == (Direction.HIGHER, Direction.LOWER)
    _actual(rising, 25, personas)
    assert rising.progress() == Decimal("0.75")
    assert rising.improving() is True


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "field", "text"),
    [
        ("higher", 48, 24, "target", "is below the baseline 48, but higher is better"),
        ("lower", 10, 30, "target", "is above the baseline 10, but lower is better"),
        ("", 10, 10, "target", "Target: 10 equals the baseline"),
        ("sideways", 10, 30, "direction", "Direction: sideways is not"),
    ],
)
def test_the_target_lies_on_the_better_side(
    personas: Personas, direction, baseline, target, field, text
) -> None:
    objective = objective_create(title="T", level="tactical")
    refuses(
        indicator_create,
        text=text,
        field=field,
        objective=objective,
        name="N",
        baseline=baseline,
        target=target,
        direction=direction,
    )


def test_objective_and_indicator_validation(personas: Personas) -> None:
    refuses(objective_create, text="Title: required", title=" ", level="strategic")
    refuses(objective_create, text="galactic is not strategic", title="T", level="galactic")
    objective = objective_create(title="T", level="tactical")
    refuses(
        indicator_create,
        text="Baseline: many is not a number",
        objective=objective,
        name="N",
        baseline="many",
        target=1,
    )
    refuses(
        indicator_create,
        text="is before the baseline date",
        objective=objective,
        name="N",
        baseline=1,
        target=2,
        baseline_date=next_year(6, 1),
        target_date=next_year(1, 1),
    )
    indicator = indicator_create(objective=objective, name="N", baseline=1, target=2)
    refuses(
        indicator_actual_record,
        text="Period: the end",
        indicator=indicator,
        period_start=next_year(6, 1),
        period_end=next_year(1, 1),
        value=1,
        by=personas.secretariat,
    )


def test_actuals_are_recorded_by_the_secretariat_or_a_beneficiary(personas: Personas) -> None:
    mission = persona_mission(personas)  # Senegal's, funded by the donor
    agreement = make_agreement(
        parties=[(personas.donor_agency, PartyRole.FUNDING), (personas.admin_c, "beneficiary")]
    )
    objective = objective_create(
        title="Faster clearance", level="strategic", missions=[mission], agreements=[agreement]
    )
    indicator = indicator_create(objective=objective, name="Release time", baseline=72, target=24)
    day = datetime.date(2030, 1, 1)
    for who in ("donor", "lender", "regional", "expert_user"):
        refuses(
            indicator_actual_record,
            text="only the secretariat or a focal point of an administration",
            field="by",
            indicator=indicator,
            period_start=day,
            period_end=day,
            value=60,
            by=getattr(personas, who),
        )
    by_member = indicator_actual_record(
        indicator=indicator, period_start=day, period_end=day, value=60, by=personas.member
    )
    assert by_member.recorded_by == personas.member
    # Kenya, a beneficiary party of the objective's agreement, records too.
    kenya = indicator_actual_record(
        indicator=indicator,
        period_start=day + datetime.timedelta(days=1),
        period_end=day + datetime.timedelta(days=1),
        value=58,
        by=personas.outsider,
    )
    assert kenya.recorded_by == personas.outsider


def test_the_delivery_plan_is_drafted_approved_and_published(personas: Personas) -> None:
    plan = delivery_plan_create(year=2031, by=personas.secretariat)
    assert plan.status == DeliveryPlanStatus.DRAFT and plan.created_by == personas.secretariat
    refuses(
        delivery_plan_create,
        text="the delivery plan of 2031 exists already",
        field="year",
        year=2031,
        by=personas.secretariat,
    )
    refuses(
        delivery_plan_transition,
        text="cannot go from Draft to Published",
        plan=plan,
        to_status=DeliveryPlanStatus.PUBLISHED,
        by=personas.secretariat,
    )
    plan = delivery_plan_transition(
        plan=plan, to_status=DeliveryPlanStatus.APPROVED, by=personas.secretariat
    )
    assert (plan.approved_by, plan.approved_at is not None) == (personas.secretariat, True)
    plan = delivery_plan_transition(
        plan=plan, to_status=DeliveryPlanStatus.PUBLISHED, by=personas.secretariat
    )
    assert plan.published_at is not None
    told = set(
        Notification.objects.filter(code="delivery_plan.published").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"member", "lender", "outsider"} <= told and "donor" not in told
    refuses(
        delivery_plan_transition,
        text="none (final status)",
        plan=plan,
        to_status=DeliveryPlanStatus.DRAFT,
        by=personas.secretariat,
    )


@pytest.mark.parametrize("who", ["member", "donor", "regional", "expert_user"])
def test_only_the_secretariat_moves_the_delivery_plan(personas: Personas, who: str) -> None:
    refuses(
        delivery_plan_create,
        text="only a secretariat coordinator",
        field="by",
        year=2032,
        by=getattr(personas, who),
    )
    plan = DeliveryPlan.objects.create(year=2033)
    refuses(
        delivery_plan_transition,
        text="only a secretariat coordinator",
        plan=plan,
        to_status=DeliveryPlanStatus.APPROVED,
        by=getattr(personas, who),
    )


@pytest.mark.parametrize("year", [1999, 2101])
def test_the_plan_year_is_in_range(personas: Personas, year: int) -> None:
    refuses(
        delivery_plan_create,
        text=f"Year: {year} is not between 2000 and 2100",
        field="year",
        year=year,
        by=personas.secretariat,
    )
