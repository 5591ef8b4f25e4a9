from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from renfort.agreements.models import AgreementParty, PartyRole
from renfort.agreements.services import agreement_create, agreement_fund_mission
from renfort.testing import Personas, next_year, persona_mission, table_state

FUND, IMPL, BEN, EXT = (
    PartyRole.FUNDING,
    PartyRole.IMPLEMENTING,
    PartyRole.BENEFICIARY,
    PartyRole.EXTENDING,
)


def args(p: Personas, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "reference": "AG-1",
        "title": "Risk management in West Africa",
        "kind": "bilateral",
        "start": next_year(1, 1),
        "end": next_year(12, 31),
        "budget": Decimal("250000.00"),
        "currency": "eur",
        "parties": [(p.donor_agency, FUND), (p.admin_a, BEN)],
    }
    values.update(overrides)
    return values


def refused(p: Personas, text: str, **overrides: Any) -> None:
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        agreement_create(**args(p, **overrides))
    assert text in " | ".join(exc.value.messages), exc.value.messages
    assert table_state() == before


@pytest.mark.django_db
def test_bilateral_agreement(personas: Personas) -> None:
    mission = persona_mission(personas)
    agreement = agreement_create(**args(personas, missions=[mission]))
    assert agreement.currency == "EUR"
    assert agreement.budget == Decimal("250000.00")
    assert set(AgreementParty.objects.values_list("organisation__name", "role")) == {
        ("Nordic Development Agency", "funding"),
        ("Senegal Customs", "beneficiary"),
    }
    assert list(agreement.missions.all()) == [mission]


@pytest.mark.django_db
def test_tripartite_agreement(personas: Personas) -> None:
    parties = [
        (personas.secretariat_org, IMPL),
        (personas.donor_agency, FUND),
        (personas.admin_a, BEN),
    ]
    assert agreement_create(**args(personas, kind="tripartite", parties=parties)).pk


@pytest.mark.django_db
def test_multilateral_agreement(personas: Personas) -> None:
    parties = [
        (personas.donor_agency, FUND),
        (personas.admin_b, EXT),
        (personas.admin_a, BEN),
        (personas.admin_c, BEN),
    ]
    assert agreement_create(**args(personas, kind="multilateral", parties=parties)).pk


@pytest.mark.django_db
def test_dates_in_order(personas: Personas) -> None:
    refused(personas, "the end (", end=next_year(1, 1), start=next_year(2, 1))


@pytest.mark.django_db
def test_budget_not_negative(personas: Personas) -> None:
    refused(personas, "Budget: -1 is negative", budget=Decimal("-1"))
    refused(personas, "is not an amount", budget="lots")


@pytest.mark.django_db
@pytest.mark.parametrize("currency", ["EURO", "E1", "", "€€€"])
def test_currency_three_letters(personas: Personas, currency: str) -> None:
    refused(personas, "is not a 3-letter ISO 4217 code", currency=currency)


@pytest.mark.django_db
def test_bilateral_binds_two(personas: Personas) -> None:
    three = [(personas.donor_agency, FUND), (personas.admin_a, BEN), (personas.admin_c, BEN)]
    refused(personas, "a bilateral agreement binds 2 organisations, not 3", parties=three)


@pytest.mark.django_db
def test_tripartite_binds_secretariat_donor_and_beneficiary(personas: Personas) -> None:
    two = [(personas.donor_agency, FUND), (personas.admin_a, BEN)]
    refused(
        personas, "a tripartite agreement binds 3 organisations", kind="tripartite", parties=two
    )
    no_secretariat = [
        (personas.admin_b, IMPL),
        (personas.donor_agency, FUND),
        (personas.admin_a, BEN),
    ]
    refused(
        personas,
        "a tripartite agreement needs the secretariat",
        kind="tripartite",
        parties=no_secretariat,
    )
    no_beneficiary = [
        (personas.secretariat_org, IMPL),
        (personas.donor_agency, FUND),
        (personas.admin_a, EXT),
    ]
    refused(
        personas,
        "needs a beneficiary member administration",
        kind="tripartite",
        parties=no_beneficiary,
    )


@pytest.mark.django_db
def test_multilateral_binds_three_or_more(personas: Personas) -> None:
    two = [(personas.donor_agency, FUND), (personas.admin_a, BEN)]
    refused(personas, "3 organisations or more, not 2", kind="multilateral", parties=two)


@pytest.mark.django_db
def test_party_roles_and_duplicates(personas: Personas) -> None:
    refused(
        personas,
        "sponsor is not funding",
        parties=[(personas.donor_agency, "sponsor"), (personas.admin_a, BEN)],
    )
    refused(
        personas,
        "appears twice as funding",
        parties=[
            (personas.donor_agency, FUND),
            (personas.donor_agency, FUND),
            (personas.admin_a, BEN),
        ],
    )


@pytest.mark.django_db
def test_reference_unique_and_title_required(personas: Personas) -> None:
    agreement_create(**args(personas))
    refused(personas, "AG-1 is taken")
    refused(personas, "Title: required", reference="AG-2", title=" ")


@pytest.mark.django_db
def test_funded_missions_fall_in_the_period(personas: Personas) -> None:
    mission = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    refused(
        personas,
        f"{mission.reference} ({next_year(3, 2)} to {next_year(3, 6)}) falls outside",
        start=next_year(6, 1),
        missions=[mission],
    )
    cancelled = persona_mission(personas, status="cancelled")
    refused(personas, "is cancelled; an agreement cannot fund it", missions=[cancelled])


@pytest.mark.django_db
def test_fund_mission(personas: Personas) -> None:
    agreement = agreement_create(**args(personas))
    mission = persona_mission(personas)
    agreement_fund_mission(agreement=agreement, mission=mission)
    agreement_fund_mission(agreement=agreement, mission=mission)
    assert agreement.missions.filter(pk=mission.pk).count() == 1
    late = persona_mission(personas, start=next_year(3, 2).replace(year=next_year().year + 1))
    before = table_state()
    with pytest.raises(ValidationError):
        agreement_fund_mission(agreement=agreement, mission=late)
    assert table_state() == before
