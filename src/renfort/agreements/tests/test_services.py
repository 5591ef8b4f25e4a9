"""Agreements: creating them (kinds and parties), changing their terms, moving their status.
Each refusal names its rule and writes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from renfort.agreements.models import AgreementParty, AgreementStatus, PartyRole
from renfort.agreements.services import (
    agreement_create,
    agreement_fund_mission,
    agreement_transition,
    agreement_update,
)
from renfort.agreements.tests.factories import funded_agreement
from renfort.missions.models import MissionStatus
from renfort.testing import Personas, next_year, persona_mission, refuses, table_state

FUND, IMPL, BEN, EXT = (
    PartyRole.FUNDING,
    PartyRole.IMPLEMENTING,
    PartyRole.BENEFICIARY,
    PartyRole.EXTENDING,
)
pytestmark = pytest.mark.django_db


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


def update_args(agreement: Any, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "agreement": agreement,
        "title": agreement.title,
        "kind": agreement.kind,
        "start": agreement.start,
        "end": agreement.end,
        "budget": agreement.budget,
        "currency": agreement.currency,
        "description": agreement.description,
        "parties": [(p.organisation, p.role) for p in agreement.parties.all()],
    }
    values.update(overrides)
    return values


def test_bilateral_agreement_starts_as_a_draft(personas: Personas) -> None:
    agreement = agreement_create(**args(personas), by=personas.secretariat)
    assert (agreement.currency, agreement.status) == ("EUR", AgreementStatus.DRAFT)
    assert agreement.budget == Decimal("250000.00")
    assert set(AgreementParty.objects.values_list("organisation__name", "role")) == {
        ("Nordic Development Agency", "funding"),
        ("Senegal Customs", "beneficiary"),
    }
    created = agreement.history.get()
    assert (created.from_status, created.to_status, created.by) == (
        "",
        AgreementStatus.DRAFT,
        personas.secretariat,
    )


def test_an_agreement_without_reference_takes_the_next(personas: Personas) -> None:
    first = agreement_create(**args(personas, reference=""))
    second = agreement_create(**args(personas, reference=" "))
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"AG-{year}-001", f"AG-{year}-002")


def test_tripartite_agreement(personas: Personas) -> None:
    parties = [
        (personas.secretariat_org, IMPL),
        (personas.donor_agency, FUND),
        (personas.admin_a, BEN),
    ]
    assert agreement_create(**args(personas, kind="tripartite", parties=parties)).pk


def test_multilateral_agreement(personas: Personas) -> None:
    parties = [
        (personas.donor_agency, FUND),
        (personas.admin_b, EXT),
        (personas.admin_a, BEN),
        (personas.admin_c, BEN),
    ]
    assert agreement_create(**args(personas, kind="multilateral", parties=parties)).pk


def test_dates_in_order(personas: Personas) -> None:
    refused(personas, "the end (", end=next_year(1, 1), start=next_year(2, 1))


def test_budget_not_negative(personas: Personas) -> None:
    refused(personas, "Budget: -1 is negative", budget=Decimal("-1"))
    refused(personas, "is not an amount", budget="lots")
    refused(personas, "Budget: 1.005 has more than two decimals", budget="1.005")


@pytest.mark.parametrize("currency", ["EURO", "E1", "", "€€€", "XYZ"])
def test_currency_is_an_iso_4217_code(personas: Personas, currency: str) -> None:
    refused(personas, "is not a 3-letter ISO 4217 code", currency=currency)


def test_bilateral_binds_two(personas: Personas) -> None:
    three = [(personas.donor_agency, FUND), (personas.admin_a, BEN), (personas.admin_c, BEN)]
    refused(personas, "a bilateral agreement binds 2 organisations, not 3", parties=three)


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


def test_multilateral_binds_three_or_more(personas: Personas) -> None:
    two = [(personas.donor_agency, FUND), (personas.admin_a, BEN)]
    refused(personas, "3 organisations or more, not 2", kind="multilateral", parties=two)


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


def test_reference_unique_and_title_required(personas: Personas) -> None:
    agreement_create(**args(personas))
    refused(personas, "AG-1 is taken")
    refused(personas, "Title: required", reference="AG-2", title=" ")


# --- changing the terms --------------------------------------------------------------------


def test_update_changes_terms_and_parties_and_says_so(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas)
    agreement_update(
        **update_args(
            agreement,
            budget=Decimal("12000"),
            end=next_year(11, 30),
            parties=[(personas.donor_agency, FUND), (personas.admin_c, BEN)],
        ),
        by=personas.secretariat,
    )
    agreement.refresh_from_db()
    assert (agreement.budget, agreement.end) == (Decimal("12000"), next_year(11, 30))
    assert set(agreement.parties.values_list("organisation", flat=True)) == {
        personas.donor_agency.pk,
        personas.admin_c.pk,
    }
    change = agreement.history.filter(note_code="agreement.terms_changed").get()
    assert change.by == personas.secretariat
    assert change.note_text == "Terms changed: budget, period, parties."


def test_update_keeps_the_budget_above_its_lines_and_fundings(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas)  # lines 6,000 + 4,000
    refuses(
        agreement_update,
        text="Budget: 9,000.00 EUR is less than the budget lines' total (10,000.00 EUR)",
        field="budget",
        **update_args(agreement, budget=Decimal("9000")),
    )
    agreement.refresh_from_db()
    assert agreement.budget == Decimal("10000")


def test_update_keeps_the_currency_once_amounts_exist(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas)
    refuses(
        agreement_update,
        text="the agreement keeps that currency",
        field="currency",
        **update_args(agreement, currency="USD"),
    )


def test_update_keeps_the_period_around_funded_missions(personas: Personas) -> None:
    agreement, lines = funded_agreement(personas)
    mission = persona_mission(personas, start=next_year(3, 2), end=next_year(3, 6))
    agreement_fund_mission(agreement=agreement, mission=mission, amount=100, budget_line=lines[0])
    refuses(
        agreement_update,
        text=f"{mission.reference} ({next_year(3, 2)} to {next_year(3, 6)}) falls outside",
        field="end",
        **update_args(agreement, start=next_year(6, 1)),
    )
    agreement.refresh_from_db()
    assert agreement.start == next_year(1, 1)


def test_a_closed_agreement_is_not_changed(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas, status=AgreementStatus.CLOSED)
    refuses(
        agreement_update,
        text="is closed: reopen it before changing it",
        **update_args(agreement, title="New title"),
    )


# --- status ----------------------------------------------------------------------------------


def test_activating_needs_a_budget_line(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas, lines=(), status=AgreementStatus.DRAFT)
    refuses(
        agreement_transition,
        text="has no budget line: add one before activating it",
        field="to_status",
        agreement=agreement,
        to_status=AgreementStatus.ACTIVE,
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_closing_needs_every_funded_mission_delivered(personas: Personas) -> None:
    agreement, lines = funded_agreement(personas)
    mission = persona_mission(personas, status=MissionStatus.CONFIRMED)
    agreement_fund_mission(agreement=agreement, mission=mission, amount=100, budget_line=lines[0])
    refuses(
        agreement_transition,
        text=f"still funds missions not delivered ({mission.reference})",
        agreement=agreement,
        to_status=AgreementStatus.CLOSED,
    )
    mission.status = MissionStatus.DELIVERED
    mission.save()
    agreement_transition(
        agreement=agreement,
        to_status=AgreementStatus.CLOSED,
        by=personas.secretariat,
        note="Final report received.",
    )
    change = agreement.history.filter(to_status=AgreementStatus.CLOSED).get()
    assert (change.from_status, change.by, change.note) == (
        AgreementStatus.ACTIVE,
        personas.secretariat,
        "Final report received.",
    )


def test_only_allowed_transitions(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas, status=AgreementStatus.DRAFT)
    refuses(
        agreement_transition,
        text="cannot go from Draft to Closed; allowed next: Active.",
        field="to_status",
        agreement=agreement,
        to_status=AgreementStatus.CLOSED,
    )
    closed, _lines = funded_agreement(personas, status=AgreementStatus.CLOSED)
    reopened = agreement_transition(agreement=closed, to_status=AgreementStatus.ACTIVE)
    assert reopened.status == AgreementStatus.ACTIVE


def test_history_note_is_bounded(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas)
    refuses(
        agreement_transition,
        text="Note: 2001 characters, at most 2000.",
        field="to_status",
        agreement=agreement,
        to_status=AgreementStatus.CLOSED,
        note="n" * 2001,
    )
