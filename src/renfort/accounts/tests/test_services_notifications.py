import pytest
from django.db import transaction
from django.utils.translation import gettext_lazy

from renfort.accounts.models import Notification
from renfort.accounts.services import notification_send
from renfort.testing import Personas


@pytest.mark.django_db
def test_notification_lands_in_inbox_and_mail_after_commit(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(
            recipients=[personas.member, personas.member, None, personas.donor],
            subject="Mission M-1 confirmed",
            body="See you there.",
            link="/missions/1/",
        )
    assert len(sent) == 2
    assert Notification.objects.filter(recipient=personas.member).count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [personas.member.email, personas.donor.email]
    )
    assert mailoutbox[0].subject == "Mission M-1 confirmed"
    assert "/missions/1/" in mailoutbox[0].body


@pytest.mark.django_db(transaction=True)
def test_no_mail_and_no_notification_for_a_rolled_back_change(personas: Personas, mailoutbox):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notification_send(recipients=[personas.member], subject="Never")
        raise Boom
    assert Notification.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_lazy_text_is_rendered_in_each_recipient_language(personas: Personas) -> None:
    personas.donor.language = "fr"
    personas.donor.save()
    notification_send(recipients=[personas.member, personas.donor], subject=gettext_lazy("Draft"))
    subjects = {n.recipient.username: n.subject for n in Notification.objects.all()}
    assert subjects["member"] == "Draft"
    # No French catalogue is compiled yet: the point is that rendering follows the recipient.
    assert subjects["donor"] in {"Draft", "Brouillon"}


@pytest.mark.django_db
def test_inactive_users_and_users_without_email_get_no_mail(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    personas.donor.is_active = False
    personas.donor.save()
    personas.member.email = ""
    personas.member.save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(recipients=[personas.member, personas.donor], subject="Hi")
    assert [n.recipient for n in sent] == [personas.member]
    assert mailoutbox == []
