"""Missions through the API: each role sees the missions and the assignments the mission pages
show it, and no more; lists are filtered, paged and read in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renfort.api.testing import api_client
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.missions.services import assignment_transition, mission_transition
from renfort.roster.models import Category
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_mission,
    make_request,
    make_slot,
    next_year,
    persona_mission,
)

pytestmark = pytest.mark.django_db

MISSIONS = "/api/v1/missions/"


def _kenya_mission(p: Personas, **kwargs):
    request = make_request(administrations=[p.admin_c], focal_point=p.outsider)
    return make_mission(requests=[request], title="Kenya's own mission", **kwargs)


def _refs(client, **query):
    response = client.get(MISSIONS, query)
    assert response.status_code == 200, response.content
    return [m["reference"] for m in response.json()["results"]]


def test_each_role_lists_the_missions_it_may_see(personas: Personas):
    p = personas
    senegal = persona_mission(p, start=next_year(4, 6), end=next_year(4, 10))
    kenya = _kenya_mission(p, start=next_year(5, 4), end=next_year(5, 8))
    assert sorted(_refs(api_client(p.secretariat))) == sorted([senegal.reference, kenya.reference])
    for user in (p.member, p.regional, p.donor):
        assert _refs(api_client(user)) == [senegal.reference], user
    assert _refs(api_client(p.outsider)) == [kenya.reference]
    # An expert sees a mission once she is invited to it.
    assert _refs(api_client(p.expert_user)) == []
    make_assignment(senegal.slots.get(), p.expert, status=AssignmentStatus.INVITED)
    assert _refs(api_client(p.expert_user)) == [senegal.reference]


def test_no_token_is_401(personas: Personas):
    response = api_client(None).get(MISSIONS)
    assert response.status_code == 401 and response.json()["status"] == 401


def test_another_partys_mission_is_404_without_its_title(personas: Personas):
    kenya = _kenya_mission(personas)
    for user in (personas.member, personas.donor, personas.expert_user, personas.regional):
        response = api_client(user).get(f"{MISSIONS}{kenya.pk}/")
        assert response.status_code == 404, user
        assert response["Content-Type"] == "application/problem+json"
        assert "Kenya's own" not in response.content.decode()
    assert api_client(personas.outsider).get(f"{MISSIONS}{kenya.pk}/").status_code == 200


def test_the_detail_shows_slots_and_the_assignments_the_page_shows(personas: Personas):
    p = personas
    mission = persona_mission(
        p,
        start=next_year(4, 6),
        end=next_year(4, 10),
        slots=[
            (Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2}),
            (Category.SPECIALIZED_TRAINER, {"aeo": 1}),
        ],
    )
    first, second = mission.slots.order_by("position")
    invited = make_assignment(first, p.expert, status=AssignmentStatus.INVITED)
    kenyan = make_expert(home_administration=p.admin_c, first_name="Wanjiru", last_name="Kamau")
    proposed = make_assignment(second, kenyan, status=AssignmentStatus.PROPOSED)

    def slots_of(user):
        body = api_client(user).get(f"{MISSIONS}{mission.pk}/").json()
        return {s["position"]: [a["id"] for a in s["assignments"]] for s in body["slots"]}, body

    slots, body = slots_of(p.secretariat)
    assert slots == {1: [invited.pk], 2: [proposed.pk]}
    assert body["slot_count"] == 2 and body["staffed_count"] == 2
    assert body["slots"][0]["requirements"] == [
        {"topic": "risk_management", "topic_name": "Risk management", "level": 2}
    ]
    assert body["slots"][0]["code"] == f"{mission.reference}-1"
    ana = body["slots"][0]["assignments"][0]
    assert ana["expert"]["name"] == "Ana Lima" and ana["status"] == "invited"
    # Proposals stay with the secretariat and the administration that offered the expert.
    for user in (p.member, p.donor, p.regional):
        slots, body = slots_of(user)
        assert slots == {1: [invited.pk], 2: []}, user
        assert "Kamau" not in str(body)
    assert api_client(p.outsider).get(f"{MISSIONS}{mission.pk}/").status_code == 404


def test_past_assignments_only_to_the_secretariat(personas: Personas):
    p = personas
    mission = persona_mission(p, start=next_year(4, 6), end=next_year(4, 10))
    slot = mission.slots.get()
    declined = make_assignment(slot, p.expert, status=AssignmentStatus.INVITED)
    assignment_transition(
        assignment=declined, to_status=AssignmentStatus.DECLINED, by=p.expert_user, reason="Busy"
    )
    body = api_client(p.secretariat).get(f"{MISSIONS}{mission.pk}/").json()
    past = body["slots"][0]["assignments"][0]
    assert past["status"] == "declined" and past["decline_reason"] == "Busy"
    assert [h["to_status"] for h in past["history"]] == ["declined"]
    assert (
        api_client(p.member).get(f"{MISSIONS}{mission.pk}/").json()["slots"][0]["assignments"] == []
    )


def test_the_status_history_and_what_stands_behind(personas: Personas):
    p = personas
    mission = persona_mission(p, start=next_year(4, 6), end=next_year(4, 10))
    mission_transition(mission=mission, to_status=MissionStatus.PLANNED, by=p.secretariat)
    body = api_client(p.member).get(f"{MISSIONS}{mission.pk}/").json()
    assert [(h["from_status"], h["to_status"]) for h in body["history"]] == [("draft", "planned")]
    assert body["history"][0]["by"] == "secretariat"
    assert len(body["requests"]) == 1 and body["requests_hidden"] == 0
    assert len(body["agreements"]) == 1 and body["agreements_hidden"] == 0
    # An expert opens the mission she is invited to, not the request or the agreement.
    make_assignment(mission.slots.get(), p.expert, status=AssignmentStatus.INVITED)
    body = api_client(p.expert_user).get(f"{MISSIONS}{mission.pk}/").json()
    assert body["requests"] == [] and body["requests_hidden"] == 1
    assert body["agreements"] == [] and body["agreements_hidden"] == 1


def test_filters(personas: Personas):
    p = personas
    senegal = persona_mission(
        p,
        start=next_year(4, 6),
        end=next_year(4, 10),
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"aeo": 2})],
        title="Port risk workshop",
    )
    kenya = _kenya_mission(p, window=(next_year(9, 1), next_year(9, 30), 3))
    mission_transition(mission=senegal, to_status=MissionStatus.PLANNED, by=p.secretariat)
    client = api_client(p.secretariat)
    assert _refs(client, status="planned") == [senegal.reference]
    assert _refs(client, region="ESA") == [kenya.reference]
    assert _refs(client, beneficiary=p.admin_a.pk) == [senegal.reference]
    assert _refs(client, topic="aeo") == [senegal.reference]
    assert _refs(client, q="port risk") == [senegal.reference]
    assert _refs(client, period_from=next_year(9, 10).isoformat()) == [kenya.reference]
    assert _refs(client, period_to=next_year(5, 1).isoformat()) == [senegal.reference]
    assert sorted(_refs(client, year=next_year().year)) == sorted(
        [senegal.reference, kenya.reference]
    )
    assert _refs(client, year=next_year().year + 1) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"year": "1999"}, "year"),
        ({"period_from": "2027-02-30"}, "period_from"),
        ({"period_from": "2027-05-01", "period_to": "2027-04-01"}, "period_to"),
        ({"page_size": "101"}, "page_size"),
        ({"beneficiary": "0"}, "beneficiary"),
    ],
)
def test_bad_filters_name_the_field(personas: Personas, query, field):
    response = api_client(personas.secretariat).get(MISSIONS, query)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]


def test_pages(personas: Personas):
    missions = [
        persona_mission(personas, start=next_year(4, d), end=next_year(4, d + 1)) for d in (1, 5, 9)
    ]
    client = api_client(personas.member)
    first = client.get(MISSIONS, {"page_size": 2}).json()
    second = client.get(MISSIONS, {"page_size": 2, "page": 2}).json()
    assert first["count"] == second["count"] == 3
    seen = [m["id"] for m in first["results"] + second["results"]]
    assert seen == [m.pk for m in missions]
    assert client.get(MISSIONS, {"page_size": 2, "page": 3}).json()["results"] == []


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _invited_missions(p: Personas, days):
    for d in days:
        mission = persona_mission(p, start=next_year(4, d), end=next_year(4, d))
        make_assignment(mission.slots.get(), p.expert, status=AssignmentStatus.INVITED)


def test_the_list_reads_a_fixed_number_of_queries(
    personas: Personas, django_assert_max_num_queries
):
    users = (personas.secretariat, personas.member, personas.expert_user)
    clients = [api_client(user) for user in users]
    _invited_missions(personas, [1])
    few = [_queries(client, MISSIONS) for client in clients]
    _invited_missions(personas, range(2, 14))
    # The token and its rate limit (a dozen queries), the count, the page, its beneficiaries.
    assert [_queries(client, MISSIONS) for client in clients] == few
    with django_assert_max_num_queries(20):
        clients[0].get(MISSIONS)


def test_the_detail_reads_a_fixed_number_of_queries(
    personas: Personas, django_assert_max_num_queries
):
    mission = persona_mission(
        personas,
        start=next_year(4, 6),
        end=next_year(4, 10),
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})] * 6,
    )
    for slot in mission.slots.all():
        expert = make_expert(home_administration=personas.admin_b)
        make_assignment(slot, expert, status=AssignmentStatus.INVITED)
    client = api_client(personas.member)
    url = f"{MISSIONS}{mission.pk}/"
    before = _queries(client, url)
    for _n in range(3):
        make_slot_with_invited(mission, personas)
    assert _queries(client, url) == before
    with django_assert_max_num_queries(30):
        client.get(url)


def make_slot_with_invited(mission, p: Personas):
    slot = make_slot(mission, Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})
    make_assignment(
        slot, make_expert(home_administration=p.admin_b), status=AssignmentStatus.INVITED
    )
