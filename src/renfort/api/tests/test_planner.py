"""Planner runs through the API: the secretariat's alone; started, followed, read and accepted
through the same services and selectors as the planner pages (the immediate task backend of
the tests solves a run before the start returns)."""

from __future__ import annotations

from functools import partial
from typing import cast

import pytest
from django.http import HttpResponse

from renfort.accounts.models import Role
from renfort.api.testing import api_client
from renfort.missions.models import Assignment, AssignmentSource, AssignmentStatus
from renfort.missions.tests.racing import race
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.roster.models import Category
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_personas,
    make_user,
    next_year,
    persona_mission,
    table_state,
)

pytestmark = pytest.mark.django_db

RUNS = "/api/v1/planner/runs/"


@pytest.fixture
def world(personas: Personas) -> dict:
    """One mission the persona expert can staff, one nobody can."""
    p = personas
    staffable = persona_mission(
        p,
        start=next_year(4, 6),
        end=next_year(4, 10),
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})],
    )
    hopeless = persona_mission(
        p,
        window=(next_year(5, 1), next_year(5, 30), 4),
        slots=[(Category.SPECIALIZED_TRAINER, {"valuation": 4})],
    )
    return {"p": p, "staffable": staffable, "hopeless": hopeless}


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _start(world: dict, **changes):
    body = {"missions": [world["staffable"].pk, world["hopeless"].pk], "time_limit_s": 1}
    body.update(changes)
    return _post(api_client(world["p"].secretariat), RUNS, body)


def test_start_follow_read_and_accept_a_run(world: dict):
    p = world["p"]
    client = api_client(p.secretariat)
    response = _start(world)
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["status"] == "done" and run["mission_count"] == 2
    assert run["open_proposals"] == 1 and run["quality"]["staffed"] == 1
    assert run["progress"] and {"t", "primary"} <= set(run["progress"][-1])
    detail = client.get(f"{RUNS}{run['id']}/").json()
    assert detail["id"] == run["id"] and detail["created_by"] == "secretariat"
    assert [r["id"] for r in client.get(RUNS).json()["results"]] == [run["id"]]

    staffed = client.get(f"{RUNS}{run['id']}/result/").json()
    assert staffed["count"] == 1
    (mission,) = staffed["results"]
    assert mission["mission_id"] == world["staffable"].pk
    (proposal,) = mission["proposals"]
    assert proposal["expert_name"] == "Ana Lima" and proposal["state"] == "open"
    assert "Risk management 3 (needs 2)" in proposal["explanation"]
    unstaffed = client.get(f"{RUNS}{run['id']}/result/", {"staffed": "false"}).json()
    assert unstaffed["results"][0]["reference"] == world["hopeless"].reference
    assert "Customs valuation at level 4 or more" in " ".join(unstaffed["results"][0]["reasons"])

    accepted = _post(client, f"{RUNS}{run['id']}/accept/", {"all": True})
    assert accepted.status_code == 200, accepted.content
    (invited,) = accepted.json()["invited"]
    assignment = Assignment.objects.get(pk=invited["assignment_id"])
    assert assignment.status == AssignmentStatus.INVITED
    assert assignment.source == AssignmentSource.PLANNER and assignment.expert == p.expert
    assert accepted.json()["refused"] == []


def test_accepting_again_is_422_naming_why_and_writes_nothing(world: dict):
    client = api_client(world["p"].secretariat)
    run = _start(world).json()
    code = f"{world['staffable'].reference}-1"
    assert _post(client, f"{RUNS}{run['id']}/accept/", {"slots": [code]}).status_code == 200
    before = table_state()
    response = _post(client, f"{RUNS}{run['id']}/accept/", {"slots": [code]})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "slots" and error["message"] == f"{code}: already accepted"
    response = _post(client, f"{RUNS}{run['id']}/accept/", {"all": True})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "all"
    response = _post(client, f"{RUNS}{run['id']}/accept/", {"slots": []})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "slots"
    assert table_state() == before


def test_a_proposal_the_rules_now_refuse_is_422_and_writes_nothing(world: dict):
    p = world["p"]
    client = api_client(p.secretariat)
    run = _start(world).json()
    # Since the plan, Ana took another mission at the same dates.
    clash = persona_mission(p, start=next_year(4, 7), end=next_year(4, 8))
    make_assignment(clash.slots.get(), p.expert, status=AssignmentStatus.ACCEPTED, busy=True)
    before = table_state()
    response = _post(client, f"{RUNS}{run['id']}/accept/", {"all": True})
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == "slots" and clash.reference in error["message"]
    assert table_state() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"missions": [999999]}, "missions"),
        ({"missions": []}, "missions"),
        ({"time_limit_s": 0.01}, "time_limit_s"),
        ({"time_limit_s": 100000}, "time_limit_s"),
        ({"missions": [], "period_start": "2031-05-01", "period_end": "2031-04-01"}, "period_end"),
        ({"period_start": "2031-02-30"}, "period_start"),
        ({"missions": ["M-1"]}, "missions.0"),
    ],
)
def test_bad_input_names_the_field_and_starts_no_run(world: dict, changes, field):
    before = table_state()
    response = _start(world, **changes)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert table_state() == before and not PlannerRun.objects.exists()


