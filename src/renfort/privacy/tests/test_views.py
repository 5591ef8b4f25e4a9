"""The personal data pages, up the ladder: anonymous, wrong role, other organisation (404),
allowed; the erasure asked, approved and refused through the confirmation step."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from renfort.accounts.models import Notification, Role
from renfort.privacy.models import ErasureRequest, ErasureStatus
from renfort.privacy.services import erasure_ask
from renfort.roster.models import Expert
from renfort.testing import Personas, make_expert, make_user


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_my_data_is_the_experts_own_page(personas: Personas) -> None:
    url = reverse("privacy:my_data")
    assert _client(None).get(url).status_code == 302
    assert _client(personas.member).get(url).status_code == 403
    page = _client(personas.expert_user).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Personal data of Ana Lima" in text
    assert "ana.lima@example.org" in text
    assert reverse("privacy:expert_data_json", args=[personas.expert.pk]) in text


def test_who_sees_an_experts_data(personas: Personas) -> None:
    url = reverse("privacy:expert_data", args=[personas.expert.pk])
    other_expert_user = make_user(Role.EXPERT, personas.admin_b)
    make_expert(home_administration=personas.admin_b, user=other_expert_user)
    expected = {
        personas.secretariat: 200,
        personas.lender: 200,  # France's focal point: the expert's home administration
        personas.expert_user: 200,
        personas.member: 404,  # Senegal
        personas.outsider: 404,
        personas.regional: 403,
        personas.donor: 403,
        other_expert_user: 404,
    }
    got = {user: _client(user).get(url).status_code for user in expected}
    assert got == expected
    assert _client(None).get(url).status_code == 302


def test_the_json_download_holds_everything_but_secrets(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    erasure_ask(expert=personas.expert, by=personas.expert_user, reason="No longer with customs.")
    client = _client(personas.lender)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("privacy:expert_data_json", args=[personas.expert.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["expert"]["email"] == "ana.lima@example.org"
    assert data["login"]["username"] == "expert"
    assert {s["topic"] for s in data["skills"]} == {"risk_management", "aeo"}
    assert data["erasure_requests"][0]["status"] == "asked"
    assert "password" not in response.content.decode()
    assert "pbkdf2" not in response.content.decode() and "md5$" not in response.content.decode()
    outsider = _client(personas.outsider)
    url = reverse("privacy:expert_data_json", args=[personas.expert.pk])
    assert outsider.get(url).status_code == 404


def test_the_page_reads_in_french(personas: Personas) -> None:
    url = reverse("privacy:expert_data", args=[personas.expert.pk])
    text = _client(personas.secretariat).get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Données personnelles de Ana Lima" in text
    assert "Demander l’effacement" in text or "Demander l'effacement" in text


def test_asking_for_an_erasure_asks_once_more_then_records_it(personas: Personas) -> None:
    client = _client(personas.expert_user)
    url = reverse("privacy:erasure_ask", args=[personas.expert.pk])
    first = client.post(url)
    assert first.status_code == 200 and b'name="confirmed"' in first.content
    assert not ErasureRequest.objects.exists()
    blank = client.post(url, {"confirmed": "yes", "reason": " "})
    assert blank.status_code == 400
    assert not ErasureRequest.objects.exists()
    done = client.post(url, {"confirmed": "yes", "reason": "I leave customs."})
    assert done.status_code == 302
    erasure = ErasureRequest.objects.get()
    assert (erasure.asked_by, erasure.status) == (personas.expert_user, ErasureStatus.ASKED)
    assert Notification.objects.filter(
        recipient=personas.secretariat, code="privacy.erasure_asked"
    ).exists()
    again = client.post(url, {"confirmed": "yes", "reason": "Again."}, follow=True)
    assert "asked already" in again.content.decode()
    assert ErasureRequest.objects.count() == 1
    assert (
        _client(personas.outsider).post(url, {"confirmed": "yes", "reason": "x"}).status_code == 404
    )


def test_the_queue_is_the_secretariats_and_paginated(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        expert = make_expert(home_administration=personas.admin_b)
        erasure_ask(expert=expert, by=personas.lender, reason=f"Reason {n}")
    url = reverse("privacy:erasure_queue")
    assert _client(personas.lender).get(url).status_code == 403
    client = _client(personas.secretariat)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "30 requests wait for your decision" in text
    assert text.count("Erase the data") == 25
    assert client.get(url + "?page=2").content.decode().count("Erase the data") == 5


def test_the_secretariat_approves_after_confirming(personas: Personas) -> None:
    erasure = erasure_ask(expert=personas.expert, by=personas.lender, reason="She left.")
    client = _client(personas.secretariat)
    url = reverse("privacy:erasure_approve", args=[erasure.pk])
    assert client.post(url).status_code == 200
    assert Expert.objects.get(pk=personas.expert.pk).first_name == "Ana"
    assert _client(personas.lender).post(url, {"confirmed": "yes"}).status_code == 403
    done = client.post(url, {"confirmed": "yes"}, follow=True)
    assert f"Erased expert #{personas.expert.pk}" in done.content.decode()
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.APPROVED
    assert Notification.objects.filter(
        recipient=personas.lender, code="privacy.erasure_approved"
    ).exists()


@pytest.mark.parametrize("reason", ["", "Missions under audit until 2030."])
def test_refusing_needs_a_reason(personas: Personas, reason: str) -> None:
    erasure = erasure_ask(expert=personas.expert, by=personas.expert_user, reason="Please.")
    client = _client(personas.secretariat)
    response = client.post(
        reverse("privacy:erasure_refuse", args=[erasure.pk]), {"confirmed": "yes", "reason": reason}
    )
    erasure.refresh_from_db()
    if not reason:
        assert response.status_code == 400
        assert erasure.status == ErasureStatus.ASKED
        return
    assert response.status_code == 302
    assert (erasure.status, erasure.refusal_reason) == (ErasureStatus.REFUSED, reason)
    note = Notification.objects.get(recipient=personas.expert_user, code="privacy.erasure_refused")
    assert reason in note.body_text


def test_the_expert_page_links_to_the_data_for_those_who_may_see_it(personas: Personas) -> None:
    url = reverse("roster:expert_detail", args=[personas.expert.pk])
    link = reverse("privacy:expert_data", args=[personas.expert.pk])
    assert link in _client(personas.lender).get(url).content.decode()
    assert link not in _client(personas.regional).get(url).content.decode()


def test_a_focal_point_sees_no_mission_it_may_not_open(personas: Personas) -> None:
    """A proposal (not sent to the expert) on a mission the lender may not open: only the
    secretariat's copy shows it."""
    from renfort.missions.models import AssignmentStatus
    from renfort.testing import make_assignment, make_mission, make_request

    mission = make_mission(
        requests=[make_request(administrations=[personas.admin_c])], title="Hidden mission"
    )
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.PROPOSED)
    url = reverse("privacy:expert_data_json", args=[personas.expert.pk])
    lender = json.loads(_client(personas.lender).get(url).content)
    own = json.loads(_client(personas.expert_user).get(url).content)
    secretariat = json.loads(_client(personas.secretariat).get(url).content)
    assert [a["mission_title"] for a in secretariat["assignments"]] == ["Hidden mission"]
    assert lender["assignments"] == own["assignments"] == []
    page = _client(personas.lender).get(reverse("privacy:expert_data", args=[personas.expert.pk]))
    assert "Hidden mission" not in page.content.decode()


def test_the_inbox_is_exported_to_the_expert_not_the_focal_point(personas: Personas) -> None:
    from renfort.accounts.services import notification_send

    notification_send(
        recipients=[personas.expert_user], code="privacy.erasure_approved", params={"number": "7"}
    )
    url = reverse("privacy:expert_data_json", args=[personas.expert.pk])
    own = json.loads(_client(personas.expert_user).get(url).content)
    lender = json.loads(_client(personas.lender).get(url).content)
    assert [n["subject"] for n in own["notifications"]] == ["Erasure approved (request 7)"]
    assert lender["notifications"] == []
