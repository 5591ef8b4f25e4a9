"""Agreement pages: who sees which agreement (parties, the region's coordinator, the
secretariat), the list's filters, the detail's money, and bounded queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from renfort.accounts.models import OrganisationKind, Region, Role
from renfort.agreements.models import AgreementKind, AgreementParty, AgreementStatus, PartyRole
from renfort.agreements.services import actual_cost_record, agreement_fund_mission
from renfort.agreements.tests.factories import funded_agreement
from renfort.missions.models import MissionStatus
from renfort.testing import (
    make_agreement,
    make_donor,
    make_mission,
    make_organisation,
    make_request,
    make_user,
    next_year,
    persona_mission,
)

pytestmark = pytest.mark.django_db
LIST = "agreements:agreement_list"
DETAIL = "agreements:agreement_detail"


def _kenya_agreement(personas, **kwargs):
    mission = make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c])],
    )
    return make_agreement(
        parties=[(make_donor(name="Other donor"), PartyRole.FUNDING)],
        missions=[mission],
        title="Kenya programme",
        **kwargs,
    )


def test_agreements_ask_anonymous_to_sign_in(client, personas):
    agreement = persona_mission(personas).agreements.get()
    for url in (reverse(LIST), reverse(DETAIL, args=[agreement.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_agreements_refuse_experts_and_users_without_role(client, personas):
    agreement = persona_mission(personas).agreements.get()
    for user in (personas.expert_user, make_user("", personas.admin_a, username="norole")):
        client.force_login(user)
        assert client.get(reverse(LIST)).status_code == 403
        assert client.get(reverse(DETAIL, args=[agreement.pk])).status_code == 403


def test_donor_sees_its_agreements_only(client, personas):
    mine = persona_mission(personas).agreements.get()
    other = _kenya_agreement(personas)
    client.force_login(personas.donor)
    body = client.get(reverse(LIST)).content.decode()
    assert mine.reference in body
    assert other.reference not in body
    assert client.get(reverse(DETAIL, args=[other.pk])).status_code == 404


def test_party_of_any_role_sees_the_agreement(client, personas):
    agreement = persona_mission(personas).agreements.get()  # Senegal: beneficiary party
    client.force_login(personas.member)
    assert agreement.reference in client.get(reverse(LIST)).content.decode()
    assert client.get(reverse(DETAIL, args=[agreement.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "lender"])
def test_non_parties_get_404(client, personas, persona):
    agreement = persona_mission(personas).agreements.get()
    client.force_login(getattr(personas, persona))
    assert agreement.reference not in client.get(reverse(LIST)).content.decode()
    assert client.get(reverse(DETAIL, args=[agreement.pk])).status_code == 404


def test_regional_coordinator_sees_agreements_covering_the_regions_members(client, personas):
    """West & Central Africa: Senegal is a party to one, a Senegal mission is funded by
    another; Kenya's (East & Southern Africa) stays out of sight."""
    senegal_party = persona_mission(personas).agreements.get()
    funds_senegal = make_agreement(
        parties=[(make_donor(name="Third donor"), PartyRole.FUNDING)],
        missions=[persona_mission(personas)],
        title="Funds a Senegal mission",
    )
    kenya = _kenya_agreement(personas)
    client.force_login(personas.regional)
    body = client.get(reverse(LIST)).content.decode()
    assert senegal_party.reference in body and funds_senegal.reference in body
    assert kenya.reference not in body
    assert client.get(reverse(DETAIL, args=[funds_senegal.pk])).status_code == 200
    assert client.get(reverse(DETAIL, args=[kenya.pk])).status_code == 404


def test_the_demos_tripartite_programme_shows_to_its_regional_coordinator(client, personas):
    """The issue's case: a tripartite agreement (secretariat, donor, Kenya) with no mission
    yet; East & Southern Africa's coordinator sees it, West & Central Africa's does not."""
    tripartite = make_agreement(
        kind=AgreementKind.TRIPARTITE,
        parties=[
            (personas.donor_agency, PartyRole.FUNDING),
            (personas.secretariat_org, PartyRole.IMPLEMENTING),
            (personas.admin_c, PartyRole.BENEFICIARY),
        ],
        title="Trade facilitation in East & Southern Africa",
    )
    office = make_organisation(
        name="ROCB ESA",
        kind=OrganisationKind.REGIONAL_OFFICE,
        region=Region.EAST_SOUTHERN_AFRICA,
    )
    client.force_login(make_user(Role.REGIONAL_COORDINATOR, office, username="esa"))
    assert tripartite.reference in client.get(reverse(LIST)).content.decode()
    assert client.get(reverse(DETAIL, args=[tripartite.pk])).status_code == 200
    client.force_login(personas.regional)
    assert tripartite.reference not in client.get(reverse(LIST)).content.decode()


