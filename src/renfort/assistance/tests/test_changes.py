"""The requesting administration changes or withdraws its request until the secretariat
decides: the services' rules, each refusal naming the rule and writing nothing, what the
history keeps and who is told (in the reader's language), and the pages that do it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from renfort.accounts.models import Notification, Role
from renfort.assistance.change_services import request_update, request_withdraw
from renfort.assistance.consultation_services import consultation_answer
from renfort.assistance.models import (
    Consultation,
    ConsultationAnswer,
    Request,
    RequestStatus,
    RequestStatusChange,
)
from renfort.testing import (
    Personas,
    make_member,
    make_request,
    make_user,
    next_year,
    refuses,
    table_state,
    topic,
)

pytestmark = pytest.mark.django_db
CONFIRMED = {"confirmed": "yes"}


def _submitted(p: Personas, **kwargs: Any) -> Request:
    kwargs.setdefault("administrations", [p.admin_a])
    kwargs.setdefault("focal_point", p.member)
    kwargs.setdefault("status", RequestStatus.SUBMITTED)
    kwargs.setdefault("title", "Risk profiling at Dakar port")
    return make_request(**kwargs)


def _update_args(p: Personas, req: Request, **overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "request": req,
        "by": p.member,
        "title": req.title,
        "administrations": list(req.administrations.all()),
        "topics": list(req.topics.all()),
        "level": req.level,
        "needs": req.needs,
        "preferred_start": req.preferred_start,
        "preferred_end": req.preferred_end,
        "language": req.language,
        "priority": req.priority,
    }
    args.update(overrides)
    return args


def _content(req: Request) -> tuple[Any, ...]:
    req = Request.objects.get(pk=req.pk)
    return (
        req.title,
        req.needs,
        req.level,
        req.language,
        req.priority,
        req.preferred_start,
        req.preferred_end,
        sorted(a.pk for a in req.administrations.all()),
        sorted(t.pk for t in req.topics.all()),
    )


# --- changing: the service ------------------------------------------------------------------


def test_a_change_is_saved_kept_in_the_history_and_told_to_the_secretariat(personas) -> None:
    co = make_member("CI", "WCA", name="Côte d'Ivoire Customs")
    ci_focal_point = make_user(Role.MEMBER_FOCAL_POINT, co)
    req = _submitted(personas, status=RequestStatus.UNDER_APPRAISAL)
    changed = request_update(
        **_update_args(
            personas,
            req,
            title="Risk profiling at Dakar and Ziguinchor",
            administrations=[personas.admin_a, co],
            topics=[topic("risk_management"), topic("aeo")],
            preferred_end=req.preferred_end + datetime.timedelta(days=10),
        )
    )
    assert changed == ["title", "administrations", "topics", "preferred_period"]
    req.refresh_from_db()
    assert req.title == "Risk profiling at Dakar and Ziguinchor"
    assert req.status == RequestStatus.UNDER_APPRAISAL  # still waiting for the secretariat
    assert set(req.administrations.all()) == {personas.admin_a, co}
    step = req.history.get()
    assert (step.from_status, step.to_status, step.by) == (
        RequestStatus.UNDER_APPRAISAL,
        RequestStatus.UNDER_APPRAISAL,
        personas.member,
    )
    assert (step.note, step.note_code) == ("", "request.changed")
    assert step.note_params == {"fields": changed}
    assert step.is_edit
    assert step.note_text == (
        "Changed: title, requesting administrations, topics, preferred period."
    )
    told = set(
        Notification.objects.filter(code="request.changed_by_member").values_list(
            "recipient__username", flat=True
        )
    )
    # The secretariat and the new co-requester, not the member who made the change.
    assert told == {personas.secretariat.username, ci_focal_point.username}
    note = Notification.objects.filter(recipient=personas.secretariat).get()
    assert note.subject_text == f"Request {req.reference} changed by Senegal Customs"
    assert "topics, preferred period" in note.body_text


def test_saving_without_a_change_writes_nothing(personas) -> None:
    req = _submitted(personas)
    before = table_state()
    assert request_update(**_update_args(personas, req)) == []
    assert table_state() == before


def test_a_start_left_as_it_was_may_lie_in_the_past(personas) -> None:
    past = timezone.localdate() - datetime.timedelta(days=30)
    req = _submitted(personas, preferred_start=past, preferred_end=next_year(5, 1))
    assert request_update(**_update_args(personas, req, title="Now with a title")) == ["title"]


def test_a_new_start_in_the_past_is_refused(personas) -> None:
    req = _submitted(personas)
    refuses(
        request_update,
        text="is in the past",
        field="preferred_start",
        **_update_args(personas, req, preferred_start=timezone.localdate() - datetime.timedelta(1)),
    )


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"title": "  "}, "title", "Title: give the request a title."),
        ({"needs": ""}, "needs", "Needs: describe what your administration needs."),
        ({"topics": []}, "topics", "Topics: choose at least one topic."),
        ({"level": "cosmic"}, "level", "cosmic is not strategic"),
        ({"language": "French"}, "language", "French is not an ISO 639-1 code"),
        ({"priority": 0}, "priority", "0 is not between 1 and 5"),
        ({"title": "T" * 201}, "title", "Title: 201 characters, at most 200."),
        ({"preferred_end": datetime.date(2101, 1, 1)}, "preferred_end", "is outside"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_written(
    personas, overrides, field, text
) -> None:
    req = _submitted(personas)
    before = _content(req)
    refuses(request_update, text=text, field=field, **_update_args(personas, req, **overrides))
    assert _content(req) == before


def test_the_submitting_administration_cannot_be_left_out(personas) -> None:
    co = make_member("CI", "WCA", name="Côte d'Ivoire Customs")
    req = _submitted(personas, administrations=[personas.admin_a, co])
    before = _content(req)
    refuses(
        request_update,
        text="only a member focal point of one of the requesting administrations",
        field="administrations",
        **_update_args(personas, req, administrations=[co]),
    )
    assert _content(req) == before


@pytest.mark.parametrize(
    "status",
    [
        RequestStatus.ACCEPTED,
        RequestStatus.DECLINED,
        RequestStatus.WITHDRAWN,
        RequestStatus.PLANNED,
        RequestStatus.CLOSED,
    ],
)
def test_a_decided_request_can_no_longer_be_changed_or_withdrawn(personas, status) -> None:
    req = _submitted(personas, status=status)
    before = _content(req)
    refuses(
        request_update,
        text="it can no longer be changed. Write to the secretariat",
        **_update_args(personas, req, title="Another title"),
    )
    refuses(
        request_withdraw,
        text="it can no longer be withdrawn. Write to the secretariat",
        request=req,
        by=personas.member,
    )
    assert _content(req) == before


@pytest.mark.parametrize("who", ["secretariat", "regional", "outsider", "lender", "co_requester"])
def test_only_the_submitting_administration_changes_or_withdraws(personas, who) -> None:
    co = make_member("CI", "WCA", name="Côte d'Ivoire Customs")
    users = {**personas.users(), "lender": personas.lender}
    users["co_requester"] = make_user(Role.MEMBER_FOCAL_POINT, co)
    req = _submitted(personas, administrations=[personas.admin_a, co])
    before = _content(req)
    by = users[who]
    refuses(
        request_update,
        text="only the member focal points of the administration that submitted it",
        **_update_args(personas, req, by=by, title="Hijacked"),
    )
    refuses(
        request_withdraw,
        text="only the member focal points of the administration that submitted it",
        request=req,
        by=by,
    )
    assert _content(req) == before


def test_a_colleague_of_the_submitting_focal_point_may_change_it(personas) -> None:
    colleague = make_user(Role.MEMBER_FOCAL_POINT, personas.admin_a)
    req = _submitted(personas)
    assert request_update(**_update_args(personas, req, by=colleague, priority=5)) == ["priority"]


def test_an_inactive_focal_point_cannot(personas) -> None:
    req = _submitted(personas)
    personas.member.is_active = False
    personas.member.save()
    refuses(request_withdraw, text="only the member focal points", request=req, by=personas.member)


# --- withdrawing: the service ---------------------------------------------------------------


def test_withdrawing_ends_the_request_and_tells_the_secretariat_and_the_coordinator(
    personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    req = _submitted(personas, status=RequestStatus.UNDER_APPRAISAL)
    Consultation.objects.create(
        request=req, region="WCA", question="Does it fit?", asked_by=personas.secretariat
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_withdraw(request=req, by=personas.member, reason="The port project was cancelled.")
    req.refresh_from_db()
    assert req.status == RequestStatus.WITHDRAWN
    step = req.history.get()
    assert (step.from_status, step.to_status, step.by, step.note) == (
        RequestStatus.UNDER_APPRAISAL,
        RequestStatus.WITHDRAWN,
        personas.member,
        "The port project was cancelled.",  # the member's own words, never translated
    )
    withdrawn = Notification.objects.filter(code="request.withdrawn")
    assert {n.recipient for n in withdrawn} == {personas.secretariat, personas.regional}
    note = withdrawn.get(recipient=personas.secretariat)
    assert note.subject_text == f"Request {req.reference} withdrawn by Senegal Customs"
    assert "The port project was cancelled." in note.body_text
    # The requesting administration is told as for every status change.
    assert Notification.objects.filter(
        recipient=personas.member, code="request.status_changed", params__status="withdrawn"
    ).exists()
    assert personas.secretariat.email in {to for m in mailoutbox for to in m.to}


def test_an_answered_consultation_leaves_the_coordinator_out(personas) -> None:
    req = _submitted(personas)
    consultation = Consultation.objects.create(
        request=req, region="WCA", question="?", asked_by=personas.secretariat
    )
    ConsultationAnswer.objects.create(consultation=consultation, opinion="support")
    request_withdraw(request=req, by=personas.member)
    told = {n.recipient for n in Notification.objects.filter(code="request.withdrawn")}
    assert told == {personas.secretariat}


def test_a_withdrawal_reason_too_long_is_refused(personas) -> None:
    req = _submitted(personas)
    refuses(
        request_withdraw,
        text="2001 characters, at most 2000",
        field="reason",
        request=req,
        by=personas.member,
        reason="r" * 2001,
    )


def test_no_opinion_on_a_withdrawn_request(personas) -> None:
    req = _submitted(personas)
    consultation = Consultation.objects.create(
        request=req, region="WCA", question="?", asked_by=personas.secretariat
    )
    request_withdraw(request=req, by=personas.member)
    refuses(
        consultation_answer,
        text="was withdrawn by its administration",
        consultation=consultation,
        by=personas.regional,
        opinion="support",
    )


def test_what_a_change_and_a_withdrawal_write_reads_in_french(personas) -> None:
    req = _submitted(personas)
    request_update(**_update_args(personas, req, needs="Former 30 agents.", priority=5))
    request_withdraw(request=req, by=personas.member, reason="Le projet est annulé.")
    personas.secretariat.language = "fr"
    changed = Notification.objects.get(
        recipient=personas.secretariat, code="request.changed_by_member"
    )
    withdrawn = Notification.objects.get(recipient=personas.secretariat, code="request.withdrawn")
    with translation.override("fr"):
        history = [step.note_text for step in req.history.all()]
        assert history == ["Modifié\u00a0: besoins, priorité.", "Le projet est annulé."]
        assert changed.subject_text == f"Demande {req.reference} modifiée par Senegal Customs"
        assert changed.body_text == (
            "Senegal Customs a modifié la demande «\u00a0Risk profiling at Dakar port\u00a0»"
            "\u00a0: besoins, priorité."
        )
        assert withdrawn.subject_text == f"Demande {req.reference} retirée par Senegal Customs"
        assert "a retiré la demande" in withdrawn.body_text
        assert "Le projet est annulé." in withdrawn.body_text
        status = Notification.objects.get(recipient=personas.member, code="request.status_changed")
        assert "Retirée" in status.subject_text


# --- the pages ------------------------------------------------------------------------------


def _edit_form(req: Request, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": req.title,
        "topics": [t.code for t in req.topics.all()],
        "level": req.level,
        "needs": req.needs,
        "preferred_start": req.preferred_start.isoformat(),
        "preferred_end": req.preferred_end.isoformat(),
        "language": req.language,
        "priority": str(req.priority),
    }
    data.update(overrides)
    return data


def test_the_member_changes_its_request_from_its_page(client, personas) -> None:
    req = _submitted(personas)
    detail = reverse("assistance:request_detail", args=[req.pk])
    edit = reverse("assistance:request_edit", args=[req.pk])
    client.force_login(personas.member)
    html = client.get(detail).content.decode()
    assert edit in html and ">Withdraw the request…</button>" in html
    form = client.get(edit).content.decode()
    assert 'value="Risk profiling at Dakar port"' in form and "Save the changes" in form
    response = client.post(edit, _edit_form(req, title="Risk profiling, two ports"))
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "Risk profiling, two ports" in page
    assert "Request changed" in page and "Changed: title." in page
    assert "saved. Changed: title. The secretariat is told." in page


def test_the_edit_page_shows_errors_in_a_summary_and_keeps_the_input(client, personas) -> None:
    req = _submitted(personas)
    edit = reverse("assistance:request_edit", args=[req.pk])
    client.force_login(personas.member)
    before = _content(req)
    response = client.post(edit, _edit_form(req, title="Kept", needs=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="errors form-errors error-summary"' in html
    assert 'href="#id_needs"' in html and "Needs: this field is required." in html
    assert 'value="Kept"' in html
    assert _content(req) == before


@pytest.mark.parametrize("name", ["request_edit", "request_withdraw"])
def test_change_and_withdraw_ladder(client, personas, name) -> None:
    co = make_member("CI", "WCA", name="Côte d'Ivoire Customs")
    co_fp = make_user(Role.MEMBER_FOCAL_POINT, co)
    req = _submitted(personas, administrations=[personas.admin_a, co])
    url = reverse(f"assistance:{name}", args=[req.pk])
    data = {**_edit_form(req, title="Hijacked"), **CONFIRMED}
    before = table_state()
    assert "login" in client.post(url, data)["Location"]
    for user in (personas.secretariat, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    client.force_login(personas.outsider)  # another administration: no such request
    assert client.post(url, data).status_code == 404
    client.force_login(co_fp)  # sees the request, does not change it
    response = client.post(url, data, follow=True)
    assert "only the member focal points of the administration that submitted it" in (
        response.content.decode()
    )
    assert table_state() == before
    assert Request.objects.get(pk=req.pk).title == "Risk profiling at Dakar port"
    page = client.get(reverse("assistance:request_detail", args=[req.pk])).content.decode()
    assert url not in page  # no button offered to a co-requester


def test_withdraw_asks_to_confirm_then_withdraws(client, personas) -> None:
    req = _submitted(personas)
    url = reverse("assistance:request_withdraw", args=[req.pk])
    detail = reverse("assistance:request_detail", args=[req.pk])
    client.force_login(personas.member)
    before = table_state()
    html = client.post(url).content.decode()
    assert f"Withdraw request {req.reference}" in html
    assert "cannot be reopened" in html and "Why do you withdraw it?" in html
    assert "(optional)" in html and f'href="{detail}"' in html
    assert table_state() == before
    response = client.post(url, {**CONFIRMED, "reason": "Covered by a bilateral project."})
    assert response.status_code == 302 and response["Location"] == detail
    req.refresh_from_db()
    assert req.status == RequestStatus.WITHDRAWN
    page = client.get(detail).content.decode()
    assert "Covered by a bilateral project." in page
    assert reverse("assistance:request_edit", args=[req.pk]) not in page
    assert url not in page


@pytest.mark.parametrize("name", ["request_edit", "request_withdraw"])
def test_a_decided_request_sends_the_member_back_with_a_message(client, personas, name) -> None:
    req = _submitted(personas, status=RequestStatus.ACCEPTED)
    client.force_login(personas.member)
    before = table_state()
    url = reverse(f"assistance:{name}", args=[req.pk])
    response = client.post(url, {**_edit_form(req, title="Late"), **CONFIRMED}, follow=True)
    assert "is Accepted: it can no longer be" in response.content.decode()
    assert table_state() == before
    assert Request.objects.get(pk=req.pk).title == "Risk profiling at Dakar port"


def test_a_withdrawn_request_leaves_the_queue(client, personas) -> None:
    req = _submitted(personas)
    request_withdraw(request=req, by=personas.member)
    client.force_login(personas.secretariat)
    assert req.reference not in client.get(reverse("assistance:appraisal_queue")).content.decode()
    accept = reverse("assistance:request_accept", args=[req.pk])
    assert client.post(accept, CONFIRMED).status_code == 404


def test_the_edit_form_offers_languages_by_name(client, personas) -> None:
    req = _submitted(personas)
    client.force_login(personas.member)
    html = client.get(reverse("assistance:request_edit", args=[req.pk])).content.decode()
    assert '<option value="fr" selected>French</option>' in html
    assert "(no)" not in html and "Norwegian (no)" not in html


def test_history_is_read_in_french(client, personas) -> None:
    req = _submitted(personas)
    request_update(**_update_args(personas, req, level="strategic"))
    client.force_login(personas.member)
    client.cookies["django_language"] = "fr"
    html = client.get(
        reverse("assistance:request_detail", args=[req.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Demande modifiée" in html and "Modifié\u00a0: niveau." in html
    assert "Changed:" not in html


def test_old_sentences_in_the_history_become_codes(personas) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("renfort.assistance.migrations.0006_request_history_notes_as_codes")
    req = _submitted(personas)
    rows = [
        RequestStatusChange.objects.create(request=req, to_status="planned", note=note)
        for note in (
            "Planned in mission M-2026-014.",
            "La mission M-2026-014 ne la prévoit plus.",
            "Réalisée par la mission M-2026-015.",
            "Covered by the regional plan.",  # a person's words: left alone
        )
    ]
    migration.notes_to_codes(apps, None)
    found = [
        (r.note, r.note_code, r.note_params)
        for r in RequestStatusChange.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")
    ]
    assert found == [
        ("", "request.planned_in_mission", {"mission": "M-2026-014"}),
        ("", "request.unplanned", {"mission": "M-2026-014"}),
        ("", "request.delivered_by_mission", {"mission": "M-2026-015"}),
        ("Covered by the regional plan.", "", {}),
    ]
    with translation.override("fr"):
        assert RequestStatusChange.objects.get(pk=rows[0].pk).note_text == (
            "Planifiée dans la mission M-2026-014."
        )
