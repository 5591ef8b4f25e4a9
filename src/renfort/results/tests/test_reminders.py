"""The daily reminders: the clock moves, each reminder goes out once, never twice."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from renfort.accounts.models import Notification
from renfort.missions.models import MissionStatus
from renfort.results.models import FollowUpAction, MissionDelivery, ReminderSent
from renfort.results.services import (
    ExpertRatingSpec,
    FollowUpSpec,
    evaluation_submit,
    follow_up_done,
    mission_report_submit,
    reminders_send,
)
from renfort.results.tasks import next_run, reminders_daily_task, reminders_schedule
from renfort.results.tests.factories import TODAY, delivered, second_expert, user_of
from renfort.roster.models import Accreditation, AccreditationStatus
from renfort.testing import Personas, topic

pytestmark = pytest.mark.django_db
DAY0 = TODAY


def day(n: int) -> datetime.date:
    return DAY0 + datetime.timedelta(days=n)


def inbox(code: str) -> list[str]:
    return sorted(
        Notification.objects.filter(code=code).values_list("recipient__username", flat=True)
    )


@pytest.fixture
def owed(personas: Personas) -> dict[str, object]:
    """As of day 0: a mission that ended 3 days ago, its report and evaluation owed; another,
    reported, whose follow-up action for Senegal is due on day 20; an accreditation of the
    expert that expires on day 70."""
    waiting = delivered(personas, start=day(-7))
    assert MissionDelivery.objects.get(mission=waiting).actual_end == day(-3)
    bruno = second_expert(personas)
    reported = delivered(personas, experts=(bruno,), start=day(-30))
    mission_report_submit(
        mission=reported,
        author=bruno,
        by=user_of(bruno),
        activities="Done.",
        follow_ups=[FollowUpSpec("Adopt the policy.", personas.admin_a, day(20))],
    )
    evaluation_submit(
        mission=reported,
        by=personas.member,
        rating=4,
        expert_ratings=[ExpertRatingSpec(bruno, 4)],
    )
    Accreditation.objects.create(
        expert=personas.expert,
        topic=topic("risk_management"),
        status=AccreditationStatus.ACCREDITED,
        granted_on=day(-700),
        expires_on=day(70),
    )
    Notification.objects.all().delete()
    return {"waiting": waiting, "reported": reported}


def test_each_reminder_goes_out_once_as_the_clock_moves(personas: Personas, owed) -> None:
    assert reminders_send(today=day(0)) == {}
    # Day 4: the report is 7 days late.
    assert reminders_send(today=day(4)) == {"reminder.report_due": 1}
    assert inbox("reminder.report_due") == ["expert"]
    assert reminders_send(today=day(5)) == {}
    # Day 10: the accreditation expires within 60 days; the expert and France hear of it.
    assert reminders_send(today=day(10)) == {"reminder.accreditation_expiring": 1}
    assert inbox("reminder.accreditation_expiring") == ["expert", "lender"]
    # Day 11: Senegal's evaluation is 14 days late.
    assert reminders_send(today=day(11)) == {"reminder.evaluation_due": 1}
    assert inbox("reminder.evaluation_due") == ["member"]
    assert reminders_send(today=day(12)) == {}
    # Day 13: the follow-up action is due within 7 days; day 21 it is overdue.
    assert reminders_send(today=day(13)) == {"reminder.follow_up_due": 1}
    assert reminders_send(today=day(14)) == {}
    assert reminders_send(today=day(21)) == {"reminder.follow_up_overdue": 1}
    assert reminders_send(today=day(22)) == {}
    assert inbox("reminder.follow_up_due") == ["member"]
    assert inbox("reminder.follow_up_overdue") == ["member"]
    assert ReminderSent.objects.count() == 5
    # Every kind is in the catalogue: its subject reads as a sentence.
    assert all(n.subject_text.strip() for n in Notification.objects.all())


def test_what_is_done_is_not_reminded(personas: Personas, owed) -> None:
    waiting = owed["waiting"]
    mission_report_submit(
        mission=waiting, author=personas.expert, by=personas.expert_user, activities="Done."
    )
    evaluation_submit(
        mission=waiting,
        by=personas.member,
        rating=5,
        expert_ratings=[ExpertRatingSpec(personas.expert, 5)],
    )
    waiting.refresh_from_db()
    assert waiting.status == MissionStatus.CLOSED
    follow_up_done(action=FollowUpAction.objects.get(), by=personas.member, note="Adopted.")
    personas.expert.active = False
    personas.expert.save()
    assert reminders_send(today=day(30)) == {}


def test_a_day_missed_sends_what_is_owed_then(personas: Personas, owed) -> None:
    """The job did not run for a month: the next run sends everything owed, once."""
    assert reminders_send(today=day(30)) == {
        "reminder.report_due": 1,
        "reminder.evaluation_due": 1,
        "reminder.follow_up_overdue": 1,
        "reminder.accreditation_expiring": 1,
    }
    assert reminders_send(today=day(31)) == {}


def test_the_command_sends_and_reports(personas: Personas, owed) -> None:
    out = StringIO()
    call_command("remind", f"--today={day(4).isoformat()}", stdout=out)
    assert "1 reminder(s) sent." in out.getvalue()
    assert "reminder.report_due: 1" in out.getvalue()
    out = StringIO()
    call_command("remind", f"--today={day(4).isoformat()}", stdout=out)
    assert "0 reminder(s) sent." in out.getvalue()


def test_the_command_refuses_a_bad_day(personas: Personas) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--today: “soon” is not a date"):
        call_command("remind", "--today=soon")


def test_the_next_run_is_the_next_reminders_hour() -> None:
    tz = timezone.get_current_timezone()
    early = timezone.make_aware(datetime.datetime(2030, 3, 1, 5, 0), tz)
    late = timezone.make_aware(datetime.datetime(2030, 3, 1, 6, 0), tz)
    assert next_run(early) == timezone.make_aware(datetime.datetime(2030, 3, 1, 6, 0), tz)
    assert next_run(late) == timezone.make_aware(datetime.datetime(2030, 3, 2, 6, 0), tz)


def test_without_a_deferring_backend_nothing_is_queued(personas: Personas) -> None:
    # The tests' immediate backend runs tasks at once and cannot run one later.
    assert reminders_schedule() is None
    out = StringIO()
    call_command("remind", "--schedule", stdout=out)
    assert "Nothing queued" in out.getvalue()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_daily_task_queues_its_next_run_once(personas: Personas) -> None:
    from django_tasks_db.models import DBTaskResult

    first = reminders_schedule()
    assert first is not None and first > timezone.now()
    assert reminders_schedule() is None  # one run is waiting already
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "renfort.results.tasks.reminders_daily_task"
    assert queued.run_after == first
    # When the worker runs it, it queues tomorrow's run (its own row is running by then) and
    # sends the day's reminders.
    DBTaskResult.objects.update(status="RUNNING")
    assert reminders_daily_task.call() == {}
    assert DBTaskResult.objects.filter(status="READY").count() == 1
