"""The secretariat's forms: each success lands on the agreement's page; each refusal shows the
error summary and the message by its field, keeps the input, and writes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from renfort.agreements.models import Agreement, AgreementStatus, DailyAllowanceRate
from renfort.agreements.services import agreement_fund_mission, allowance_rate_set
from renfort.agreements.tests.factories import funded_agreement, senegal_rate
from renfort.missions.models import MissionStatus
from renfort.testing import Personas, next_year, persona_mission, table_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def sec(client, personas: Personas):
    client.force_login(personas.secretariat)
    return client


def _terms(personas: Personas, **overrides) -> dict[str, str]:
    data = {
        "reference": "",
        "title": "Risk management in Senegal",
        "kind": "bilateral",
        "start": next_year(1, 1).isoformat(),
        "end": next_year(12, 31).isoformat(),
        "budget": "50000",
        "currency": "eur",
        "description": "",
        "parties-TOTAL_FORMS": "4",
        "parties-INITIAL_FORMS": "0",
        "parties-0-organisation": str(personas.donor_agency.pk),
        "parties-0-role": "funding",
        "parties-1-organisation": str(personas.admin_a.pk),
        "parties-1-role": "beneficiary",
    }
    data.update(overrides)
    return data


def test_create_an_agreement_with_its_parties(sec, personas: Personas) -> None:
    page = sec.get(reverse("agreements:agreement_create")).content.decode()
    assert "Create an agreement" in page and "Nordic Development Agency" in page
    response = sec.post(reverse("agreements:agreement_create"), _terms(personas))
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:agreement_detail", args=[agreement.pk])
    assert (agreement.status, agreement.currency, agreement.budget) == (
        AgreementStatus.DRAFT,
        "EUR",
        Decimal("50000"),
    )
    assert set(agreement.parties.values_list("organisation", "role")) == {
        (personas.donor_agency.pk, "funding"),
        (personas.admin_a.pk, "beneficiary"),
    }


def test_a_refused_agreement_shows_the_summary_and_keeps_the_input(sec, personas) -> None:
    before = table_state()
    response = sec.post(
        reverse("agreements:agreement_create"),
        _terms(personas, kind="tripartite", currency="XYZ", title="Kept title"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "a tripartite agreement binds 3 organisations" in body
    assert '<a href="#id_currency">Currency: XYZ is not a 3-letter ISO 4217 code' in body
    assert 'value="Kept title"' in body
    assert table_state() == before


def test_a_party_row_needs_both_columns(sec, personas) -> None:
    before = table_state()
    response = sec.post(
        reverse("agreements:agreement_create"),
        _terms(personas, **{"parties-2-organisation": str(personas.admin_c.pk)}),
    )
    assert "Role: choose the role of this organisation." in response.content.decode()
    assert table_state() == before


def test_edit_the_terms(sec, personas) -> None:
    agreement, _lines = funded_agreement(personas)
    url = reverse("agreements:agreement_edit", args=[agreement.pk])
    page = sec.get(url).content.decode()
    assert "Change agreement" in page and 'name="reference"' not in page
    data = _terms(
        personas,
        budget="15000",
        **{"parties-TOTAL_FORMS": "5", "parties-INITIAL_FORMS": "2"},
    )
    assert sec.post(url, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.budget == Decimal("15000")
    refused = sec.post(url, {**data, "budget": "100"}).content.decode()
    assert "is less than the budget lines&#x27; total" in refused
    agreement.refresh_from_db()
    assert agreement.budget == Decimal("15000")


def test_a_closed_agreement_is_not_edited(sec, personas) -> None:
    agreement, _lines = funded_agreement(personas, status=AgreementStatus.CLOSED)
    response = sec.get(reverse("agreements:agreement_edit", args=[agreement.pk]), follow=True)
    assert "is closed: reopen it before changing it" in response.content.decode()


def test_add_and_change_a_budget_line(sec, personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas, budget="20000")
    url = reverse("agreements:budget_line_add", args=[agreement.pk])
    assert sec.post(url, {"name": "Travel", "amount": "5000"}).status_code == 302
    before = table_state()
    body = sec.post(url, {"name": "More", "amount": "5001"}).content.decode()
    assert "would reach 20,001.00 EUR, over 20,000.00 EUR by 1.00 EUR" in body
    assert table_state() == before
    edit = reverse("agreements:budget_line_edit", args=[agreement.pk, experts.pk])
    assert sec.post(edit, {"name": "Experts", "amount": "6500"}).status_code == 302
    experts.refresh_from_db()
    assert (experts.name, experts.amount) == ("Experts", Decimal("6500"))


def test_fund_a_mission_from_the_agreement_page(sec, personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = persona_mission(personas)
    page = sec.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content.decode()
    assert f'<option value="{mission.reference}">' in page  # suggested beside the field
    url = reverse("agreements:funding_add", args=[agreement.pk])
    data = {"mission": mission.reference, "budget_line": str(experts.pk), "amount": "2500"}
    assert sec.post(url, data).status_code == 302
    assert agreement.fundings.get().amount == Decimal("2500")
    other = persona_mission(personas)
    before = table_state()
    body = sec.post(url, {**data, "mission": "M-0000-999"}).content.decode()
    assert "Mission: no mission has the reference M-0000-999." in body
    body = sec.post(url, {**data, "mission": other.reference, "amount": "4000"}).content.decode()
    assert "would reach 6,500.00 EUR, over 6,000.00 EUR by 500.00 EUR" in body
    assert 'href="#id_amount"' in body
    assert table_state() == before


def test_change_and_remove_a_funding(sec, personas) -> None:
    agreement, (experts, venues) = funded_agreement(personas)
    funding = agreement_fund_mission(
        agreement=agreement, mission=persona_mission(personas), amount=100, budget_line=experts
    )
    url = reverse("agreements:funding_edit", args=[agreement.pk, funding.pk])
    assert sec.post(url, {"budget_line": str(venues.pk), "amount": "300"}).status_code == 302
    funding.refresh_from_db()
    assert (funding.amount, funding.budget_line) == (Decimal("300"), venues)
    remove = reverse("agreements:funding_remove", args=[agreement.pk, funding.pk])
    assert sec.post(remove).status_code == 302
    assert not agreement.fundings.exists()


def test_record_an_actual_cost(sec, personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = persona_mission(personas, status=MissionStatus.DELIVERED, start=next_year(1, 5))
    agreement_fund_mission(agreement=agreement, mission=mission, amount=5000, budget_line=experts)
    url = reverse("agreements:actual_cost_add", args=[agreement.pk])
    data = {
        "mission": mission.reference,
        "budget_line": str(experts.pk),
        "description": "Air tickets",
        "paid_on": datetime.date.today().isoformat(),
        "paid_amount": "1000",
        "paid_currency": "USD",
        "exchange_rate": "0.9",
    }
    assert sec.post(url, data).status_code == 302
    assert agreement.actual_costs.get().amount == Decimal("900.00")
    before = table_state()
    body = sec.post(url, {**data, "exchange_rate": ""}).content.decode()
    assert "Exchange rate: paid in USD, give the rate used" in body
    assert 'href="#id_exchange_rate"' in body
    assert table_state() == before


def test_activate_and_refuse_to_close(sec, personas) -> None:
    agreement, _lines = funded_agreement(personas, status=AgreementStatus.DRAFT)
    url = reverse("agreements:agreement_transition", args=[agreement.pk])
    assert sec.post(url, {"to_status": "active", "note": ""}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    mission = persona_mission(personas, status=MissionStatus.SCHEDULED)
    agreement_fund_mission(
        agreement=agreement, mission=mission, amount=1, budget_line=agreement.lines.first()
    )
    body = sec.post(url, {"to_status": "closed", "note": ""}).content.decode()
    assert "still funds missions not delivered" in body
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE


def test_the_rate_table(sec, personas) -> None:
    allowance_rate_set(country="KE", currency="EUR", daily_allowance=180, illustrative=True)
    page = sec.get(reverse("agreements:rate_list")).content.decode()
    assert "Kenya" in page and "Illustrative" in page and "example figures" in page
    url = reverse("agreements:rate_list")
    data = {"country": "SN", "currency": "EUR", "daily_allowance": "150", "travel": "800"}
    assert sec.post(url, data).status_code == 302
    assert DailyAllowanceRate.objects.get(country="SN").daily_allowance == Decimal("150")
    prefilled = sec.get(url, {"country": "SN"}).content.decode()
    assert 'value="150.00"' in prefilled
    before = table_state()
    body = sec.post(url, {**data, "currency": "XXXX"}).content.decode()
    assert "There is a problem" in body
    assert table_state() == before


def test_rates_are_read_by_other_roles_without_the_form(client, personas) -> None:
    allowance_rate_set(country="KE", currency="EUR", daily_allowance=180)
    client.force_login(personas.donor)
    page = client.get(reverse("agreements:rate_list")).content.decode()
    assert "Kenya" in page and "Save the rate" not in page


def test_the_missions_funding_part(sec, client, personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = persona_mission(personas)
    agreement_fund_mission(agreement=agreement, mission=mission, amount=900, budget_line=experts)
    url = reverse("agreements:mission_funding", args=[mission.pk])
    estimate = reverse("agreements:mission_estimate", args=[mission.pk])
    body = sec.post(estimate, follow=True).content.decode()
    assert "which has no daily allowance in the rate table" in body
    senegal_rate(daily="200", travel="1000")
    body = sec.post(estimate, follow=True).content.decode()
    assert "Cost estimate of" in body and "2,000.00 EUR" in body
    assert agreement.reference in body and "900.00 EUR" in body
    client.force_login(personas.member)
    body = client.get(url).content.decode()
    assert "2,000.00" in body and "Compute the estimate again" not in body


def test_the_funding_part_hides_agreements_the_user_cannot_see(client, personas) -> None:
    mission = persona_mission(personas)  # funded by the donor's agreement (a factory link)
    hidden, (line, _venues) = funded_agreement(
        personas, parties=[(personas.admin_b, "funding"), (personas.admin_c, "beneficiary")]
    )
    agreement_fund_mission(agreement=hidden, mission=mission, amount=50, budget_line=line)
    client.force_login(personas.member)
    body = client.get(reverse("agreements:mission_funding", args=[mission.pk])).content.decode()
    assert mission.agreements.exclude(pk=hidden.pk).get().reference in body
    assert hidden.reference not in body


def test_pages_read_in_french(client, personas) -> None:
    agreement, _lines = funded_agreement(personas)
    client.force_login(personas.secretariat)
    body = client.get(
        reverse("agreements:agreement_detail", args=[agreement.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Budget par ligne" in body and "Ajouter une ligne budgétaire" in body
    assert "6\u202f000,00" in body or "6\xa0000,00" in body or "6 000,00" in body


def test_the_mission_page_links_its_funding_part(client, personas) -> None:
    mission = persona_mission(personas)
    client.force_login(personas.donor)
    page = client.get(reverse("missions:mission_detail", args=[mission.pk])).content.decode()
    assert reverse("agreements:mission_funding", args=[mission.pk]) in page
