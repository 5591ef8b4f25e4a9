"""The bounds on a planner run's period: each one broken, named, and nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from renfort.planning.forms import RunCreateForm
from renfort.planning.models import PlannerRun
from renfort.planning.services import planner_run_create
from renfort.testing import Personas, next_year, persona_mission, refuses

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [
    ("period_start", "Period from", datetime.date(1, 1, 1)),
    ("period_end", "Period to", datetime.date(9999, 12, 31)),
    ("period_end", "Period to", datetime.date(2101, 1, 1)),
]


@pytest.mark.parametrize(("field", "label", "day"), OUT_OF_RANGE)
def test_run_create_refuses_a_period_out_of_range(personas: Personas, field, label, day) -> None:
    mission = persona_mission(personas, start=next_year(4, 6), end=next_year(4, 10))
    refuses(
        planner_run_create,
        text=f"{label}: {day.isoformat()} is outside the dates Renfort accepts "
        "(2000-01-01 to 2100-12-31).",
        field=field,
        by=personas.secretariat,
        missions=[mission],
        **{field: day},
    )


@pytest.mark.parametrize(("field", "label", "day"), OUT_OF_RANGE)
def test_run_form_names_the_field(field, label, day) -> None:
    form = RunCreateForm({field: day.isoformat(), "time_limit_s": "1"})
    assert not form.is_valid()
    assert form.errors[field] == [
        f"{label}: {day.isoformat()} is outside the dates Renfort accepts "
        "(2000-01-01 to 2100-12-31)."
    ]


def test_the_model_refuses_a_period_out_of_range() -> None:
    run = PlannerRun(period_start=datetime.date(1999, 12, 31), period_end=datetime.date(2101, 1, 1))
    with pytest.raises(ValidationError) as exc:
        run.clean_fields(exclude=["created_by"])
    assert set(exc.value.message_dict) == {"period_start", "period_end"}


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--from", "2026-02-30"], "--from: “2026-02-30” is not a date such as 2030-03-02."),
        (["--from", "soon"], "--from: “soon” is not a date such as 2030-03-02."),
        (
            ["--to", "9999-12-31"],
            "--to: 9999-12-31 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31).",
        ),
    ],
)
def test_planner_run_command_names_a_bad_date(personas: Personas, args, text) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("planner_run", *args, "--time-limit", "1")
    assert str(exc.value) == text
    assert not PlannerRun.objects.exists()
