"""Follow-up actions are tracked to done by their owner, apart from the mission's life."""

from __future__ import annotations

import datetime

import pytest

from renfort.accounts.models import Notification
from renfort.missions.models import MissionStatus
from renfort.results.models import FollowUpAction, FollowUpStatus
from renfort.results.services import FollowUpSpec, follow_up_done, mission_report_submit
from renfort.results.tests.factories import TODAY, delivered
from renfort.testing import Personas, make_user, refuses

pytestmark = pytest.mark.django_db


def make_follow_ups(p: Personas, *owners, due: datetime.date | None = None) -> list[FollowUpAction]:
    """A reported mission whose report asks one action of each owner (default: Senegal)."""
    mission = delivered(p)
    due = due or TODAY + datetime.timedelta(days=30)
    mission_report_submit(
        mission=mission,
        author=p.expert,
        by=p.expert_user,
        activities="Done.",
        follow_ups=[
            FollowUpSpec(f"Action {i}", o, due) for i, o in enumerate(owners or (p.admin_a,))
        ],
    )
    return list(FollowUpAction.objects.filter(mission=mission).order_by("pk"))


def test_the_owner_marks_an_action_done(personas: Personas) -> None:
    (action,) = make_follow_ups(personas)
    done = follow_up_done(action=action, by=personas.member, note="Policy adopted on 3 May.")
    assert (done.status, done.done_on, done.done_by, done.done_note) == (
        FollowUpStatus.DONE,
        TODAY,
        personas.member,
        "Policy adopted on 3 May.",
    )
    told = set(
        Notification.objects.filter(code="follow_up.done").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"secretariat", "expert"}
    # The mission's life goes on apart: it is still reported, not closed.
    assert action.mission.status == MissionStatus.REPORTED


def test_the_secretariat_marks_any_action_done(personas: Personas) -> None:
    own, theirs = make_follow_ups(personas, personas.secretariat_org, personas.admin_a)
    yesterday = TODAY - datetime.timedelta(days=1)
    follow_up_done(action=own, by=personas.secretariat, note="Kit sent.", done_on=yesterday)
    follow_up_done(action=theirs, by=personas.secretariat, note="Confirmed by phone.")
    assert FollowUpAction.objects.get(pk=own.pk).done_on == yesterday


@pytest.mark.parametrize("who", ["outsider", "lender", "donor", "regional", "expert_user"])
def test_others_do_not_mark_it_done(personas: Personas, who: str) -> None:
    (action,) = make_follow_ups(personas)
    refuses(
        follow_up_done,
        text="only Senegal Customs or the secretariat marks this action done",
        field="by",
        action=action,
        by=getattr(personas, who),
        note="Done.",
    )


def test_a_member_does_not_mark_the_secretariats_action(personas: Personas) -> None:
    (action,) = make_follow_ups(personas, personas.secretariat_org)
    refuses(
        follow_up_done,
        text="only a secretariat coordinator marks this action done",
        field="by",
        action=action,
        by=personas.member,
        note="Done.",
    )


def test_done_needs_a_note_a_past_day_and_an_open_action(personas: Personas) -> None:
    (action,) = make_follow_ups(personas)
    refuses(
        follow_up_done,
        text="What was done: say what was done.",
        field="note",
        action=action,
        by=personas.member,
        note=" ",
    )
    refuses(
        follow_up_done,
        text="What was done: 2001 characters, at most 2000.",
        field="note",
        action=action,
        by=personas.member,
        note="n" * 2001,
    )
    refuses(
        follow_up_done,
        text="is after today",
        field="done_on",
        action=action,
        by=personas.member,
        note="Done.",
        done_on=TODAY + datetime.timedelta(days=1),
    )
    refuses(
        follow_up_done,
        text="Done on: 1999-01-01 is outside",
        field="done_on",
        action=action,
        by=personas.member,
        note="Done.",
        done_on=datetime.date(1999, 1, 1),
    )
    follow_up_done(action=action, by=personas.member, note="Done.")
    refuses(
        follow_up_done,
        text="it was marked done on",
        field="action",
        action=action,
        by=make_user("member", personas.admin_a),
        note="Done too.",
    )


def test_an_open_action_past_its_day_is_overdue(personas: Personas) -> None:
    (action,) = make_follow_ups(personas)
    assert not action.is_overdue(TODAY)
    assert action.is_overdue(action.due_on + datetime.timedelta(days=1))
    follow_up_done(action=action, by=personas.member, note="Done.")
    action.refresh_from_db()
    assert not action.is_overdue(action.due_on + datetime.timedelta(days=1))
