"""Erasure anonymises the person everywhere and keeps missions, assignments and results."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client

from renfort.accounts.models import Invitation, Notification
from renfort.missions.models import Assignment, Mission
from renfort.privacy.erasure import history_models, pseudonym
from renfort.privacy.models import ErasureRequest, ErasureStatus
from renfort.privacy.services import (
    erased_expert_ids,
    erasure_approve,
    erasure_ask,
    reapply_erasures,
)
from renfort.privacy.tests.people import EMAIL, FIRST, LAST, make_rich_person, tables_holding
from renfort.results.models import MissionReport
from renfort.roster.models import Expert, Skill
from renfort.testing import Personas, make_expert, row_counts


def test_after_erasure_no_table_holds_the_name_or_the_address(personas: Personas) -> None:
    person = make_rich_person(personas)
    client = Client()
    client.force_login(person.user)
    before = tables_holding(person.needles)
    # The person is really spread out: the proof below means something.
    assert {
        "roster_expert",
        "accounts_user",
        "accounts_invitation",
        "accounts_notification",
        "missions_assignmentstatuschange",
        "missions_mission",
        "results_missionreport",
        "django_admin_log",
        "roster_unavailability",
        "missions_assignment",
    } <= before[FIRST]
    assert {"roster_expert", "accounts_user", "accounts_invitation"} <= before[EMAIL]
    histories = {hm._meta.db_table for hm in history_models()}
    if histories:
        assert before[person.needles[-1]] & histories, "the old address is in the history"
    erasure = erasure_ask(expert=person.expert, by=personas.lender, reason=f"{FIRST} asks.")
    counts = row_counts()

    erasure_approve(erasure_id=erasure.pk, by=personas.secretariat)

    after = tables_holding(person.needles)
    assert after == {n: set() for n in person.needles}
    expert = Expert.objects.get(pk=person.expert.pk)
    assert str(expert) == pseudonym(expert.pk)
    assert (expert.email, expert.active) == ("", False)
    user = expert.user
    assert user is not None
    assert (user.username, user.email, user.is_active) == (f"erased-{user.pk}", "", False)
    assert not user.has_usable_password()
    assert not Session.objects.filter(session_data__contains=SESSION_KEY).exclude(
        expire_date__isnull=True
    ).exists() or all(
        s.get_decoded().get(SESSION_KEY) != str(user.pk) for s in Session.objects.all()
    )
    assert not Notification.objects.filter(recipient=user).exists()
    assert Invitation.objects.get(expert=expert).revoked_at is not None
    # Kept: missions, the assignment (linked to the anonymised record), the report, skills.
    assert Assignment.objects.get(pk=person.assignment.pk).expert_id == expert.pk
    assert Mission.objects.filter(pk=person.assignment.slot.mission_id).exists()
    assert MissionReport.objects.filter(author=expert).count() == 1
    assert Skill.objects.filter(expert=expert).count() == 2
    after_counts = row_counts()
    for label in (
        "missions.Mission",
        "missions.Assignment",
        "agreements.Agreement",
        "results.MissionReport",
        "roster.Expert",
        "accounts.User",
    ):
        assert after_counts[label] == counts[label], label
    erasure.refresh_from_db()
    assert (erasure.status, erasure.decided_by) == (ErasureStatus.APPROVED, personas.secretariat)
    assert erased_expert_ids() == [expert.pk]
    # The signed-in session is gone: the next page asks to sign in.
    assert client.get("/privacy/me/").status_code == 302


def test_reapplying_an_erasure_after_a_restore_erases_again(personas: Personas) -> None:
    """An older backup brings the person back; the ledger's ids erase them again."""
    person = make_rich_person(personas)
    erasure = erasure_ask(expert=person.expert, by=person.user, reason="Please.")
    erasure_approve(erasure_id=erasure.pk, by=personas.secretariat)
    # What restoring a backup taken before the erasure looks like for the expert record.
    Expert.objects.filter(pk=person.expert.pk).update(first_name=FIRST, last_name=LAST, email=EMAIL)
    Mission.objects.filter(pk=person.assignment.slot.mission_id).update(
        objectives=f"By {FIRST} {LAST}."
    )

    reports = reapply_erasures()

    assert [r.expert_id for r in reports] == [person.expert.pk]
    assert tables_holding([f"{FIRST} {LAST}", EMAIL, LAST]) == {
        f"{FIRST} {LAST}": set(),
        EMAIL: set(),
        LAST: set(),
    }
    # Running it again is harmless.
    reapply_erasures()
    assert str(Expert.objects.get(pk=person.expert.pk)) == pseudonym(person.expert.pk)


@pytest.mark.parametrize("twice", [False, True])
def test_erasing_keeps_other_people_untouched(personas: Personas, twice: bool) -> None:
    """The other expert (Ana Lima) and words such as "expert" are left as they were."""
    person = make_rich_person(personas)
    ana = personas.expert
    erasure = erasure_ask(expert=person.expert, by=personas.secretariat, reason="By mail.")
    erasure_approve(erasure_id=erasure.pk, by=personas.secretariat)
    if twice:
        reapply_erasures()
    ana.refresh_from_db()
    assert (str(ana), ana.email, ana.active) == ("Ana Lima", "ana.lima@example.org", True)
    assert personas.expert_user.username == "expert"
    assert Notification.objects.filter(recipient=personas.lender).count() == 1


def test_an_expert_without_a_login_is_erased_too(personas: Personas) -> None:
    expert = make_expert(
        home_administration=personas.admin_b, first_name="Loginless", last_name="Vandersteen"
    )
    erasure = erasure_ask(expert=expert, by=personas.lender, reason="Retired.")
    report = erasure_approve(erasure_id=erasure.pk, by=personas.secretariat)
    assert report.changed["roster.Expert"] == 1
    assert tables_holding(["Loginless Vandersteen", "loginless.vandersteen@example.org"]) == {
        "Loginless Vandersteen": set(),
        "loginless.vandersteen@example.org": set(),
    }


def test_the_command_reapplies_the_ledgers_erasures(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    person = make_rich_person(personas)
    erasure = erasure_ask(expert=person.expert, by=personas.lender, reason="Left.")
    with django_capture_on_commit_callbacks(execute=True):  # the ledger is written on commit
        erasure_approve(erasure_id=erasure.pk, by=personas.secretariat)
    # A restore of an older database: the request is gone, the person is back; the ledger
    # outside the database still lists them.
    ErasureRequest.objects.all().delete()
    Expert.objects.filter(pk=person.expert.pk).update(first_name=FIRST, last_name=LAST)
    out = io.StringIO()
    call_command("retention", "--reapply-erasures", stdout=out)
    assert f"expert {person.expert.pk}:" in out.getvalue()
    assert str(Expert.objects.get(pk=person.expert.pk)) == pseudonym(person.expert.pk)
