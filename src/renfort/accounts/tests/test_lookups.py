"""The organisations lookup: signed-in users only, searched, paged by 20, one query."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.accounts.models import OrganisationKind
from renfort.testing import make_organisation

URL = reverse("lookups:organisations")


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["secretariat", "member", "donor", "expert_user"])
def test_every_signed_in_user_may_search(client, personas, who):
    client.force_login(getattr(personas, who))
    data = client.get(URL, {"q": "keny"}).json()
    assert data == {
        "results": [{"id": personas.admin_c.pk, "text": "Kenya Revenue Authority"}],
        "more": False,
    }


def test_the_country_name_is_searched_and_shown_in_the_readers_language(client, personas):
    make_organisation(name="Direction générale des douanes", country="SN", kind="donor")
    client.force_login(personas.member)
    client.cookies["django_language"] = "fr"
    texts = [r["text"] for r in client.get(URL, {"q": "sénégal"}).json()["results"]]
    assert "Direction générale des douanes (Sénégal)" in texts


def test_results_come_by_pages_of_twenty(client, personas, django_assert_max_num_queries):
    for i in range(45):
        make_organisation(name=f"Zeta customs {i:02}", kind=OrganisationKind.DONOR_AGENCY)
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(4):
        first = client.get(URL, {"q": "zeta"}).json()
    third = client.get(URL, {"q": "zeta", "page": "3"}).json()
    assert len(first["results"]) == 20 and first["more"] is True
    assert first["results"][0]["text"] == "Zeta customs 00"
    assert len(third["results"]) == 5 and third["more"] is False
    assert client.get(URL, {"q": "zeta", "page": "x"}).json() == first


def test_kind_narrows_the_list(client, personas):
    client.force_login(personas.member)
    data = client.get(URL, {"kind": "donor"}).json()
    assert [r["id"] for r in data["results"]] == [personas.donor_agency.pk]
