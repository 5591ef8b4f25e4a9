"""The bounds on results: each one broken, named, and nothing written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from renfort.results.services import (
    evaluation_submit,
    indicator_actual_record,
    indicator_create,
    mission_report_submit,
    objective_create,
)
from renfort.testing import Personas, make_assignment, persona_mission, refuses

PAST = datetime.date.today() - datetime.timedelta(days=20)
FAR = datetime.date(9999, 12, 31)
EARLY = datetime.date(1, 1, 1)


def delivered(p: Personas):
    mission = persona_mission(
        p, status="delivered", start=PAST, end=PAST + datetime.timedelta(days=4)
    )
    make_assignment(mission.slots.get(), p.expert, status="completed", release_status="granted")
    return mission


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"title": "T" * 201}, "title", "Title: 201 characters, at most 200."),
        ({"description": "d" * 4001}, "description", "Description: 4001 characters, at most 4000."),
    ],
)
def test_objective_refuses_over_long_text(personas: Personas, overrides, field, text) -> None:
    args: dict[str, Any] = {"title": "Faster clearance", "level": "strategic"}
    refuses(objective_create, text=text, field=field, **{**args, **overrides})


@pytest.fixture
def objective(db: None):
    return objective_create(title="Faster clearance", level="strategic")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"name": "N" * 201}, "name", "Name: 201 characters, at most 200."),
        ({"unit": "u" * 41}, "unit", "Unit: 41 characters, at most 40."),
        ({"baseline_date": EARLY}, "baseline_date", "Baseline date: 0001-01-01 is outside"),
        ({"target_date": FAR}, "target_date", "Target date: 9999-12-31 is outside"),
        ({"target": "1e15"}, "target", "Target: 1e15 is too large (at most 999999999999.99"),
    ],
)
def test_indicator_refuses_out_of_bounds(objective, overrides, field, text) -> None:
    args: dict[str, Any] = {"objective": objective, "name": "Release time", "baseline": 72}
    refuses(indicator_create, text=text, field=field, **{"target": 24, **args, **overrides})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"period_start": EARLY}, "period_start", "Period from: 0001-01-01 is outside"),
        ({"period_end": FAR}, "period_end", "Period to: 9999-12-31 is outside"),
        ({"note": "n" * 2001}, "note", "Note: 2001 characters, at most 2000."),
        ({"value": "-1e13"}, "value", "Value: -1e13 is too large"),
    ],
)
def test_actual_refuses_out_of_bounds(personas: Personas, objective, overrides, field, text):
    indicator = indicator_create(objective=objective, name="Release time", baseline=72, target=24)
    args: dict[str, Any] = {
        "indicator": indicator,
        "period_start": datetime.date(2030, 1, 1),
        "period_end": datetime.date(2030, 6, 30),
        "value": 60,
        "by": personas.secretariat,
    }
    refuses(indicator_actual_record, text=text, field=field, **{**args, **overrides})


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["activities", "findings", "recommendations"])
def test_report_refuses_over_long_sections(personas: Personas, field) -> None:
    mission = delivered(personas)
    sections = {"activities": "Done.", field: "s" * 4001}
    refuses(
        mission_report_submit,
        text=f"{field.capitalize()}: 4001 characters, at most 4000.",
        field=field,
        mission=mission,
        author=personas.expert,
        by=personas.expert_user,
        **sections,
    )


@pytest.mark.django_db
def test_evaluation_refuses_over_long_comments(personas: Personas) -> None:
    refuses(
        evaluation_submit,
        text="Comments: 2001 characters, at most 2000.",
        field="comments",
        mission=delivered(personas),
        by=personas.member,
        rating=4,
        comments="c" * 2001,
    )
