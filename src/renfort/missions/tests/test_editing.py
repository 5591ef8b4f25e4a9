"""Changing a mission after its creation: its details (``mission_edit``), postponing a
confirmed mission (``mission_postpone``), and an expert withdrawing after accepting; through
the services (each rule, nothing written on a refusal) and the pages (each role)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from renfort.accounts.models import Notification, Role
from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    MissionStatus,
    MissionStatusChange,
)
from renfort.missions.services import (
    assignment_transition,
    mission_edit,
    mission_postpone,
    postpone_preview,
)
from renfort.roster.models import ReleaseStatus, Unavailability
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    next_year,
    persona_mission,
    refuses,
    table_state,
)

pytestmark = pytest.mark.django_db

D = datetime.timedelta


def _edit(p: Personas, mission, **changes):
    values = {
        "title": mission.title,
        "location": mission.location,
        "language": mission.language,
        "window_start": mission.window_start,
        "window_end": mission.window_end,
        "duration_days": mission.duration_days,
        **changes,
    }
    return {"mission": mission, "by": p.secretariat, **values}


def _held(p: Personas, mission, status=AssignmentStatus.ACCEPTED, expert=None) -> Assignment:
    return make_assignment(
        mission.slots.get(),
        expert or p.expert,
        status=status,
        release_status=ReleaseStatus.GRANTED,
        busy=True,
    )


# --- mission_edit ---------------------------------------------------------------------------


def test_secretariat_edits_title_location_language_and_window(personas) -> None:
    mission = persona_mission(personas, window=(next_year(5, 1), next_year(6, 30), 5))
    invited = _held(personas, mission, status=AssignmentStatus.INVITED)
    mission_edit(
        **_edit(
            personas,
            mission,
            title="Risk management, second round",
            location="Dakar, Senegal",
            language="en",
            window_start=next_year(5, 10),
            window_end=next_year(7, 15),
            duration_days=4,
        )
    )
    mission.refresh_from_db()
    assert (mission.title, mission.location, mission.language) == (
        "Risk management, second round",
        "Dakar, Senegal",
        "en",
    )
    assert (mission.window_start, mission.window_end, mission.duration_days) == (
        next_year(5, 10),
        next_year(7, 15),
        4,
    )
    row = MissionStatusChange.objects.get(note_code="mission.edited")
    assert row.from_status == row.to_status == MissionStatus.DRAFT and row.note == ""
    assert {c["field"] for c in row.note_params["changes"]} == {
        "title",
        "location",
        "language",
        "window",
        "duration_days",
    }
    # Told: the invited expert and the beneficiary's focal point.
    told = Notification.objects.filter(code="mission.details_changed")
    assert {n.recipient for n in told} >= {invited.expert.user, personas.member}


def test_the_history_note_reads_in_the_readers_language(client, personas) -> None:
    mission = persona_mission(personas, window=(next_year(5, 1), next_year(6, 30), 5))
    with translation.override("en"):
        mission_edit(**_edit(personas, mission, language="en", title="New title"))
    row = MissionStatusChange.objects.get(note_code="mission.edited")
    with translation.override("en"):
        english = row.note_text
    with translation.override("fr"):
        french = row.note_text
    assert "language: French → English" in english and "“New title”" in english
    assert "Modifié" in french and "anglais" in french and "English" not in french
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_detail", args=[mission.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "anglais" in body


def test_only_a_title_change_tells_nobody(personas) -> None:
    mission = persona_mission(personas)
    _held(personas, mission, status=AssignmentStatus.INVITED)
    mission_edit(**_edit(personas, mission, title="Another title"))
    assert not Notification.objects.filter(code="mission.details_changed").exists()


def test_nothing_changed_writes_nothing(personas) -> None:
    mission = persona_mission(personas)
    before = table_state()
    mission_edit(**_edit(personas, mission))
    assert table_state() == before


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"title": "  "}, "title", "Title: give the mission a title."),
        ({"title": "t" * 201}, "title", "Title: 201 characters, at most 200."),
        ({"language": "xx"}, "language", "Language: choose a language from the list."),
        (
            {"window_start": next_year(6, 30), "window_end": next_year(6, 1), "duration_days": 5},
            "window_end",
            "is before the first day of the window",
        ),
        (
            {"window_start": next_year(6, 1), "window_end": next_year(6, 3), "duration_days": 5},
            "duration_days",
            "Duration: 5 days do not fit in the window (3 days).",
        ),
        (
            {"window_start": next_year(6, 1), "window_end": None, "duration_days": 5},
            "window_end",
            "Window: give its first day, its last day and the duration.",
        ),
        (
            {"window_start": None, "window_end": None, "duration_days": None},
            "window_start",
            "so it keeps a window",
        ),
        (
            {
                "window_start": datetime.date(1999, 1, 1),
                "window_end": next_year(6, 3),
                "duration_days": 5,
            },
            "window_start",
            "outside the dates Renfort accepts",
        ),
    ],
)
def test_bad_details_are_refused_by_field(personas, changes, field, text) -> None:
    mission = persona_mission(personas, window=(next_year(5, 1), next_year(6, 30), 5))
    refuses(mission_edit, text=text, field=field, **_edit(personas, mission, **changes))


def test_a_window_must_hold_the_missions_dates(personas) -> None:
    mission = persona_mission(
        personas, window=(next_year(3, 1), next_year(3, 31), 5), start=next_year(3, 2)
    )
    refuses(
        mission_edit,
        text="must lie within it",
        field="window_start",
        **_edit(personas, mission, window_start=next_year(3, 10)),
    )


def test_a_new_language_rechecks_every_expert(personas) -> None:
    mission = persona_mission(personas)
    _held(personas, mission)  # Ana Lima speaks English and French
    refuses(
        mission_edit,
        text="does not speak ar",
        **_edit(personas, mission, language="ar"),
    )


def test_a_new_window_rechecks_every_expert(personas) -> None:
    mission = persona_mission(personas, window=(next_year(5, 1), next_year(6, 30), 5))
    _held(personas, mission, status=AssignmentStatus.PROPOSED)
    Unavailability.objects.create(
        expert=personas.expert, start=next_year(8, 1), end=next_year(8, 31)
    )
    refuses(
        mission_edit,
        text="has no 5 free days in the window",
        **_edit(
            personas,
            mission,
            window_start=next_year(8, 1),
            window_end=next_year(8, 31),
        ),
    )


def test_a_confirmed_mission_keeps_its_window_and_a_closed_one_everything(personas) -> None:
    confirmed = persona_mission(
        personas,
        status=MissionStatus.CONFIRMED,
        window=(next_year(3, 1), next_year(3, 31), 5),
        start=next_year(3, 2),
    )
    refuses(
        mission_edit,
        text="postpone it to give it new dates instead",
        field="window_start",
        **_edit(personas, confirmed, window_end=next_year(4, 30)),
    )
    closed = persona_mission(personas, status=MissionStatus.CLOSED)
    refuses(
        mission_edit,
        text="it can no longer change",
        field="title",
        **_edit(personas, closed, title="Renamed"),
    )
    delivered = persona_mission(personas, status=MissionStatus.DELIVERED)
    refuses(
        mission_edit,
        text="its language no longer changes",
        field="language",
        **_edit(personas, delivered, language="en"),
    )


# --- the edit page -----------------------------------------------------------------------------


def test_edit_page_up_the_ladder(client, personas) -> None:
    mission = persona_mission(personas)
    url = reverse("missions:mission_edit", args=[mission.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    for persona in ("regional", "member", "lender", "donor", "expert_user", "outsider"):
        client.force_login(getattr(personas, persona))
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "x"}).status_code == 403
    client.force_login(personas.secretariat)
    assert client.get(reverse("missions:mission_edit", args=[999999])).status_code == 404
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Save the mission details" in body
    assert '<option value="fr" selected>' in body  # a language by name, not a typed code
    assert personas.secretariat.role == Role.SECRETARIAT_COORDINATOR


def test_edit_page_saves_and_refuses_with_an_error_summary(client, personas) -> None:
    mission = persona_mission(personas, window=(next_year(5, 1), next_year(6, 30), 5))
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_edit", args=[mission.pk])
    data = {
        "title": "Renamed",
        "location": "Dakar",
        "language": "fr",
        "window_start": next_year(5, 1),
        "window_end": next_year(6, 30),
        "duration_days": 70,
    }
    before = table_state()
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body and "Duration: 70 days do not fit in the window" in body
    assert table_state() == before
    response = client.post(url, {**data, "duration_days": 5})
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.title == "Renamed"


# --- postponing -------------------------------------------------------------------------------


def _confirmed(p: Personas, **kwargs):
    mission = persona_mission(p, status=MissionStatus.CONFIRMED, start=next_year(3, 2), **kwargs)
    return mission, _held(p, mission, status=AssignmentStatus.CONFIRMED)


def test_postponing_keeps_the_experts_who_still_fit(personas) -> None:
    mission, held = _confirmed(personas)
    assert postpone_preview(mission, next_year(9, 7), next_year(9, 11)) == []
    mission, withdrawn = mission_postpone(
        mission=mission, start=next_year(9, 7), end=next_year(9, 11), by=personas.secretariat
    )
    assert withdrawn == [] and mission.status == MissionStatus.CONFIRMED
    assert (mission.start, mission.end) == (next_year(9, 7), next_year(9, 11))
    held.refresh_from_db()
    assert held.status == AssignmentStatus.CONFIRMED and held.busy_from == next_year(9, 7)
    row = MissionStatusChange.objects.get(note_code="mission.postponed_from")
    assert row.note_params["new"] == [next_year(9, 7).isoformat(), next_year(9, 11).isoformat()]
    told = {n.recipient for n in Notification.objects.filter(code="mission.postponed")}
    # The expert, her home administration's focal point, the beneficiary's.
    assert told >= {personas.expert_user, personas.lender, personas.member}


def test_postponing_withdraws_the_experts_who_no_longer_fit(personas) -> None:
    mission, held = _confirmed(personas)
    Unavailability.objects.create(
        expert=personas.expert, start=next_year(9, 1), end=next_year(9, 30), reason="Leave"
    )
    unfit = postpone_preview(mission, next_year(9, 7), next_year(9, 11))
    assert [u.assignment.pk for u in unfit] == [held.pk]
    assert "unavailable" in " ".join(unfit[0].problems)
    # Not agreed on the confirmation step: refused, naming her, nothing written.
    refuses(
        mission_postpone,
        text="Ana Lima no longer fits mission",
        mission=mission,
        start=next_year(9, 7),
        end=next_year(9, 11),
        by=personas.secretariat,
    )
    mission, withdrawn = mission_postpone(
        mission=mission,
        start=next_year(9, 7),
        end=next_year(9, 11),
        by=personas.secretariat,
        withdraw=[held.pk],
        reason="The venue is closed in March.",
    )
    assert [a.pk for a in withdrawn] == [held.pk]
    held.refresh_from_db()
    assert held.status == AssignmentStatus.WITHDRAWN and held.busy_from is None
    assert held.history.last().note_code == "assignment.unfit_after_postponing"
    # A slot lost its expert: the mission goes back to scheduled, said in its history.
    assert mission.status == MissionStatus.SCHEDULED
    assert MissionStatusChange.objects.filter(note_code="mission.unstaffed_by_postponing").exists()
    withdrawn_notice = Notification.objects.get(code="assignment.withdrawn")
    assert withdrawn_notice.recipient == personas.expert_user
    postponed = Notification.objects.filter(code="mission.postponed")
    assert personas.lender in {n.recipient for n in postponed}
    assert all(n.params["note"] == "The venue is closed in March." for n in postponed)


@pytest.mark.parametrize(
    ("status", "dates", "field", "text"),
    [
        (MissionStatus.SCHEDULED, (9, 7, 9, 11), "start", "only a confirmed mission is postponed"),
        (MissionStatus.CONFIRMED, (3, 2, 3, 6), "start", "already runs on these dates"),
        (MissionStatus.CONFIRMED, (9, 11, 9, 7), "end", "is before the first day"),
    ],
)
def test_postponing_refuses_by_field(personas, status, dates, field, text) -> None:
    mission = persona_mission(personas, status=status, start=next_year(3, 2))
    refuses(
        mission_postpone,
        text=text,
        field=field,
        mission=mission,
        start=next_year(dates[0], dates[1]),
        end=next_year(dates[2], dates[3]),
        by=personas.secretariat,
    )


def test_postponing_into_the_past_is_refused(personas) -> None:
    mission, _held_assignment = _confirmed(personas)
    yesterday = datetime.date.today() - D(days=1)
    refuses(
        mission_postpone,
        text="is in the past",
        field="start",
        mission=mission,
        start=yesterday,
        end=yesterday + D(days=3),
        by=personas.secretariat,
    )


def test_postponing_widens_the_window_to_hold_the_new_dates(personas) -> None:
    mission, _held_assignment = _confirmed(personas, window=(next_year(3, 1), next_year(3, 31), 5))
    mission, _ = mission_postpone(
        mission=mission, start=next_year(5, 4), end=next_year(5, 8), by=personas.secretariat
    )
    assert (mission.window_start, mission.window_end) == (next_year(3, 1), next_year(5, 8))


def test_postpone_page_lists_who_would_be_withdrawn_before_anything_changes(
    client, personas
) -> None:
    mission, held = _confirmed(personas)
    Unavailability.objects.create(
        expert=personas.expert, start=next_year(9, 1), end=next_year(9, 30)
    )
    url = reverse("missions:mission_postpone", args=[mission.pk])
    for persona in ("regional", "member", "lender", "donor", "expert_user"):
        client.force_login(getattr(personas, persona))
        data = {"start": next_year(9, 7), "end": next_year(9, 11)}
        assert client.post(url, data).status_code == 403
        assert client.get(url).status_code == 403
    client.force_login(personas.secretariat)
    assert client.get(url).status_code == 200
    before = table_state()
    data = {"start": next_year(9, 7), "end": next_year(9, 11)}
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ana Lima cannot take part at the new dates and will be withdrawn" in body
    assert "Postpone the mission" in body
    assert table_state() == before
    response = client.post(url, {**data, "confirmed": "yes", "reason": "Venue closed."})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == AssignmentStatus.WITHDRAWN
    # Bad dates come back on the form, named.
    response = client.post(url, {"start": next_year(9, 11), "end": next_year(9, 7)})
    assert response.status_code == 400
    assert "The last day comes before the first day." in response.content.decode()


# --- the status buttons and the expert's own withdrawal ---------------------------------------


def test_status_buttons_are_verbs_and_never_preselect_a_step_back(client, personas) -> None:
    mission = persona_mission(personas, status=MissionStatus.SCHEDULED)
    client.force_login(personas.secretariat)
    response = client.get(reverse("missions:mission_detail", args=[mission.pk]))
    actions = [(a.to_status, a.label, a.kind) for a in response.context["status_actions"]]
    assert actions == [
        ("confirmed", "Confirm the mission", "primary"),
        ("planned", "Move back to planned", "secondary"),
        ("cancelled", "Cancel the mission", "danger"),
    ]
    body = response.content.decode()
    assert "<select" not in body.split('id="h-status"')[1].split("</section>")[0]
    # Going back asks first, and writes nothing until confirmed.
    url = reverse("missions:mission_transition", args=[mission.pk])
    before = table_state()
    response = client.post(url, {"to_status": "planned"})
    assert response.status_code == 200 and "Move back to planned" in response.content.decode()
    assert table_state() == before
    client.post(url, {"to_status": "planned", "confirmed": "yes", "reason": ""})
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PLANNED


def test_an_expert_withdraws_after_accepting_with_a_reason(personas) -> None:
    mission = persona_mission(personas, status=MissionStatus.SCHEDULED)
    held = _held(personas, mission)
    refuses(
        assignment_transition,
        text="Reason: say why you withdraw",
        assignment=held,
        to_status=AssignmentStatus.WITHDRAWN,
        by=personas.expert_user,
    )
    assignment_transition(
        assignment=held,
        to_status=AssignmentStatus.WITHDRAWN,
        by=personas.expert_user,
        reason="My administration needs me in March.",
    )
    held.refresh_from_db()
    assert held.status == AssignmentStatus.WITHDRAWN
    assert held.decline_reason == "My administration needs me in March."
    told = Notification.objects.filter(code="assignment.expert_withdrew")
    assert {n.recipient for n in told} == {personas.secretariat, personas.lender}
    assert all(n.params["note"] == "My administration needs me in March." for n in told)
    with translation.override("fr"):
        text = str(told.get(recipient=personas.lender).text())
    assert "ne participe plus" in text and "My administration needs me in March." in text


def test_an_expert_withdraws_only_herself_only_after_accepting_and_not_too_late(
    personas,
) -> None:
    mission = persona_mission(personas, status=MissionStatus.SCHEDULED)
    other = make_expert(home_administration=personas.admin_b, first_name="Jan")
    held = _held(personas, mission, expert=other)
    refuses(
        assignment_transition,
        text="Only Jan",
        assignment=held,
        to_status=AssignmentStatus.WITHDRAWN,
        by=personas.expert_user,
        reason="Not mine.",
    )
    invited = persona_mission(personas, status=MissionStatus.SCHEDULED, start=next_year(6, 1))
    answer = _held(personas, invited, status=AssignmentStatus.INVITED)
    refuses(
        assignment_transition,
        text="decline the invitation instead",
        assignment=answer,
        to_status=AssignmentStatus.WITHDRAWN,
        by=personas.expert_user,
        reason="No.",
    )
    done = persona_mission(personas, status=MissionStatus.DELIVERED, start=next_year(9, 1))
    completed = _held(personas, done, status=AssignmentStatus.CONFIRMED)
    refuses(
        assignment_transition,
        text="it is too late to withdraw from it",
        assignment=completed,
        to_status=AssignmentStatus.WITHDRAWN,
        by=personas.expert_user,
        reason="Too late.",
    )


def test_withdrawing_an_expert_asks_once_more_with_a_reason_they_will_read(
    client, personas
) -> None:
    mission = persona_mission(personas)
    invited = _held(personas, mission, status=AssignmentStatus.INVITED)
    client.force_login(personas.secretariat)
    url = reverse("missions:assignment_transition", args=[invited.pk])
    before = table_state()
    response = client.post(url, {"to_status": "withdrawn"})
    assert response.status_code == 200 and "Withdraw the expert" in response.content.decode()
    response = client.post(url, {"to_status": "withdrawn", "confirmed": "yes", "reason": ""})
    assert response.status_code == 400 and "Give a reason" in response.content.decode()
    assert table_state() == before
    data = {"to_status": "withdrawn", "confirmed": "yes", "reason": "Needed elsewhere."}
    assert client.post(url, data).status_code == 302
    invited.refresh_from_db()
    assert invited.status == AssignmentStatus.WITHDRAWN
    assert invited.decline_reason == "Needed elsewhere."
