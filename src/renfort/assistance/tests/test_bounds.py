"""The bounds on what a request holds: each one broken, named, and nothing written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from renfort.assistance.forms import RequestForm
from renfort.assistance.models import RequestStatus
from renfort.assistance.services import request_decline, request_submit, request_transition
from renfort.assistance.tests.test_services import submit_args
from renfort.testing import Personas, make_request, next_year, refuses, topic


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"title": "T" * 201}, "title", "Title: 201 characters, at most 200."),
        ({"needs": "n" * 4001}, "needs", "Needs: 4001 characters, at most 4000."),
        (
            {"preferred_start": datetime.date(1, 1, 1)},
            "preferred_start",
            "Preferred period from: 0001-01-01 is outside the dates Renfort accepts "
            "(2000-01-01 to 2100-12-31).",
        ),
        (
            {"preferred_end": datetime.date(9999, 12, 31)},
            "preferred_end",
            "Preferred period to: 9999-12-31 is outside the dates Renfort accepts",
        ),
        (
            {"preferred_end": datetime.date(2101, 1, 1)},
            "preferred_end",
            "Preferred period to: 2101-01-01 is outside",
        ),
    ],
)
def test_submit_refuses_out_of_bounds(personas: Personas, overrides, field, text) -> None:
    refuses(request_submit, text=text, field=field, **submit_args(personas, **overrides))


@pytest.mark.django_db
def test_submit_refuses_a_period_starting_in_the_past(personas: Personas) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    refuses(
        request_submit,
        text=f"Preferred period from: {date_format(yesterday, 'DATE_FORMAT')} is in the past",
        field="preferred_start",
        **submit_args(personas, preferred_start=yesterday),
    )


@pytest.mark.django_db
def test_submit_accepts_the_edges(personas: Personas) -> None:
    today = timezone.localdate()
    req = request_submit(
        **submit_args(
            personas,
            title="T" * 200,
            needs="n" * 4000,
            preferred_start=today,
            preferred_end=datetime.date(2100, 12, 31),
        )
    )
    req.refresh_from_db()
    assert (len(req.title), len(req.needs), req.preferred_start) == (200, 4000, today)


@pytest.mark.django_db
def test_submit_as_of_an_earlier_day(personas: Personas) -> None:
    """A replay of past work (the demo) says the day it submits on."""
    day = datetime.date(2020, 3, 2)
    req = request_submit(
        **submit_args(
            personas, preferred_start=day, preferred_end=datetime.date(2020, 6, 1), today=day
        )
    )
    assert req.preferred_start == day


@pytest.mark.django_db
def test_decline_refuses_an_over_long_reason(personas: Personas) -> None:
    req = make_request(
        administrations=[personas.admin_a], focal_point=personas.member, status="submitted"
    )
    refuses(
        request_decline,
        text="Reason for declining: 2001 characters, at most 2000.",
        field="reason",
        request=req,
        by=personas.secretariat,
        reason="r" * 2001,
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.SUBMITTED


@pytest.mark.django_db
def test_transition_refuses_an_over_long_note(personas: Personas) -> None:
    req = make_request(
        administrations=[personas.admin_a], focal_point=personas.member, status="submitted"
    )
    refuses(
        request_transition,
        text="Note: 2001 characters, at most 2000.",
        field="note",
        request=req,
        to_status="under_appraisal",
        by=personas.secretariat,
        note="n" * 2001,
    )


# --- the forms say the same, next to the field ------------------------------------------------


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Risk management",
        "topics": ["risk_management"],
        "level": "operational",
        "needs": "Targeting.",
        "preferred_start": next_year(3, 1).isoformat(),
        "preferred_end": next_year(5, 31).isoformat(),
        "language": "fr",
        "priority": "3",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"needs": "n" * 4001}, "needs", "Needs: at most 4000 characters (it has 4001)."),
        ({"title": "T" * 201}, "title", "Title: at most 200 characters (it has 201)."),
        (
            {"preferred_start": "0001-01-01"},
            "preferred_start",
            "Preferred period from: 0001-01-01 is outside the dates Renfort accepts",
        ),
        (
            {"preferred_end": "9999-12-31"},
            "preferred_end",
            "Preferred period to: 9999-12-31 is outside",
        ),
        ({"title": ""}, "title", "Title: this field is required."),
        ({"needs": ""}, "needs", "Needs: this field is required."),
    ],
)
def test_request_form_names_the_field(personas: Personas, overrides, field, text) -> None:
    topic("risk_management")
    form = RequestForm(form_data(**overrides), organisation=personas.admin_a)
    assert not form.is_valid()
    assert text in " ".join(str(m) for m in form.errors[field]), form.errors
