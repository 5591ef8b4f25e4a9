"""Consultations: the secretariat asks the regional coordinator for an opinion on a request
before deciding; only that region's coordinator answers, once; the answer shows on the
request page and in the appraisal queue."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from renfort.accounts.models import Notification, Region, Role
from renfort.assistance.consultation_services import consultation_answer, consultation_ask
from renfort.assistance.models import Consultation, ConsultationAnswer, Opinion, RequestStatus
from renfort.lib.limits import SHORT_TEXT
from renfort.lib.messages import render
from renfort.testing import (
    Personas,
    make_member,
    make_regional_office,
    make_request,
    make_user,
    refuses,
    table_state,
)

pytestmark = pytest.mark.django_db

QUESTION = "Does the region support a workshop on targeting in Dakar this year?"


def _request(p: Personas, status: str = RequestStatus.UNDER_APPRAISAL, **kwargs):
    return make_request(administrations=[p.admin_a], focal_point=p.member, status=status, **kwargs)


def _asked(p: Personas, **kwargs) -> Consultation:
    return consultation_ask(request=_request(p, **kwargs), by=p.secretariat, question=QUESTION)


def _other_coordinator(region: str = Region.EAST_SOUTHERN_AFRICA):
    return make_user(Role.REGIONAL_COORDINATOR, make_regional_office(region))


# --- asking ---------------------------------------------------------------------------------


def test_the_secretariat_asks_the_coordinator_of_the_requesting_region(personas):
    consultation = _asked(personas)
    assert consultation.region == Region.WEST_CENTRAL_AFRICA
    assert consultation.asked_by == personas.secretariat
    (notice,) = Notification.objects.all()
    assert notice.recipient == personas.regional and notice.code == "consultation.asked"
    assert notice.link == reverse("assistance:request_detail", args=[consultation.request.pk])
    assert QUESTION in notice.body_text  # the secretariat's own words follow the message
    with translation.override("fr"):
        french = render(notice.code, notice.params)
    assert "Votre avis est demandé" in french.subject


@pytest.mark.parametrize("status", [RequestStatus.ACCEPTED, RequestStatus.DECLINED])
def test_an_opinion_is_asked_before_the_decision(personas, status):
    refuses(
        consultation_ask,
        text="an opinion is asked before the request is accepted or declined",
        request=_request(personas, status=status),
        by=personas.secretariat,
        question=QUESTION,
    )


def test_asking_needs_a_question_within_its_limit(personas):
    req = _request(personas)
    refuses(
        consultation_ask,
        text="Question: say what you would like",
        field="question",
        request=req,
        by=personas.secretariat,
        question="  ",
    )
    refuses(
        consultation_ask,
        text=f"at most {SHORT_TEXT}",
        field="question",
        request=req,
        by=personas.secretariat,
        question="x" * (SHORT_TEXT + 1),
    )


def test_a_region_without_a_coordinator_is_not_asked(personas):
    kenya_request = make_request(administrations=[personas.admin_c], status="submitted")
    refuses(
        consultation_ask,
        text="has no regional coordinator in Renfort",
        field="region",
        request=kenya_request,
        by=personas.secretariat,
        question=QUESTION,
    )


def test_a_region_is_asked_once_per_request(personas):
    consultation = _asked(personas)
    refuses(
        consultation_ask,
        text="the coordinator of West & Central Africa has already been asked",
        request=consultation.request,
        by=personas.secretariat,
        question=QUESTION,
    )


def test_a_request_of_two_regions_names_the_region_to_ask(personas):
    req = make_request(administrations=[personas.admin_a, personas.admin_c], status="submitted")
    refuses(
        consultation_ask,
        text="choose the region of a requesting administration",
        field="region",
        request=req,
        by=personas.secretariat,
        question=QUESTION,
    )
    refuses(
        consultation_ask,
        text="choose the region of a requesting administration",
        field="region",
        request=req,
        by=personas.secretariat,
        question=QUESTION,
        region=Region.EUROPE,
    )
    asked = consultation_ask(request=req, by=personas.secretariat, question=QUESTION, region="WCA")
    assert asked.region == "WCA"


@pytest.mark.parametrize("who", ["regional", "member", "donor"])
def test_only_the_secretariat_asks(personas, who):
    refuses(
        consultation_ask,
        text="only the secretariat asks for an opinion",
        request=_request(personas),
        by=getattr(personas, who),
        question=QUESTION,
    )


# --- answering ------------------------------------------------------------------------------


def test_the_coordinator_answers_and_the_secretariat_is_told(personas):
    consultation = _asked(personas)
    answer = consultation_answer(
        consultation=consultation,
        by=personas.regional,
        opinion=Opinion.CONDITIONS,
        comment="If Côte d'Ivoire joins.",
    )
    assert (answer.opinion, answer.by) == (Opinion.CONDITIONS, personas.regional)
    notice = Notification.objects.get(code="consultation.answered")
    assert notice.recipient == personas.secretariat
    assert "Support with conditions" in notice.subject_text
    assert "If Côte d'Ivoire joins." in notice.body_text


def test_only_that_regions_coordinator_answers(personas):
    consultation = _asked(personas)
    for user in (_other_coordinator(), personas.secretariat, personas.member):
        refuses(
            consultation_answer,
            text="only the coordinator of West & Central Africa answers",
            consultation=consultation,
            by=user,
            opinion=Opinion.SUPPORT,
        )


def test_an_answer_has_a_known_opinion_and_says_why_when_it_is_not_plain_support(personas):
    consultation = _asked(personas)
    refuses(
        consultation_answer,
        text="Opinion: choose support",
        field="opinion",
        consultation=consultation,
        by=personas.regional,
        opinion="maybe",
    )
    for opinion, text in (
        (Opinion.CONDITIONS, "say on which conditions"),
        (Opinion.OPPOSE, "say why you do not support"),
    ):
        refuses(
            consultation_answer,
            text=text,
            field="comment",
            consultation=consultation,
            by=personas.regional,
            opinion=opinion,
            comment=" ",
        )


def test_a_consultation_is_answered_once(personas):
    consultation = _asked(personas)
    colleague = make_user(Role.REGIONAL_COORDINATOR, personas.regional_office)
    consultation_answer(consultation=consultation, by=personas.regional, opinion=Opinion.SUPPORT)
    refuses(
        consultation_answer,
        text="West & Central Africa has already given its opinion",
        consultation=consultation,
        by=colleague,
        opinion=Opinion.OPPOSE,
        comment="No.",
    )


def test_the_database_keeps_one_answer_per_consultation(personas):
    consultation = _asked(personas)
    ConsultationAnswer.objects.create(consultation=consultation, opinion=Opinion.SUPPORT)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationAnswer.objects.create(consultation=consultation, opinion=Opinion.OPPOSE)


# --- pages ----------------------------------------------------------------------------------


def test_ask_ladder(client, personas):
    req = _request(personas)
    url = reverse("assistance:consultation_ask", args=[req.pk])
    assert client.post(url, {"question": QUESTION}).status_code == 302  # to sign in
    for user in (personas.regional, personas.member, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.post(url, {"question": QUESTION}).status_code == 403
    assert not Consultation.objects.exists()
    client.force_login(personas.secretariat)
    response = client.post(url, {"question": QUESTION, "region": "WCA"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{req.pk}/#consultation")
    assert Consultation.objects.get().question == QUESTION


def test_a_refused_question_is_named_and_kept(client, personas):
    req = _request(personas)
    client.force_login(personas.secretariat)
    before = table_state()
    response = client.post(
        reverse("assistance:consultation_ask", args=[req.pk]),
        {"question": "x" * (SHORT_TEXT + 1), "region": "WCA"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Question:" in body and "x" * 50 in body
    assert table_state() == before


def test_answer_ladder(client, personas):
    consultation = _asked(personas)
    url = reverse("assistance:consultation_answer", args=[consultation.pk])
    data = {"opinion": Opinion.SUPPORT, "comment": ""}
    assert client.post(url, data).status_code == 302  # to sign in
    for user in (personas.secretariat, personas.member, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    client.force_login(_other_coordinator())
    assert client.post(url, data).status_code == 404
    assert not ConsultationAnswer.objects.exists()
    client.force_login(personas.regional)
    response = client.post(url, data)
    assert response.status_code == 302
    assert ConsultationAnswer.objects.get().opinion == Opinion.SUPPORT


def test_a_refused_answer_is_named_beside_its_field(client, personas):
    consultation = _asked(personas)
    client.force_login(personas.regional)
    response = client.post(
        reverse("assistance:consultation_answer", args=[consultation.pk]),
        {"opinion": Opinion.OPPOSE, "comment": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Comment: say why you do not support" in body
    assert not ConsultationAnswer.objects.exists()


def test_a_second_answer_on_the_page_says_it_was_given(client, personas):
    consultation = _asked(personas)
    consultation_answer(consultation=consultation, by=personas.regional, opinion=Opinion.SUPPORT)
    client.force_login(make_user(Role.REGIONAL_COORDINATOR, personas.regional_office))
    response = client.post(
        reverse("assistance:consultation_answer", args=[consultation.pk]),
        {"opinion": Opinion.OPPOSE, "comment": "No."},
    )
    assert "has already given its opinion" in response.content.decode()
    assert ConsultationAnswer.objects.get().opinion == Opinion.SUPPORT


def test_request_page_shows_the_consultation_to_the_secretariat_and_the_region_only(
    client, personas
):
    consultation = _asked(personas)
    consultation_answer(
        consultation=consultation, by=personas.regional, opinion=Opinion.OPPOSE, comment="Too soon."
    )
    url = reverse("assistance:request_detail", args=[consultation.request.pk])
    for user in (personas.secretariat, personas.regional):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert QUESTION in body and "Do not support" in body and "Too soon." in body
    for user in (personas.member, personas.donor):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in (200, 404)
        assert QUESTION not in response.content.decode()


def test_request_page_offers_the_coordinator_the_answer_form(client, personas):
    consultation = _asked(personas)
    client.force_login(personas.regional)
    url = reverse("assistance:request_detail", args=[consultation.request.pk])
    body = client.get(url).content.decode()
    assert reverse("assistance:consultation_answer", args=[consultation.pk]) in body
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Envoyer mon avis" in french and "Soutien sous conditions" in french


def test_request_page_offers_the_secretariat_the_question_while_in_appraisal(client, personas):
    req = _request(personas)
    client.force_login(personas.secretariat)
    url = reverse("assistance:request_detail", args=[req.pk])
    assert reverse("assistance:consultation_ask", args=[req.pk]) in client.get(url).content.decode()
    accepted = _request(personas, status=RequestStatus.ACCEPTED)
    page = client.get(reverse("assistance:request_detail", args=[accepted.pk])).content.decode()
    assert reverse("assistance:consultation_ask", args=[accepted.pk]) not in page


def test_the_queue_shows_the_answers_in_a_bounded_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    other = make_member("CI", "WCA")
    for n in range(12):
        consultation = consultation_ask(
            request=make_request(
                administrations=[personas.admin_a, other], status=RequestStatus.SUBMITTED
            ),
            by=personas.secretariat,
            question=f"{QUESTION} ({n})",
        )
        if n % 2:
            consultation_answer(
                consultation=consultation, by=personas.regional, opinion=Opinion.SUPPORT
            )
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("assistance:appraisal_queue"))
    body = response.content.decode()
    assert body.count("Opinion of West &amp; Central Africa:") == 12
    assert body.count("asked, not answered yet") == 6
