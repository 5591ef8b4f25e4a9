import pytest
from django.db import transaction
from django.utils import translation

from renfort.accounts.models import Notification
from renfort.accounts.services import notification_send
from renfort.testing import Personas

MOVED = {"reference": "M-1", "title": "Audit", "start": "2027-03-04", "end": "2027-03-08"}


@pytest.mark.django_db
def test_notification_lands_in_inbox_and_mail_after_commit(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(
            recipients=[personas.member, personas.member, None, personas.donor],
            code="mission.moved",
            params=MOVED,
            link="/missions/1/",
        )
    assert len(sent) == 2
    assert Notification.objects.filter(recipient=personas.member).count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [personas.member.email, personas.donor.email]
    )
    assert mailoutbox[0].subject == "Mission M-1 moved"
    assert "Mission “Audit” now runs from 4 Mar 2027 to 8 Mar 2027." in mailoutbox[0].body
    assert "/missions/1/" in mailoutbox[0].body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_mail_and_no_notification_for_a_rolled_back_change(personas: Personas, mailoutbox):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notification_send(recipients=[personas.member], code="mission.moved", params=MOVED)
        raise Boom
    assert Notification.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_stored_as_a_code_and_read_in_the_readers_language(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    personas.donor.language = "fr"
    personas.donor.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipients=[personas.member, personas.donor], code="mission.moved", params=MOVED
        )
    for n in Notification.objects.all():
        assert (n.code, n.params, n.subject, n.body) == ("mission.moved", MOVED, "", "")
        with translation.override("fr"):
            assert n.subject_text == "Mission M-1 déplacée"
        with translation.override("en"):
            assert n.subject_text == "Mission M-1 moved"
    # The mail cannot wait for the reader: it goes in the recipient's language.
    mails = {m.to[0]: m.subject for m in mailoutbox}
    assert mails[personas.member.email] == "Mission M-1 moved"
    assert mails[personas.donor.email] == "Mission M-1 déplacée"


@pytest.mark.django_db
def test_a_notification_written_before_codes_shows_its_own_text(personas: Personas) -> None:
    old = Notification.objects.create(recipient=personas.member, subject="Hi", body="There")
    with translation.override("fr"):
        assert (old.subject_text, old.body_text) == ("Hi", "There")


@pytest.mark.django_db
def test_inactive_users_and_users_without_email_get_no_mail(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    personas.donor.is_active = False
    personas.donor.save()
    personas.member.email = ""
    personas.member.save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(
            recipients=[personas.member, personas.donor], code="mission.moved", params=MOVED
        )
    assert [n.recipient for n in sent] == [personas.member]
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_long_parameter_is_kept_whole_not_cut(personas: Personas) -> None:
    title = "t" * 200
    (sent,) = notification_send(
        recipients=[personas.member], code="mission.moved", params={**MOVED, "title": title}
    )
    stored = Notification.objects.get(pk=sent.pk)
    assert (stored.subject, stored.body) == ("", "")
    assert title in stored.body_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "params", "why"),
    [
        ("no.such_code", {}, "Unknown message code"),
        ("mission.moved", {"reference": "M-1"}, "lacks parameters"),
        ("request.planned_in_mission", {"mission": "M-1", "extra": 1}, "does not take"),
    ],
)
def test_a_writer_slip_is_refused_and_nothing_written(personas: Personas, code, params, why):
    with pytest.raises(ValueError, match=why):
        notification_send(recipients=[personas.member], code=code, params=params)
    assert not Notification.objects.exists()
