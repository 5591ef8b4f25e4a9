"""People act on what follows a mission at the same moment: the mission still moves once, a
delivery or a follow-up is recorded once, a reminder goes out once.

Threads (one connection each) call the services together (``missions/tests/racing.py``), 20
rounds a race, on SQLite (IMMEDIATE transactions serialise them) and PostgreSQL (the services
lock the experts, then the mission, as ``missions/locking.py`` orders; the follow-up row; the
reminder's unique key).
"""

from __future__ import annotations

import datetime
from functools import partial

import pytest

from renfort.accounts.models import Notification
from renfort.missions.models import MissionStatus
from renfort.missions.tests.racing import ROUNDS, Rounds, race
from renfort.results.models import FollowUpAction, MissionDelivery
from renfort.results.services import (
    ExpertRatingSpec,
    FollowUpSpec,
    evaluation_submit,
    follow_up_done,
    mission_deliver,
    mission_report_submit,
    reminders_send,
)
from renfort.results.tests.factories import (
    PAST,
    TODAY,
    confirmed,
    delivered,
    second_expert,
    user_of,
)
from renfort.testing import Personas, make_personas, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _report(mission, expert):
    return partial(
        mission_report_submit,
        mission=mission,
        author=expert,
        by=user_of(expert),
        activities="Done.",
    )


def test_the_last_two_reports_at_once_report_the_mission_once(p: Personas) -> None:
    rounds = Rounds()
    for _ in range(ROUNDS):
        ana, bruno = second_expert(p), second_expert(p)
        mission = delivered(p, experts=(ana, bruno), busy=True)
        result = race(_report(mission, ana), _report(mission, bruno))
        rounds.record(result, successes=2)
        mission.refresh_from_db()
        rounds.expect(mission.status == MissionStatus.REPORTED, "not reported", mission.status)
        rounds.expect(mission.history.filter(to_status="reported").count() == 1, "reported twice")
    rounds.assert_clean()


def test_the_last_report_and_the_evaluation_at_once_close_the_mission(p: Personas) -> None:
    rounds = Rounds()
    for _ in range(ROUNDS):
        expert = second_expert(p)
        mission = delivered(p, experts=(expert,), busy=True)
        result = race(
            _report(mission, expert),
            partial(
                evaluation_submit,
                mission=mission,
                by=p.member,
                rating=4,
                expert_ratings=[ExpertRatingSpec(expert, 4)],
            ),
        )
        rounds.record(result, successes=2)
        mission.refresh_from_db()
        rounds.expect(mission.status == MissionStatus.CLOSED, "not closed", mission.status)
    rounds.assert_clean()


def test_two_coordinators_deliver_at_once(p: Personas) -> None:
    other = make_user("secretariat", p.secretariat_org)
    rounds = Rounds()
    end = PAST + datetime.timedelta(days=4)
    for _ in range(ROUNDS):
        mission = confirmed(p, second_expert(p), busy=True)
        result = race(
            *(
                partial(mission_deliver, mission=mission, by=by, actual_start=PAST, actual_end=end)
                for by in (p.secretariat, other)
            )
        )
        rounds.record(result, names=mission.reference)
        rounds.expect(MissionDelivery.objects.filter(mission=mission).count() == 1, "deliveries")
    rounds.assert_clean()


def test_two_people_mark_one_action_done_at_once(p: Personas) -> None:
    colleague = make_user("member", p.admin_a)
    rounds = Rounds()
    later = TODAY + datetime.timedelta(days=30)
    for _ in range(ROUNDS):
        expert = second_expert(p)
        mission = delivered(p, experts=(expert,), busy=True)
        report = mission_report_submit(
            mission=mission,
            author=expert,
            by=user_of(expert),
            activities="Done.",
            follow_ups=[FollowUpSpec("Adopt the policy.", p.admin_a, later)],
        )
        action = FollowUpAction.objects.get(report=report)
        result = race(
            *(
                partial(follow_up_done, action=action, by=by, note=f"Done by {by}.")
                for by in (p.member, colleague)
            )
        )
        rounds.record(result, names="Follow-up action")
    rounds.assert_clean()


def test_two_reminder_runs_at_once_send_each_reminder_once(p: Personas) -> None:
    rounds = Rounds()
    for _ in range(ROUNDS // 2):
        delivered(p, experts=(second_expert(p),), busy=True)
        Notification.objects.all().delete()
        result = race(partial(reminders_send), partial(reminders_send))
        rounds.record(result, successes=2)
        sent = Notification.objects.filter(code="reminder.report_due").count()
        rounds.expect(sent == 1, "report reminders", str(sent))
    rounds.assert_clean()
