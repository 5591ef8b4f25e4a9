"""Experts through the API: what the roster pages show each role, and no more."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renfort.api.testing import api_client
from renfort.roster.models import Accreditation, AccreditationStatus, Unavailability
from renfort.testing import Personas, make_expert, next_year, topic

pytestmark = pytest.mark.django_db

EXPERTS = "/api/v1/experts/"


def test_the_lender_lists_its_experts_with_contact_details(personas: Personas):
    body = api_client(personas.lender).get(EXPERTS).json()
    assert [e["last_name"] for e in body["results"]] == ["Lima"]
    ana = body["results"][0]
    assert ana["email"] == "ana.lima@example.org"
    assert {s["topic"]: s["level"] for s in ana["skills"]} == {"risk_management": 3, "aeo": 2}
    assert ana["home_administration"]["country"] == "FR"


def test_another_administration_sees_none_of_them(personas: Personas):
    client = api_client(personas.outsider)
    assert client.get(EXPERTS).json()["count"] == 0
    response = client.get(f"{EXPERTS}{personas.expert.pk}/")
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert "Lima" not in response.content.decode()


def test_regional_coordinator_sees_the_profile_not_the_email(personas: Personas):
    moussa = make_expert(home_administration=personas.admin_a, last_name="Diop")
    client = api_client(personas.regional)
    assert [e["last_name"] for e in client.get(EXPERTS).json()["results"]] == ["Diop"]
    detail = client.get(f"{EXPERTS}{moussa.pk}/").json()
    assert detail["email"] is None and detail["last_name"] == "Diop"


def test_donors_and_experts_may_not_list(personas: Personas):
    for user in (personas.donor, personas.expert_user):
        response = api_client(user).get(EXPERTS)
        assert response.status_code == 403, user
    assert api_client(personas.donor).get(f"{EXPERTS}{personas.expert.pk}/").status_code == 403


def test_the_reason_of_an_unavailable_period_is_hers_alone(personas: Personas):
    day = next_year(5, 1)
    Unavailability.objects.create(expert=personas.expert, start=day, end=day, reason="Surgery")
    own = api_client(personas.expert_user).get(f"{EXPERTS}{personas.expert.pk}/").json()
    assert own["unavailable"] == [
        {"start": day.isoformat(), "end": day.isoformat(), "reason": "Surgery"}
    ]
    lender = api_client(personas.lender).get(f"{EXPERTS}{personas.expert.pk}/").json()
    assert lender["unavailable"][0]["reason"] is None
    assert len(lender["released_days"]) == 2


def test_accreditation_and_filters(personas: Personas):
    Accreditation.objects.create(
        expert=personas.expert,
        topic=topic("aeo"),
        status=AccreditationStatus.ACCREDITED,
        granted_on=next_year(1, 1).replace(year=next_year().year - 2),
    )
    make_expert(home_administration=personas.admin_b, last_name="Other", languages=("es",))
    client = api_client(personas.secretariat)
    lima = client.get(f"{EXPERTS}{personas.expert.pk}/").json()
    assert lima["accreditations"][0]["status"] == "accredited"
    assert lima["accreditations"][0]["current"] is True

    def names(**query):
        return [e["last_name"] for e in client.get(EXPERTS, query).json()["results"]]

    assert names(language="es") == ["Other"]
    assert names(topic="aeo") == ["Lima"]
    assert names(topic="risk_management", min_level=4) == []
    assert names(category="specialized_trainer") == ["Lima"]
    assert names(q="lim") == ["Lima"]
    assert client.get(EXPERTS, {"category": "astronaut"}).status_code == 422


def test_the_list_reads_in_a_bounded_number_of_queries(personas: Personas):
    client = api_client(personas.secretariat)
    client.get(EXPERTS)  # the first call notes the token's use

    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(EXPERTS).status_code == 200
        return len(queries)

    few = queries_for_a_page()
    for n in range(8):
        make_expert(home_administration=personas.admin_b, last_name=f"Many{n}")
    # The token, the rate count in the cache table, then four reads whatever the page holds.
    assert queries_for_a_page() == few <= 20