def test_a_mission_past_planning_is_refused(world: dict):
    confirmed = persona_mission(
        world["p"], status="confirmed", start=next_year(7, 1), end=next_year(7, 2)
    )
    response = _start(world, missions=[confirmed.pk])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "missions"
    assert not PlannerRun.objects.exists()


def test_other_roles_are_403_and_write_nothing(world: dict):
    p = world["p"]
    run = PlannerRun.objects.create(created_by=p.secretariat, status=PlannerRunStatus.QUEUED)
    before = table_state()
    for user in (p.regional, p.member, p.donor, p.expert_user, p.outsider):
        client = api_client(user)
        assert client.get(RUNS).status_code == 403, user
        assert client.get(f"{RUNS}{run.pk}/").status_code == 403
        assert client.get(f"{RUNS}{run.pk}/result/").status_code == 403
        body = {"missions": [world["staffable"].pk], "time_limit_s": 1}
        assert _post(client, RUNS, body).status_code == 403
        assert _post(client, f"{RUNS}{run.pk}/accept/", {"all": True}).status_code == 403
    assert table_state() == before and PlannerRun.objects.count() == 1


def test_an_unknown_run_is_404(personas: Personas):
    client = api_client(personas.secretariat)
    assert client.get(f"{RUNS}999999/").status_code == 404
    assert client.get(f"{RUNS}999999/result/").status_code == 404
    assert _post(client, f"{RUNS}999999/accept/", {"all": True}).status_code == 404


def test_a_run_still_working_has_no_result_yet(personas: Personas):
    run = PlannerRun.objects.create(created_by=personas.secretariat)
    client = api_client(personas.secretariat)
    detail = client.get(f"{RUNS}{run.pk}/").json()
    assert detail["status"] == "queued" and detail["quality"] is None
    response = client.get(f"{RUNS}{run.pk}/result/")
    assert response.status_code == 409 and "no plan" in response.json()["detail"]
    before = table_state()
    response = _post(client, f"{RUNS}{run.pk}/accept/", {"slots": ["M-1-1"]})
    assert response.status_code == 422 and "no plan" in response.json()["detail"]
    assert table_state() == before


def test_result_pages(world: dict):
    p = world["p"]
    for month in (6, 7):
        persona_mission(
            p,
            start=next_year(month, 6),
            end=next_year(month, 8),
            slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})],
        )
    make_expert(home_administration=p.admin_b, skills={"risk_management": 3})
    run = _post(
        api_client(p.secretariat),
        RUNS,
        {"period_start": next_year(4, 1).isoformat(), "period_end": next_year(7, 30).isoformat()},
    ).json()
    assert run["status"] == "done", run
    client = api_client(p.secretariat)
    url = f"{RUNS}{run['id']}/result/"
    pages = [client.get(url, {"page_size": 2, "page": n}).json() for n in (1, 2, 3)]
    assert [page["count"] for page in pages] == [3, 3, 3]
    assert [len(page["results"]) for page in pages] == [2, 1, 0]
    refs = {m["reference"] for page in pages for m in page["results"]}
    assert len(refs) == 3
    assert client.get(url, {"page_size": 0}).status_code == 422


def test_the_run_list_filters_and_pages(personas: Personas):
    for status in (PlannerRunStatus.DONE, PlannerRunStatus.FAILED, PlannerRunStatus.DONE):
        PlannerRun.objects.create(created_by=personas.secretariat, status=status)
    client = api_client(personas.secretariat)
    assert client.get(RUNS, {"status": "done"}).json()["count"] == 2
    page = client.get(RUNS, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 1
    assert client.get(RUNS, {"status": "lost"}).status_code == 422


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_accepting_at_once_invite_once():
    """Two coordinators accept the same proposal at the same moment: one invitation, the
    other told why, no server error (the services' locks; on PostgreSQL with racing
    connections)."""
    p = make_personas()
    mission = persona_mission(
        p,
        start=next_year(4, 6),
        end=next_year(4, 10),
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})],
    )
    second = make_user(Role.SECRETARIAT_COORDINATOR, p.secretariat_org, username="second")
    for round_ in range(3):
        if round_:
            Assignment.objects.filter(slot__mission=mission).delete()
        body = {"missions": [mission.pk], "time_limit_s": 1}
        run = _post(api_client(p.secretariat), RUNS, body).json()
        url = f"{RUNS}{run['id']}/accept/"
        clients = [api_client(p.secretariat), api_client(second)]
        result = race(*(partial(_post, c, url, {"all": True}) for c in clients))
        assert not result.unexpected, result.unexpected
        answers = [cast(HttpResponse, r) for r in result.successes]
        statuses = sorted(r.status_code for r in answers)
        assert statuses == [200, 422], [r.content for r in answers]
        assert Assignment.objects.filter(slot__mission=mission).count() == 1
