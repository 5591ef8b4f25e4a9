"""The bounds on what the expert pool holds: each one broken, named, and nothing written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from renfort.missions.models import AssignmentStatus
from renfort.missions.services import unavailability_add
from renfort.roster.forms import InvitationAnswerForm, ProfileForm, UnavailabilityForm
from renfort.roster.models import ReleaseStatus
from renfort.roster.services import (
    accreditation_add,
    expert_create,
    expert_update_profile,
)
from renfort.testing import Personas, make_assignment, persona_mission, refuses, topic

LONG_EMAIL = "a" * 248 + "@x.org"  # 254 characters
TOO_LONG_EMAIL = "a" * 254 + "@x.org"  # 260 characters


def create_args(p: Personas, **overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "home_administration": p.admin_b,
        "first_name": "Marie",
        "last_name": "Curie",
        "email": "marie@example.org",
        "categories": ["specialized_trainer"],
        "languages": ["fr", "en"],
    }
    args.update(overrides)
    return args


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"email": TOO_LONG_EMAIL}, "email", "Email: 260 characters, at most 254."),
        ({"email": "not an address"}, "email", "Email: not an address is not an email address."),
        ({"first_name": "M" * 81}, "first_name", "First name: 81 characters, at most 80."),
        ({"last_name": "C" * 81}, "last_name", "Last name: 81 characters, at most 80."),
    ],
)
def test_expert_create_refuses_out_of_bounds(personas: Personas, overrides, field, text) -> None:
    refuses(expert_create, text=text, field=field, **create_args(personas, **overrides))


@pytest.mark.django_db
def test_expert_create_takes_an_email_of_254_characters(personas: Personas) -> None:
    expert = expert_create(**create_args(personas, email=LONG_EMAIL))
    expert.refresh_from_db()
    assert expert.email == LONG_EMAIL


@pytest.mark.django_db
def test_profile_refuses_an_over_long_email(personas: Personas) -> None:
    refuses(
        expert_update_profile,
        text="Email: 260 characters, at most 254.",
        field="email",
        expert=personas.expert,
        email=TOO_LONG_EMAIL,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        (
            {"start": datetime.date(1, 1, 1)},
            "start",
            "First day: 0001-01-01 is outside the dates Renfort accepts "
            "(2000-01-01 to 2100-12-31).",
        ),
        ({"start": datetime.date(1999, 12, 31)}, "start", "First day: 1999-12-31 is outside"),
        ({"end": datetime.date(9999, 12, 31)}, "end", "Last day: 9999-12-31 is outside"),
        ({"reason": "r" * 201}, "reason", "Reason: 201 characters, at most 200."),
    ],
)
def test_unavailability_refuses_out_of_bounds(personas: Personas, overrides, field, text) -> None:
    args: dict[str, Any] = {
        "expert": personas.expert,
        "start": datetime.date(2030, 3, 2),
        "end": datetime.date(2030, 3, 6),
    }
    refuses(unavailability_add, text=text, field=field, **{**args, **overrides})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"granted_on": datetime.date(1, 1, 1)}, "granted_on", "Granted on: 0001-01-01 is outside"),
        ({"expires_on": datetime.date(9999, 12, 31)}, "expires_on", "Expires on: 9999-12-31"),
    ],
)
def test_accreditation_refuses_out_of_range_dates(
    personas: Personas, overrides, field, text
) -> None:
    args: dict[str, Any] = {
        "expert": personas.expert,
        "topic": topic("aeo"),
        "status": "accredited",
        "granted_on": datetime.date(2024, 1, 1),
    }
    refuses(accreditation_add, text=text, field=field, **{**args, **overrides})


# --- forms and pages name the field ----------------------------------------------------------


def test_forms_carry_the_model_limits() -> None:
    assert ProfileForm({"languages": "fr", "email": TOO_LONG_EMAIL}).errors["email"] == [
        "Email: at most 254 characters (it has 260)."
    ]
    form = UnavailabilityForm({"start": "0001-01-01", "end": "2030-01-01", "reason": "r" * 201})
    assert form.errors["start"] == [
        "First day: 0001-01-01 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31)."
    ]
    assert form.errors["reason"] == ["Reason: at most 200 characters (it has 201)."]
    answer = InvitationAnswerForm({"answer": "decline", "reason": "r" * 2001})
    assert answer.errors["reason"] == [
        "Reason (required to decline): at most 2000 characters (it has 2001)."
    ]


@pytest.mark.django_db
def test_an_empty_release_decision_names_the_field(client, personas: Personas) -> None:
    mission = persona_mission(personas)
    assignment = make_assignment(
        mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED
    )
    client.force_login(personas.lender)
    for url in (
        reverse("roster:release_decide", args=[assignment.pk]),
        reverse("roster:expert_release", args=[personas.expert.pk]),
    ):
        html = client.post(url, {"decision": ""}, follow=True).content.decode()
        assert "Release: choose grant or refuse." in html
    assignment.refresh_from_db()
    personas.expert.refresh_from_db()
    assert assignment.release_status == ReleaseStatus.PENDING
    assert personas.expert.release_status == ReleaseStatus.GRANTED
