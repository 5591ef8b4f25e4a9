"""The secretariat's appraisal queue through the real views: start appraisal, accept into a
draft mission, decline with a reason, merge into a regional mission, see duplicates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.assistance.models import RequestStatus
from renfort.missions.models import Mission, MissionStatus
from renfort.testing import make_member, make_request, next_year, persona_mission, table_state

QUEUE = reverse("assistance:appraisal_queue")
MERGE = reverse("assistance:requests_merge")
CONFIRMED = {"confirmed": "yes"}


def _submitted(personas, **kwargs):
    kwargs.setdefault("administrations", [personas.admin_a])
    kwargs.setdefault("focal_point", personas.member)
    kwargs.setdefault("status", RequestStatus.SUBMITTED)
    return make_request(**kwargs)


def _url(name, req):
    return reverse(f"assistance:{name}", args=[req.pk])


# --- the queue -------------------------------------------------------------------------------


def test_queue_ladder(client, personas):
    assert client.get(QUEUE).status_code == 302
    for user in (personas.member, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
    client.force_login(personas.secretariat)
    assert client.get(QUEUE).status_code == 200


def test_queue_lists_what_waits_for_appraisal(client, personas):
    waiting = _submitted(personas, title="Waiting")
    under = _submitted(personas, status=RequestStatus.UNDER_APPRAISAL, title="Under")
    accepted_free = _submitted(personas, status=RequestStatus.ACCEPTED, title="Free")
    accepted_planned = _submitted(personas, status=RequestStatus.ACCEPTED, title="Answered")
    persona_mission(personas, requests=[accepted_planned])
    declined = _submitted(personas, status=RequestStatus.DECLINED, title="Declined")
    client.force_login(personas.secretariat)
    rows = client.get(QUEUE).context["rows"]
    assert {r.pk for r in rows} == {waiting.pk, under.pk, accepted_free.pk}
    assert declined.pk not in {r.pk for r in rows}


def test_queue_flags_possible_duplicates(client, personas):
    start = next_year(5, 1)
    first = _submitted(personas, topics=("aeo",), preferred_start=start, title="AEO one")
    second = _submitted(personas, topics=("aeo", "transit"), preferred_start=start, title="AEO 2")
    lonely = _submitted(personas, topics=("integrity",), preferred_start=start, title="Integrity")
    client.force_login(personas.secretariat)
    response = client.get(QUEUE)
    dupes = {r.pk: [d.pk for d in r.possible_duplicates] for r in response.context["rows"]}
    assert dupes[first.pk] == [second.pk]
    assert dupes[second.pk] == [first.pk]
    assert dupes[lonely.pk] == []
    assert "Possible duplicate of" in response.content.decode()


def test_queue_query_count_does_not_grow_with_rows(client, personas, django_assert_max_num_queries):
    other = make_member("CI", "WCA")
    for i in range(30):
        _submitted(
            personas,
            administrations=[personas.admin_a, other],
            topics=("aeo", "risk_management"),
            status=RequestStatus.SUBMITTED if i % 3 else RequestStatus.ACCEPTED,
        )
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(15):  # 15th: the consultations of the page
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == 30
    # Three named on each row, the others counted (the request's page lists more).
    assert all(len(r.possible_duplicates) == 3 for r in response.context["rows"])
    assert all(r.more_duplicates == 26 for r in response.context["rows"])
    assert "and 26 more" in response.content.decode()


# --- actions ---------------------------------------------------------------------------------


def test_start_appraisal(client, personas):
    req = _submitted(personas)
    client.force_login(personas.secretariat)
    assert client.post(_url("request_appraise", req)).status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.UNDER_APPRAISAL
    assert req.history.filter(to_status=RequestStatus.UNDER_APPRAISAL).exists()


def test_start_appraisal_with_htmx_swaps_the_row(client, personas):
    req = _submitted(personas)
    client.force_login(personas.secretariat)
    response = client.post(_url("request_appraise", req), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="request-{req.pk}"')
    assert "Under appraisal" in html and "<html" not in html


def test_accept_asks_to_confirm_first_and_writes_nothing_until_then(client, personas):
    req = _submitted(personas)
    client.force_login(personas.secretariat)
    before = table_state()
    response = client.post(_url("request_accept", req), {"from": "queue"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Accept request {req.reference}" in html
    assert "can no longer be declined" in html  # the consequence, said
    assert ">Accept the request</button>" in html
    assert f'href="{QUEUE}"' in html  # cancelling leads back where the action was asked
    assert table_state() == before


def test_accept_creates_a_draft_mission_with_suggested_slots(client, personas):
    req = _submitted(personas, topics=("risk_management", "aeo"))
    client.force_login(personas.secretariat)
    response = client.post(_url("request_accept", req), CONFIRMED)
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED
    mission = Mission.objects.get(requests=req)
    assert mission.status == MissionStatus.DRAFT
    assert mission.slots.exists()
    assert response["Location"] == reverse("missions:mission_detail", args=[mission.pk])
    # The member follows it: the request shows the mission that answers it.
    client.force_login(personas.member)
    assert mission.reference in client.get(_url("request_detail", req)).content.decode()


def test_accept_with_htmx_swaps_the_row_and_names_the_mission(client, personas):
    req = _submitted(personas, status=RequestStatus.UNDER_APPRAISAL)
    client.force_login(personas.secretariat)
    response = client.post(_url("request_accept", req), CONFIRMED, HTTP_HX_REQUEST="true")
    mission = Mission.objects.get(requests=req)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="request-{req.pk}"')
    assert mission.reference in html


def test_decline_asks_to_confirm_with_a_reason(client, personas):
    req = _submitted(personas)
    client.force_login(personas.secretariat)
    before = table_state()
    html = client.post(_url("request_decline", req), {"from": "detail"}).content.decode()
    assert f"Decline request {req.reference}" in html
    assert "told, with your reason" in html
    assert 'name="reason"' in html and ">Decline the request</button>" in html
    assert f'href="{_url("request_detail", req)}"' in html
    assert table_state() == before


def test_decline_needs_a_reason_shown_next_to_the_field(client, personas):
    req = _submitted(personas)
    client.force_login(personas.secretariat)
    before = table_state()
    response = client.post(_url("request_decline", req), {**CONFIRMED, "reason": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give a reason: the people concerned will read it." in html
    assert 'href="#id_reason"' in html  # the error summary links to the field
    assert table_state() == before
    req.refresh_from_db()
    assert req.status == RequestStatus.SUBMITTED
    assert not req.history.exists()


def test_decline_with_a_reason_tells_the_member(client, personas):
    req = _submitted(personas)
    client.force_login(personas.secretariat)
    assert client.get(_url("request_decline", req)).status_code == 200
    response = client.post(
        _url("request_decline", req),
        {**CONFIRMED, "reason": "Covered by the 2025 regional programme."},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    req.refresh_from_db()
    assert req.status == RequestStatus.DECLINED
    assert req.decline_reason == "Covered by the 2025 regional programme."
    client.force_login(personas.member)
    html = client.get(_url("request_detail", req)).content.decode()
    assert "Covered by the 2025 regional programme." in html
    assert personas.member.notifications.filter(params__reference=req.reference).exists()


def test_decline_of_an_accepted_request_answers_404(client, personas):
    req = _submitted(personas, status=RequestStatus.ACCEPTED)
    client.force_login(personas.secretariat)
    response = client.post(_url("request_decline", req), {**CONFIRMED, "reason": "No."})
    assert response.status_code == 404
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED


def test_merge_makes_one_regional_mission(client, personas):
    other = make_member("CI", "WCA", name="Côte d'Ivoire Customs")
    a = _submitted(personas, status=RequestStatus.ACCEPTED, topics=("transit",))
    b = _submitted(personas, administrations=[other], topics=("transit",))
    client.force_login(personas.secretariat)
    before = table_state()
    asked = client.post(MERGE, {"requests": [a.pk, b.pk]}).content.decode()
    assert "Merge 2 requests into one regional mission?" in asked
    assert a.reference in asked and b.reference in asked
    assert f'name="requests" value="{a.pk}"' in asked  # carried to the confirmation
    assert table_state() == before
    response = client.post(MERGE, {"requests": [a.pk, b.pk], **CONFIRMED})
    assert response.status_code == 302
    mission = Mission.objects.get()
    assert set(mission.requests.all()) == {a, b}
    assert set(mission.beneficiaries.all()) == {personas.admin_a, other}
    b.refresh_from_db()
    assert b.status == RequestStatus.ACCEPTED


def test_merge_needs_two_requests(client, personas):
    a = _submitted(personas, status=RequestStatus.ACCEPTED)
    client.force_login(personas.secretariat)
    response = client.post(MERGE, {"requests": [a.pk]})
    assert response.status_code == 200
    assert "Choose at least two requests to merge." in response.content.decode()
    assert not Mission.objects.exists()


def test_merge_refuses_a_request_outside_the_queue(client, personas):
    a = _submitted(personas, status=RequestStatus.ACCEPTED)
    closed = _submitted(personas, status=RequestStatus.CLOSED)
    client.force_login(personas.secretariat)
    response = client.post(MERGE, {"requests": [a.pk, closed.pk]})
    assert "cannot be merged from this queue" in response.content.decode()
    assert not Mission.objects.exists()


@pytest.mark.parametrize("name", ["request_appraise", "request_accept", "request_decline"])
def test_queue_actions_ladder(client, personas, name):
    req = _submitted(personas)
    url = _url(name, req)
    data = {"reason": "No.", **CONFIRMED}
    assert client.post(url, data).status_code == 302
    assert "login" in client.post(url, data)["Location"]
    for user in (personas.member, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    # Out of the queue (already declined or closed): no such row to act on.
    done = _submitted(personas, status=RequestStatus.CLOSED)
    client.force_login(personas.secretariat)
    assert client.post(_url(name, done), data).status_code == 404
    req.refresh_from_db()
    assert req.status == RequestStatus.SUBMITTED
    assert not Mission.objects.exists()


def test_merge_ladder(client, personas):
    a = _submitted(personas, status=RequestStatus.ACCEPTED)
    b = _submitted(personas, status=RequestStatus.ACCEPTED)
    data = {"requests": [a.pk, b.pk], **CONFIRMED}
    assert client.post(MERGE, data).status_code == 302
    client.force_login(personas.member)
    assert client.post(MERGE, data).status_code == 403
    assert not Mission.objects.exists()


def test_merge_refused_by_the_service_writes_nothing(client, personas):
    # Requests in different languages cannot share a mission: neither is accepted either.
    a = _submitted(personas, language="fr")
    b = _submitted(personas, language="en")
    client.force_login(personas.secretariat)
    response = client.post(MERGE, {"requests": [a.pk, b.pk], **CONFIRMED})
    assert response.status_code == 200
    assert "different languages" in response.content.decode()
    assert not Mission.objects.exists()
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (RequestStatus.SUBMITTED, RequestStatus.SUBMITTED)
    assert not a.history.exists()


def test_secretariat_appraises_from_the_request_page(client, personas):
    req = _submitted(personas)
    client.force_login(personas.secretariat)
    html = client.get(_url("request_detail", req)).content.decode()
    assert _url("request_accept", req) in html and _url("request_decline", req) in html
    assert ">Accept the request</button>" in html and "Decline the request…" in html
    client.post(_url("request_accept", req), CONFIRMED)
    html = client.get(_url("request_detail", req)).content.decode()
    assert _url("request_accept", req) not in html  # answered by a mission now
    client.force_login(personas.member)
    assert (
        _url("request_accept", req) not in client.get(_url("request_detail", req)).content.decode()
    )
