"""The bounds on an agreement: each one broken, named, and nothing written."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from renfort.agreements.models import PartyRole
from renfort.agreements.services import agreement_create
from renfort.testing import Personas, next_year, refuses


def args(p: Personas, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "reference": "AG-1",
        "title": "Risk management in West Africa",
        "kind": "bilateral",
        "start": next_year(1, 1),
        "end": next_year(12, 31),
        "budget": Decimal("250000.00"),
        "currency": "EUR",
        "parties": [(p.donor_agency, PartyRole.FUNDING), (p.admin_a, PartyRole.BENEFICIARY)],
    }
    values.update(overrides)
    return values


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        (
            {"start": datetime.date(1, 1, 1)},
            "start",
            "From: 0001-01-01 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31).",
        ),
        ({"end": datetime.date(9999, 12, 31)}, "end", "To: 9999-12-31 is outside"),
        ({"reference": "A" * 21}, "reference", "Reference: 21 characters, at most 20."),
        ({"title": "T" * 201}, "title", "Title: 201 characters, at most 200."),
        ({"description": "d" * 4001}, "description", "Description: 4001 characters, at most 4000."),
        (
            {"budget": Decimal("1000000000000")},
            "budget",
            "Budget: 1000000000000 is more than 999999999999.99.",
        ),
    ],
)
def test_agreement_refuses_out_of_bounds(personas: Personas, overrides, field, text) -> None:
    refuses(agreement_create, text=text, field=field, **args(personas, **overrides))


@pytest.mark.django_db
def test_agreement_takes_the_edges(personas: Personas) -> None:
    agreement = agreement_create(
        **args(
            personas,
            start=datetime.date(2000, 1, 1),
            end=datetime.date(2100, 12, 31),
            description="d" * 4000,
            budget=Decimal("999999999999.99"),
        )
    )
    agreement.refresh_from_db()
    assert (len(agreement.description), agreement.budget) == (4000, Decimal("999999999999.99"))


@pytest.mark.django_db
def test_the_list_names_an_out_of_range_day(client, personas: Personas) -> None:
    client.force_login(personas.secretariat)
    response = client.get(reverse("agreements:agreement_list"), {"active_on": "0001-01-01"})
    assert response.status_code == 200
    assert (
        "In force on: 0001-01-01 is outside the dates Renfort accepts (2000-01-01 to 2100-12-31)."
        in response.content.decode()
    )