def test_a_regional_office_party_sees_its_agreement(client, personas):
    agreement = make_agreement(
        parties=[(personas.regional_office, PartyRole.IMPLEMENTING)], title="Office programme"
    )
    client.force_login(personas.regional)
    assert agreement.reference in client.get(reverse(LIST)).content.decode()


def test_secretariat_sees_every_agreement(client, personas):
    mine = persona_mission(personas).agreements.get()
    other = _kenya_agreement(personas)
    client.force_login(personas.secretariat)
    body = client.get(reverse(LIST)).content.decode()
    assert mine.reference in body and other.reference in body
    assert "Create an agreement" in body
    assert client.get(reverse(DETAIL, args=[other.pk])).status_code == 200


def test_detail_shows_parties_lines_money_and_funded_missions(client, personas):
    agreement, (experts, _venues) = funded_agreement(personas, budget="125000", currency="USD")
    AgreementParty.objects.filter(agreement=agreement, role=PartyRole.FUNDING).update(
        contribution=Decimal("100000")
    )
    confirmed = persona_mission(
        personas, title="Risk management in Dakar", status=MissionStatus.CONFIRMED
    )
    delivered = persona_mission(personas, status=MissionStatus.DELIVERED)
    draft = persona_mission(personas)
    for mission, amount in ((confirmed, 2000), (delivered, 3000), (draft, 500)):
        agreement_fund_mission(
            agreement=agreement, mission=mission, amount=amount, budget_line=experts
        )
    actual_cost_record(
        agreement=agreement,
        mission=delivered,
        budget_line=experts,
        description="Air tickets",
        paid_on=next_year(3, 2),
        paid_amount=1000,
        paid_currency="EUR",
        exchange_rate="1.1",
        today=next_year(12, 31),
    )
    client.force_login(personas.donor)
    body = client.get(reverse(DETAIL, args=[agreement.pk])).content.decode()
    assert "Nordic Development Agency" in body and "Funding" in body
    assert "Senegal Customs" in body and "Beneficiary" in body
    assert "125,000.00" in body and "USD" in body
    assert "Risk management in Dakar" in body
    assert reverse("missions:mission_detail", args=[confirmed.pk]) in body
    # Expert missions: budget 6,000; allocated 5,500; committed 5,000; spent 1,100.
    assert all(x in body for x in ("6,000.00", "5,500.00", "5,000.00", "1,100.00"))
    assert "Air tickets" in body and "1,000.00 EUR" in body
    assert "Change the terms and parties" not in body  # the donor reads only


def test_detail_names_and_links_only_missions_the_user_may_see(client, personas):
    senegal = persona_mission(personas)
    agreement = senegal.agreements.get()
    kenya = make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c])],
    )
    agreement.missions.add(kenya)
    client.force_login(personas.member)  # beneficiary party: sees Senegal's mission only
    body = client.get(reverse(DETAIL, args=[agreement.pk])).content.decode()
    assert reverse("missions:mission_detail", args=[senegal.pk]) in body
    # Kenya's mission is funded here too, but nothing of it shows: not even its reference.
    assert kenya.reference not in body and kenya.title not in body
    assert "A mission you may not open" in body
    assert reverse("missions:mission_detail", args=[kenya.pk]) not in body


