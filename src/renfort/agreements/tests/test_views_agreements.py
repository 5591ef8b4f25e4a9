"""Agreement pages: parties see their agreements, the secretariat sees all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from renfort.agreements.models import AgreementKind, AgreementParty, PartyRole
from renfort.testing import (
    make_agreement,
    make_donor,
    make_mission,
    make_request,
    make_user,
    persona_mission,
)

pytestmark = pytest.mark.django_db
LIST = "agreements:agreement_list"
DETAIL = "agreements:agreement_detail"


def _kenya_agreement(personas):
    mission = make_mission(
        beneficiaries=[personas.admin_c],
        requests=[make_request(administrations=[personas.admin_c])],
    )
    return make_agreement(
        parties=[(make_donor(name="Other donor"), PartyRole.FUNDING)],
        missions=[mission],
        title="Kenya programme",
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


@pytest.mark.parametrize("persona", ["outsider", "regional", "lender"])
def test_non_parties_get_404(client, personas, persona):
    agreement = persona_mission(personas).agreements.get()
    client.force_login(getattr(personas, persona))
    assert agreement.reference not in client.get(reverse(LIST)).content.decode()
    assert client.get(reverse(DETAIL, args=[agreement.pk])).status_code == 404


def test_secretariat_sees_every_agreement(client, personas):
    mine = persona_mission(personas).agreements.get()
    other = _kenya_agreement(personas)
    client.force_login(personas.secretariat)
    body = client.get(reverse(LIST)).content.decode()
    assert mine.reference in body and other.reference in body
    assert client.get(reverse(DETAIL, args=[other.pk])).status_code == 200


def test_detail_shows_parties_budget_and_funded_missions(client, personas):
    mission = persona_mission(personas, title="Risk management in Dakar")
    agreement = mission.agreements.get()
    agreement.budget = Decimal("125000")
    agreement.currency = "USD"
    agreement.save()
    AgreementParty.objects.filter(agreement=agreement, role=PartyRole.FUNDING).update(
        contribution=Decimal("100000")
    )
    client.force_login(personas.donor)
    body = client.get(reverse(DETAIL, args=[agreement.pk])).content.decode()
    assert "Nordic Development Agency" in body and "Funding" in body
    assert "Senegal Customs" in body and "Beneficiary" in body
    assert "125,000.00" in body and "USD" in body
    assert "Risk management in Dakar" in body
    assert reverse("missions:mission_detail", args=[mission.pk]) in body


def test_detail_links_only_missions_the_user_may_see(client, personas):
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
    assert kenya.reference in body
    assert reverse("missions:mission_detail", args=[kenya.pk]) not in body


def test_list_filters_by_kind_and_role(client, personas):
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
    client.force_login(personas.donor)

    def refs(params):
        body = client.get(reverse(LIST), params).content.decode()
        return {a.reference for a in (bilateral, tripartite, extending) if a.reference in body}

    assert refs({"kind": "tripartite"}) == {tripartite.reference}
    assert refs({"role": "extending"}) == {extending.reference}
    assert refs({"role": "funding"}) == {bilateral.reference, tripartite.reference}
    assert refs({"q": extending.title}) == {extending.reference}


def test_list_htmx_request_gets_only_the_table(client, personas):
    persona_mission(personas)
    client.force_login(personas.secretariat)
    body = client.get(reverse(LIST), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="agreement-table"' in body and "<html" not in body


@pytest.mark.parametrize("persona", ["secretariat", "donor"])
def test_list_queries_stay_bounded(client, personas, django_assert_max_num_queries, persona):
    for _ in range(30):
        persona_mission(personas)
    client.force_login(getattr(personas, persona))
    with django_assert_max_num_queries(8):
        response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert response.content.decode().count("/agreements/") >= 30


def test_detail_queries_stay_bounded(client, personas, django_assert_max_num_queries):
    mission = persona_mission(personas)
    agreement = mission.agreements.get()
    for _ in range(20):
        agreement.missions.add(
            make_mission(
                requests=[make_request(administrations=[personas.admin_a])],
            )
        )
    client.force_login(personas.donor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse(DETAIL, args=[agreement.pk]))
    assert response.status_code == 200
