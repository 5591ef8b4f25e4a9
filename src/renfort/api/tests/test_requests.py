"""Requests through the API: the same scoping as the pages, the same service to submit, its
refusals as 422 problems naming the field, nothing written."""

from __future__ import annotations

import datetime

import pytest

from renfort.api.problems import MEDIA_TYPE
from renfort.api.testing import api_client
from renfort.assistance.models import Request, RequestStatus, RequestStatusChange
from renfort.testing import Personas, make_request, next_year, table_state

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/requests/"


def _payload(**changes):
    body = {
        "title": "Risk management for the port",
        "topics": ["risk_management"],
        "level": "operational",
        "needs": "Train 20 officers in targeting.",
        "preferred_start": next_year(4, 1).isoformat(),
        "preferred_end": next_year(6, 30).isoformat(),
        "language": "fr",
        "priority": 4,
    }
    body.update(changes)
    return body


def _post(client, body):
    return client.post(REQUESTS, body, content_type="application/json")


def test_a_member_submits_and_follows_its_request(personas: Personas):
    client = api_client(personas.member)
    response = _post(client, _payload(co_requesting=[personas.admin_c.pk]))
    assert response.status_code == 201, response.content
    created = response.json()
    req = Request.objects.get(pk=created["id"])
    assert req.focal_point == personas.member and req.status == RequestStatus.SUBMITTED
    assert {a["name"] for a in created["administrations"]} == {
        "Senegal Customs",
        "Kenya Revenue Authority",
    }
    assert created["history"][0]["to_status"] == "submitted"
    listed = client.get(REQUESTS, {"status": "submitted"}).json()
    assert [r["id"] for r in listed["results"]] == [req.pk]
    assert client.get(f"{REQUESTS}{req.pk}/").json()["reference"] == req.reference


def test_a_token_needs_no_csrf_cookie(personas: Personas):
    from django.test import Client

    from renfort.api.testing import bearer, token_for

    client = Client(enforce_csrf_checks=True, headers=bearer(token_for(personas.member)))
    assert _post(client, _payload()).status_code == 201


def test_a_broken_rule_is_422_naming_the_field_and_writes_nothing(personas: Personas):
    client = api_client(personas.member)
    before = table_state()
    past = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    response = _post(client, _payload(preferred_start=past))
    assert response.status_code == 422 and response["Content-Type"] == MEDIA_TYPE
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["preferred_start"]
    assert "in the past" in problem["errors"][0]["message"]
    assert table_state() == before and not RequestStatusChange.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topics": ["no_such_topic"]}, "topics"),
        ({"co_requesting": [999999]}, "co_requesting"),
        ({"level": "cosmic"}, "level"),
        ({"preferred_end": "2027-02-30"}, "preferred_end"),
        ({"language": "french"}, "language"),
        ({"title": "x" * 201}, "title"),
        ({"priority": 9}, "priority"),
    ],
)
def test_bad_input_names_the_field(personas: Personas, changes, field):
    before = table_state()
    response = _post(api_client(personas.member), _payload(**changes))
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert table_state() == before


def test_a_missing_field_is_named(personas: Personas):
    body = _payload()
    del body["needs"]
    response = _post(api_client(personas.member), body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "needs"


def test_only_a_member_focal_point_submits(personas: Personas):
    before = table_state()
    for user in (personas.secretariat, personas.donor, personas.expert_user):
        response = _post(api_client(user), _payload())
        assert response.status_code == 403, user
        assert response.json()["status"] == 403
    assert table_state() == before


def test_another_administrations_request_is_404(personas: Personas):
    kenya = make_request(administrations=[personas.admin_c], title="Kenya's own request")
    client = api_client(personas.member)
    response = client.get(f"{REQUESTS}{kenya.pk}/")
    assert response.status_code == 404 and "Kenya's own" not in response.content.decode()
    assert client.get(REQUESTS).json()["count"] == 0
    # Its own focal point sees it.
    assert api_client(personas.outsider).get(f"{REQUESTS}{kenya.pk}/").status_code == 200


def test_experts_do_not_follow_requests(personas: Personas):
    assert api_client(personas.expert_user).get(REQUESTS).status_code == 403


def test_filters(personas: Personas):
    make_request(administrations=[personas.admin_a], topics=("aeo",), level="strategic")
    make_request(administrations=[personas.admin_c], topics=("risk_management",))
    client = api_client(personas.secretariat)

    def count(**query):
        return client.get(REQUESTS, query).json()["count"]

    assert count() == 2
    assert count(topic="aeo") == 1 and count(level="strategic") == 1
    assert count(region="ESA") == 1 and count(organisation=personas.admin_a.pk) == 1
    assert count(submitted_since=next_year().isoformat()) == 0
    assert client.get(REQUESTS, {"status": "lost"}).status_code == 422


def test_the_list_reads_in_a_bounded_number_of_queries(personas: Personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_request(administrations=[personas.admin_a])
    client = api_client(personas.secretariat)
    client.get(REQUESTS)  # the first call notes the token's use

    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(REQUESTS).status_code == 200
        return len(queries)

    few = queries_for_a_page()
    for _ in range(6):
        make_request(administrations=[personas.admin_a, personas.admin_c])
    assert queries_for_a_page() == few <= 20
