"""The terms of reference page and PDF, confirming and sending them, and the mission pack with
its invitation letter, through the real views: anonymous, wrong role (403), another party
(404), allowed; the PDFs' text read back."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from renfort.accounts.models import Notification, Role
from renfort.missions.models import Assignment, AssignmentStatus, Mission, MissionStatus
from renfort.missions.terms_models import TermsConfirmation
from renfort.roster.models import Category, ReleaseStatus
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_request,
    make_user,
    next_year,
    persona_mission,
    table_state,
)

pytestmark = pytest.mark.django_db

START = next_year(3, 2)  # a Tuesday in 2027, a weekday in any year near it
END = START + datetime.timedelta(days=6)


def _mission(p: Personas, **kwargs) -> tuple[Mission, Assignment]:
    mission = persona_mission(
        p,
        status=MissionStatus.SCHEDULED,
        title="Risk management at the port",
        location="Dakar, Senegal",
        start=kwargs.pop("start", START),
        end=kwargs.pop("end", END),
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})],
        **kwargs,
    )
    a = make_assignment(
        mission.slots.get(),
        p.expert,
        status=AssignmentStatus.ACCEPTED,
        release_status=ReleaseStatus.GRANTED,
    )
    return mission, a


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _get(client, user, url, **extra):
    client.force_login(user)
    return client.get(url, **extra)


# --- the terms page and PDF -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["missions:terms", "missions:terms_pdf"])
def test_terms_ladder(client, personas, name):
    mission, _ = _mission(personas)
    url = reverse(name, args=[mission.pk])
    assert client.get(url).status_code == 302
    assert _get(client, make_user("", personas.admin_a, username="norole"), url).status_code == 403
    assert _get(client, personas.outsider, url).status_code == 404
    for user in personas.users().values():
        if user != personas.outsider:
            assert _get(client, user, url).status_code == 200, user.username


def test_terms_page_shows_the_terms_and_the_confirmation_to_give(client, personas):
    mission, _ = _mission(personas)
    html = _get(client, personas.member, reverse("missions:terms", args=[mission.pk])).content
    body = html.decode()
    assert "Terms of reference of mission" in body and mission.reference in body
    assert "Train front-line officers." in body  # the request's needs
    assert "Ana Lima" in body and "French Customs" in body
    assert "Confirm the terms of reference" in body
    # The lender sees the terms, but has nothing to confirm.
    lender = _get(client, personas.lender, reverse("missions:terms", args=[mission.pk]))
    assert "Confirm the terms of reference" not in lender.content.decode()


def test_terms_page_reads_in_french(client, personas):
    mission, _ = _mission(personas)
    url = reverse("missions:terms", args=[mission.pk])
    body = _get(client, personas.member, url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Termes de référence de la mission" in body
    assert "Confirmer les termes de référence" in body


def test_terms_page_queries_do_not_grow_with_slots(client, personas, django_assert_max_num_queries):
    mission, _ = _mission(personas)
    client.force_login(personas.secretariat)
    url = reverse("missions:terms", args=[mission.pk])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(6):
        expert = make_expert(home_administration=personas.admin_b, last_name=f"Extra{n}")
        slot = mission.slots.create(position=10 + n, category=Category.SPECIALIZED_TRAINER)
        make_assignment(slot, expert, status=AssignmentStatus.ACCEPTED)
    mission.requests.add(make_request(administrations=[personas.admin_a]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_terms_pdf_names_the_mission_the_dates_and_the_experts(client, personas):
    mission, _ = _mission(personas)
    response = _get(client, personas.expert_user, reverse("missions:terms_pdf", args=[mission.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert mission.reference in text and "Risk management at the port" in text
    assert f"{START.day} {START:%B %Y}" in text and f"{END.day} {END:%B %Y}" in text
    assert "Ana Lima" in text and "French Customs" in text
    assert "Senegal Customs" in text


def test_terms_pdf_in_french_renders_accents(client, personas):
    mission, _ = _mission(personas)
    url = reverse("missions:terms_pdf", args=[mission.pk])
    response = _get(client, personas.member, url, HTTP_ACCEPT_LANGUAGE="fr")
    text = _text(response.content)
    assert "Termes de référence" in text and "é" in text
    assert "mars" in text and "Ana Lima" in text and mission.reference in text


# --- confirming and sending -----------------------------------------------------------------


def test_confirm_ladder(client, personas):
    mission, _ = _mission(personas)
    url = reverse("missions:terms_confirm", args=[mission.pk])
    before = table_state()
    assert client.post(url).status_code == 302 and "login" in client.post(url)["Location"]
    for user in (personas.secretariat, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.post(url).status_code == 403
    for user in (personas.outsider, personas.lender):  # lender: sees it, no beneficiary
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert table_state() == before
    client.force_login(personas.member)
    response = client.post(url, follow=True)
    assert "You confirmed version" in response.content.decode()
    assert TermsConfirmation.objects.get().organisation == personas.admin_a


def test_a_refused_confirmation_says_why(client, personas):
    mission, _ = _mission(personas)
    Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.PLANNED)
    client.force_login(personas.member)
    response = client.post(reverse("missions:terms_confirm", args=[mission.pk]), follow=True)
    assert "confirmed while it is scheduled" in response.content.decode()
    assert not TermsConfirmation.objects.exists()


def test_send_ladder(client, personas):
    mission, _ = _mission(personas)
    url = reverse("missions:terms_send", args=[mission.pk])
    for user in (personas.member, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.post(url).status_code == 403
    assert not Notification.objects.exists()
    client.force_login(personas.secretariat)
    response = client.post(url, follow=True)
    assert "sent to 1 focal point" in response.content.decode()
    assert Notification.objects.get(code="terms.ready").recipient == personas.member


def test_the_member_confirms_the_terms_then_the_mission(client, personas):
    mission, _ = _mission(personas)
    req = mission.requests.get()
    client.force_login(personas.member)
    confirm = reverse("assistance:mission_confirm", args=[req.pk, mission.pk])
    refused = client.post(confirm, follow=True).content.decode()
    assert "the terms of reference are not confirmed by Senegal Customs" in refused
    client.post(reverse("missions:terms_confirm", args=[mission.pk]))
    client.post(confirm)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CONFIRMED


# --- the mission pack -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["missions:mission_pack", "missions:invitation_letter"])
def test_pack_ladder(client, personas, name):
    _, a = _mission(personas)
    url = reverse(name, args=[a.pk])
    assert client.get(url).status_code == 302
    for user in (personas.regional, personas.donor):
        assert _get(client, user, url).status_code == 403
    other_user = make_user(Role.EXPERT, personas.admin_b, username="other-expert")
    make_expert(home_administration=personas.admin_b, user=other_user)
    for user in (personas.outsider, other_user):
        assert _get(client, user, url).status_code == 404
    for user in (personas.expert_user, personas.secretariat, personas.member, personas.lender):
        assert _get(client, user, url).status_code == 200, user.username


@pytest.mark.parametrize("status", [AssignmentStatus.PROPOSED, AssignmentStatus.INVITED])
def test_no_pack_before_the_expert_accepts(client, personas, status):
    mission, a = _mission(personas)
    Assignment.objects.filter(pk=a.pk).update(status=status)
    url = reverse("missions:mission_pack", args=[a.pk])
    assert _get(client, personas.secretariat, url).status_code == 404
    terms = _get(client, personas.secretariat, reverse("missions:terms", args=[mission.pk]))
    assert url not in terms.content.decode()


def test_pack_shows_venue_contacts_and_the_agenda_in_the_hosts_calendar(client, personas):
    # New Year's Day is a public holiday in Senegal; its weekend is Saturday and Sunday.
    first = datetime.date(START.year + 1, 1, 1)
    _, a = _mission(personas, start=first, end=first + datetime.timedelta(days=6))
    personas.member.first_name, personas.member.last_name = "Awa", "Diop"
    personas.member.save()
    response = _get(client, personas.expert_user, reverse("missions:mission_pack", args=[a.pk]))
    body = response.content.decode()
    assert "Dakar, Senegal" in body and "Senegal Customs" in body
    assert "Awa Diop" in body and personas.member.email in body
    days = response.context["pack"].agenda
    assert [d.day for d in days] == [first + datetime.timedelta(days=k) for k in range(7)]
    assert days[0].kind == "holiday"
    weekend = [d for d in days[1:] if d.day.isoweekday() in (6, 7)]
    assert weekend and all(d.kind == "weekend" for d in weekend)
    assert "Public holiday" in body and "Weekend" in body
    assert response.context["pack"].working_days == 7 - 1 - len(weekend)


def test_terms_page_links_to_the_packs_the_user_may_open(client, personas):
    mission, a = _mission(personas)
    pack = reverse("missions:mission_pack", args=[a.pk])
    url = reverse("missions:terms", args=[mission.pk])
    assert pack in _get(client, personas.expert_user, url).content.decode()
    assert pack in _get(client, personas.lender, url).content.decode()
    assert pack not in _get(client, personas.donor, url).content.decode()


def test_invitation_letter_names_the_expert_the_administrations_the_mission_and_dates(
    client, personas
):
    mission, a = _mission(personas)
    response = _get(
        client, personas.expert_user, reverse("missions:invitation_letter", args=[a.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Invitation letter" in text
    assert "Ana Lima" in text and "French Customs" in text and "Senegal Customs" in text
    assert mission.reference in text and "Risk management at the port" in text
    assert f"{START.day} {START:%B %Y}" in text and f"{END.day} {END:%B %Y}" in text


def test_invitation_letter_in_french(client, personas):
    mission, a = _mission(personas)
    url = reverse("missions:invitation_letter", args=[a.pk])
    text = _text(_get(client, personas.expert_user, url, HTTP_ACCEPT_LANGUAGE="fr").content)
    assert "Lettre d’invitation" in text and "é" in text
    assert "Ana Lima" in text and mission.reference in text and "mars" in text
