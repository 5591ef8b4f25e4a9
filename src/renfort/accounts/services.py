"""Writes about users: notifications (in-app inbox and mail)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation

from renfort.accounts.models import Notification, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str

logger = logging.getLogger(__name__)

SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 200
LINK_MAX = Notification._meta.get_field("link").max_length or 300


def _in_language(text: StrOrPromise, language: str) -> str:
    """``text`` rendered in ``language`` (a lazy translation follows it; a str stays)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(text)


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable[User | None],
    subject: StrOrPromise,
    body: StrOrPromise = "",
    link: str = "",
) -> list[Notification]:
    """Put a message in each recipient's inbox and mail it to those with an address.

    Recipients are deduplicated (``None`` and inactive users skipped). Lazy strings
    (``gettext_lazy``/``format_lazy``) are rendered in each recipient's language. The mail
    leaves only when the surrounding transaction commits, so a refused or rolled-back change
    mails nobody; a mail server failure is logged and never undoes the change.
    """
    unique: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.is_active and user.pk not in unique:
            unique[user.pk] = user
    notifications = [
        Notification(
            recipient=user,
            subject=_in_language(subject, user.language)[:SUBJECT_MAX],
            body=_in_language(body, user.language),
            link=link[:LINK_MAX],
        )
        for user in unique.values()
    ]
    Notification.objects.bulk_create(notifications)
    messages = [
        EmailMessage(
            subject=n.subject,
            body=_mail_body(n),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[n.recipient.email],
        )
        for n in notifications
        if n.recipient.email
    ]
    if messages:
        transaction.on_commit(lambda: _send(messages))
    return notifications


def _mail_body(notification: Notification) -> str:
    if not notification.link:
        return notification.body
    return f"{notification.body}\n\n{notification.link}".strip()


def _send(messages: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(messages)
    except Exception:  # the change is committed; a mail failure must not hide that
        logger.exception("Could not send %d notification mail(s)", len(messages))