def test_list_filters_by_status_kind_and_role(client, personas):
    bilateral = persona_mission(personas).agreements.get()
    tripartite = make_agreement(
        kind=AgreementKind.TRIPARTITE,
        parties=[
            (personas.donor_agency, PartyRole.FUNDING),
            (personas.secretariat_org, PartyRole.IMPLEMENTING),
            (personas.admin_a, PartyRole.BENEFICIARY),
        ],
    )
    extending = make_agreement(parties=[(personas.donor_agency, PartyRole.EXTENDING)])
    active, _lines = funded_agreement(personas)
    client.force_login(personas.donor)

    def refs(params):
        body = client.get(reverse(LIST), params).content.decode()
        everyone = (bilateral, tripartite, extending, active)
        return {a.reference for a in everyone if a.reference in body}

    assert refs({"kind": "tripartite"}) == {tripartite.reference}
    assert refs({"role": "extending"}) == {extending.reference}
    assert refs({"role": "funding"}) == {
        bilateral.reference,
        tripartite.reference,
        active.reference,
    }
    assert refs({"q": extending.title}) == {extending.reference}
    assert refs({"status": AgreementStatus.ACTIVE}) == {active.reference}
    assert refs({"status": AgreementStatus.DRAFT}) == {
        bilateral.reference,
        tripartite.reference,
        extending.reference,
    }


def test_list_htmx_request_gets_only_the_table(client, personas):
    persona_mission(personas)
    client.force_login(personas.secretariat)
    body = client.get(reverse(LIST), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="agreement-table"' in body and "<html" not in body


def test_list_paginates(client, personas):
    for _ in range(51):
        make_agreement(parties=[(personas.donor_agency, PartyRole.FUNDING)])
    client.force_login(personas.donor)
    body = client.get(reverse(LIST)).content.decode()
    assert "Page 1 of 2" in body


@pytest.mark.parametrize("persona", ["secretariat", "donor", "regional"])
def test_list_queries_stay_bounded(client, personas, django_assert_max_num_queries, persona):
    for _ in range(30):
        persona_mission(personas)
    client.force_login(getattr(personas, persona))
    with django_assert_max_num_queries(8):
        response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert response.content.decode().count("/agreements/") >= 30


def _busy_agreement(personas, missions: int):
    agreement, (experts, _venues) = funded_agreement(
        personas,
        budget="900000",
        lines=(
            ("Experts", "600000"),
            ("Venues", "300000"),
        ),
    )
    for _ in range(missions):
        mission = persona_mission(personas, status=MissionStatus.DELIVERED)
        agreement_fund_mission(
            agreement=agreement, mission=mission, amount=1000, budget_line=experts
        )
        actual_cost_record(
            agreement=agreement,
            mission=mission,
            budget_line=experts,
            description="Allowances",
            paid_on=next_year(3, 2),
            paid_amount=900,
            paid_currency="EUR",
            today=next_year(12, 31),
        )
    return agreement


@pytest.mark.parametrize("persona", ["secretariat", "donor"])
def test_detail_queries_do_not_grow_with_the_agreement(
    client, personas, django_assert_max_num_queries, persona
):
    small = _busy_agreement(personas, 2)
    large = _busy_agreement(personas, 30)
    client.force_login(getattr(personas, persona))
    counts = []
    for agreement in (small, large):
        with django_assert_max_num_queries(30) as captured:
            response = client.get(reverse(DETAIL, args=[agreement.pk]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    body = response.content.decode()
    assert "Page 1 of 2" in body  # 30 missions funded, 25 a page


def test_rates_page_queries_stay_bounded(client, personas, django_assert_max_num_queries):
    from renfort.agreements.services import allowance_rate_set

    for code in ("KE", "SN", "FR", "BE", "JO", "MA", "JP", "AU", "US", "BR"):
        allowance_rate_set(country=code, currency="EUR", daily_allowance=150, illustrative=True)
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("agreements:rate_list"))
    assert response.status_code == 200


def test_mission_funding_page_queries_stay_bounded(client, personas, django_assert_max_num_queries):
    mission = persona_mission(personas, status=MissionStatus.DELIVERED)
    for _ in range(10):
        agreement, (line, _venues) = funded_agreement(personas)
        agreement_fund_mission(agreement=agreement, mission=mission, amount=100, budget_line=line)
        actual_cost_record(
            agreement=agreement,
            mission=mission,
            budget_line=line,
            description="Allowances",
            paid_on=next_year(3, 2),
            paid_amount=90,
            paid_currency="EUR",
            today=next_year(12, 31),
        )
    client.force_login(personas.donor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("agreements:mission_funding", args=[mission.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("Allowances") == 10
