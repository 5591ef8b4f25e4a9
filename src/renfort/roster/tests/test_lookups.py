"""The experts lookup: only the experts the user may see, by name, never personal data."""

from __future__ import annotations

from django.urls import reverse

from renfort.testing import make_expert, make_member

URL = reverse("lookups:experts")


def _ids(client, **params):
    return [row["id"] for row in client.get(URL, params).json()["results"]]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_secretariat_finds_every_expert_by_name(client, personas):
    other = make_expert(home_administration=personas.admin_c, first_name="Wanjiru")
    client.force_login(personas.secretariat)
    assert _ids(client, q="wanj") == [other.pk]
    assert set(_ids(client)) == {other.pk, personas.expert.pk}


def test_a_member_never_gets_another_administrations_experts(client, personas):
    own = make_expert(home_administration=personas.admin_a, first_name="Awa")
    make_expert(home_administration=personas.admin_c, first_name="Awa")
    client.force_login(personas.member)
    assert _ids(client, q="awa") == [own.pk]
    assert _ids(client, q="lima") == []


def test_a_donor_gets_no_expert(client, personas):
    client.force_login(personas.donor)
    assert _ids(client) == []


def test_the_payload_holds_no_email(client, personas):
    client.force_login(personas.secretariat)
    body = client.get(URL, {"q": "ana"}).content.decode()
    assert "example.org" not in body
    assert "Ana Lima (French Customs)" in body


def test_inactive_experts_are_left_out_on_request(client, personas):
    gone = make_expert(home_administration=personas.admin_b, first_name="Zoe", active=False)
    client.force_login(personas.secretariat)
    assert _ids(client, q="zoe") == [gone.pk]
    assert _ids(client, q="zoe", active="1") == []


def test_results_come_by_pages_of_twenty(client, personas, django_assert_max_num_queries):
    home = make_member("GH", name="Ghana Revenue Authority")
    for i in range(25):
        make_expert(home_administration=home, first_name="Kofi", last_name=f"Mensah{i:02}")
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(4):
        first = client.get(URL, {"q": "kofi"}).json()
    second = client.get(URL, {"q": "kofi", "page": 2}).json()
    assert len(first["results"]) == 20 and first["more"] is True
    assert len(second["results"]) == 5 and second["more"] is False
