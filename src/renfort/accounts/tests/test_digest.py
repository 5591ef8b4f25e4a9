"""The daily digest: one mail a day to those who chose it, with their unread notifications
of the last day in their language; never twice a day, never to those who chose otherwise."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from renfort.accounts.digest import digests_send
from renfort.accounts.models import DigestSent, Notification, NotificationMail, User
from renfort.accounts.services import notification_send
from renfort.accounts.tasks import digests_daily_task, next_run
from renfort.lib.typography import NBSP
from renfort.testing import Personas, make_personas

MOVED = {"reference": "M-1", "title": "Audit", "start": "2027-03-04", "end": "2027-03-08"}
CONFIRMED = {"reference": "M-2", "title": "Atelier", "dates": ["2027-05-03", "2027-05-07"]}


def _choose(user: User, mail: str, language: str = "en") -> None:
    user.notification_mail = mail
    user.language = language
    user.save(update_fields=["notification_mail", "language"])


def _notify(user: User, code: str = "mission.moved", params: dict | None = None) -> None:
    notification_send(recipients=[user], code=code, params=params or MOVED, link="/missions/1/")


@pytest.fixture
def daily_fr(personas: Personas) -> User:
    _choose(personas.member, NotificationMail.DAILY, "fr")
    return personas.member


def test_digest_in_the_readers_language(
    daily_fr: User, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _notify(daily_fr)
        _notify(daily_fr, "mission.confirmed", CONFIRMED)
    assert mailoutbox == [], "a digest reader gets no mail per notification"
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
    [mail] = mailoutbox
    assert mail.to == [daily_fr.email]
    assert mail.subject == f"Renfort{NBSP}: 2 notifications non lues depuis hier"
    assert "Mission M-1 déplacée" in mail.body
    assert "Mission M-2 confirmée" in mail.body
    assert f"«{NBSP}Atelier{NBSP}»" in mail.body
    assert "/missions/1/" in mail.body
    assert "Voici les 2 notifications arrivées" in mail.body and " à " in mail.body
    assert "moved" not in mail.body and "Here are" not in mail.body
    assert DigestSent.objects.get(recipient=daily_fr).notifications == 2


def test_a_second_run_the_same_day_sends_nothing(
    daily_fr: User, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _notify(daily_fr)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
        _notify(daily_fr)
        assert digests_send() == 0
        call_command("digest")
    assert len(mailoutbox) == 1
    assert DigestSent.objects.count() == 1


def test_next_day_only_what_is_new_and_unread(
    daily_fr: User, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _notify(daily_fr)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(now=now) == 1
    _notify(daily_fr, "mission.confirmed", CONFIRMED)
    read = Notification.objects.create(recipient=daily_fr, code="mission.moved", params=MOVED)
    read.read_at = now
    read.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(now=now + datetime.timedelta(days=1)) == 1
    second = mailoutbox[1].body
    assert "M-2" in second and "M-1" not in second


def test_old_notifications_are_not_in_the_digest(daily_fr: User, mailoutbox) -> None:
    _notify(daily_fr)
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert digests_send(now=later) == 0
    assert mailoutbox == [] and DigestSent.objects.count() == 0


def test_no_digest_for_immediate_mail_nor_none_nor_nothing_new(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _choose(personas.donor, NotificationMail.NONE)
    _choose(personas.lender, NotificationMail.DAILY)  # nothing new for them
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipients=[personas.member, personas.donor], code="mission.moved", params=MOVED
        )
    assert [m.to for m in mailoutbox] == [[personas.member.email]]  # immediate: at once
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 0
    assert len(mailoutbox) == 1
    assert DigestSent.objects.count() == 0
    assert Notification.objects.filter(recipient=personas.donor).count() == 1  # inbox still


def test_the_digest_lists_a_bounded_number(
    daily_fr: User, mailoutbox, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    from renfort.accounts import digest

    Notification.objects.bulk_create(
        Notification(recipient=daily_fr, code="mission.moved", params=MOVED)
        for _ in range(digest.LISTED_MAX + 3)
    )
    with django_assert_max_num_queries(6), django_capture_on_commit_callbacks(execute=True):
        digests_send()
    assert "3 de plus dans votre boîte de réception" in mailoutbox[0].body


def test_the_daily_task_sends_and_the_next_run_is_tomorrow_morning(
    daily_fr: User, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _notify(daily_fr)
    with django_capture_on_commit_callbacks(execute=True):
        digests_daily_task.enqueue()  # the immediate backend in tests: runs now
    assert len(mailoutbox) == 1
    now = timezone.make_aware(datetime.datetime(2027, 3, 4, 8, 0))
    assert next_run(now) == timezone.make_aware(datetime.datetime(2027, 3, 5, 7, 0))


def _race_two_digests() -> list[object]:
    """Two ``digests_send`` released together, one thread and connection each."""
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = digests_send()
        except BaseException as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_runs_send_one_digest(mailoutbox) -> None:
    """Two workers (or a worker and cron) run the digest at the same moment: one mail."""
    p = make_personas()
    _choose(p.member, NotificationMail.DAILY, "fr")
    _notify(p.member)
    for _round in range(5):
        DigestSent.objects.all().delete()
        mailoutbox.clear()
        results = _race_two_digests()
        assert sorted(results, key=str) == [0, 1], results
        assert DigestSent.objects.count() == 1
        assert len(mailoutbox) == 1
