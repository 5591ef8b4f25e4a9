"""Changing an objective or an indicator: the same rules as creating them, keyed by field,
and nothing written on a refusal (the links of an objective included)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from renfort.results.models import Direction, Indicator
from renfort.results.services import indicator_update, objective_update
from renfort.results.tests.framework_world import World, day, make_world
from renfort.testing import Personas, make_request, refuses

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def _links(w: World) -> tuple[list[int], list[int], list[int]]:
    o = w.senegal
    return (
        sorted(o.requests.values_list("pk", flat=True)),
        sorted(o.missions.values_list("pk", flat=True)),
        sorted(o.agreements.values_list("pk", flat=True)),
    )


def test_an_objective_changes_and_its_links_are_replaced(world: World) -> None:
    request = make_request(administrations=[world.p.admin_a], focal_point=world.p.member)
    objective = objective_update(
        objective=world.senegal,
        title="  Faster and safer clearance ",
        level="tactical",
        description="Cut release times.",
        requests=[request],
        missions=[],
        agreements=[world.agreement],
    )
    objective.refresh_from_db()
    assert (objective.title, objective.level) == ("Faster and safer clearance", "tactical")
    assert _links(world) == ([request.pk], [], [world.agreement.pk])


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        ({"title": "  "}, "title", "Title: required."),
        ({"level": "galactic"}, "level", "Level: galactic is not strategic"),
        ({"title": "x" * 201}, "title", "201 characters, at most 200"),
        ({"description": "x" * 4001}, "description", "4001 characters, at most 4000"),
    ],
)
def test_a_refused_objective_change_writes_nothing(
    world: World, values: dict[str, str], field: str, text: str
) -> None:
    before = _links(world)
    arguments = {"title": "New", "level": "strategic", "description": "", **values}
    refuses(
        objective_update,
        text=text,
        field=field,
        objective=world.senegal,
        missions=[],
        agreements=[world.agreement],
        **arguments,
    )
    world.senegal.refresh_from_db()
    assert world.senegal.title == "Faster clearance"
    assert _links(world) == before


def test_an_indicator_changes_and_its_progress_follows(world: World) -> None:
    indicator = indicator_update(
        indicator=world.falling,
        name="Release time",
        unit="h",
        baseline=60,
        target=20,
        direction=Direction.LOWER,
        baseline_date=day(1),
        target_date=day(12),
    )
    fresh = Indicator.objects.prefetch_related("actuals").get(pk=indicator.pk)
    assert (fresh.name, fresh.unit, fresh.baseline, fresh.target) == (
        "Release time",
        "h",
        Decimal("60"),
        Decimal("20"),
    )
    # 36 measured: (36 − 60) / (20 − 60) = 0.6
    assert fresh.progress() == Decimal("0.6")
    assert fresh.actuals.count() == 2


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        ({"name": ""}, "name", "Name: required."),
        ({"direction": "higher"}, "target", "is below the baseline 48, but higher is better"),
        ({"target": 48}, "target", "Target: 48 equals the baseline"),
        ({"baseline": "lots"}, "baseline", "Baseline: lots is not a number"),
        ({"target": "1e15"}, "target", "is too large"),
        ({"unit": "u" * 41}, "unit", "41 characters, at most 40"),
        ({"target_date": day(1, year=1999)}, "target_date", "Target date"),
        (
            {"baseline_date": day(6), "target_date": day(1)},
            "target_date",
            "is before the baseline date",
        ),
    ],
)
def test_a_refused_indicator_change_writes_nothing(
    world: World, values: dict[str, object], field: str, text: str
) -> None:
    arguments = {
        "name": "Release time",
        "baseline": 48,
        "target": 24,
        "direction": Direction.LOWER,
        **values,
    }
    refuses(indicator_update, text=text, field=field, indicator=world.falling, **arguments)
    world.falling.refresh_from_db()
    assert (world.falling.name, world.falling.target) == ("Average release time", Decimal("24"))
