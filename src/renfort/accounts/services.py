"""Writes about users: notifications (in-app inbox and mail)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from renfort.accounts.models import Notification, NotificationMail, User
from renfort.lib.messages import check

logger = logging.getLogger(__name__)

LINK_MAX = Notification._meta.get_field("link").max_length or 300
_BREAKS = re.compile(r"[ \t\r\n]+")


def one_line(subject: str) -> str:
    """A mail subject on one line; no-break spaces (French typography) are kept."""
    return _BREAKS.sub(" ", subject).strip()


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable[User | None],
    code: str,
    params: Mapping[str, Any] | None = None,
    link: str = "",
) -> list[Notification]:
    """Put a message in each recipient's inbox and mail it to those with an address who
    want each notification by mail (``User.notification_mail``; the others get the daily
    digest, ``accounts.digest``, or nothing).

    The inbox keeps the message ``code`` and its ``params`` (``lib.messages``; refused with
    ``ValueError`` when the code is unknown or a parameter missing), never a sentence: each
    reader sees it in their language when they read it. Recipients are deduplicated
    (``None`` and inactive users skipped). The mail, rendered in each recipient's language,
    leaves only when the surrounding transaction commits, so a refused or rolled-back change
    mails nobody; a mail server failure is logged and never undoes the change.
    """
    params = dict(params or {})
    check(code, params)
    unique: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.is_active and user.pk not in unique:
            unique[user.pk] = user
    notifications = [
        Notification(recipient=user, code=code, params=params, link=link[:LINK_MAX])
        for user in unique.values()
    ]
    Notification.objects.bulk_create(notifications)
    mails = [
        _mail(n)
        for n in notifications
        if n.recipient.email and n.recipient.notification_mail == NotificationMail.IMMEDIATE
    ]
    if mails:
        transaction.on_commit(lambda: _send(mails))
    return notifications


def _mail(notification: Notification) -> EmailMessage:
    text = notification.text(notification.recipient.language or settings.LANGUAGE_CODE)
    body = f"{text.body}\n\n{notification.link}".strip() if notification.link else text.body
    return EmailMessage(
        subject=one_line(text.subject),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    )


def _send(messages: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(messages)
    except Exception:  # the change is committed; a mail failure must not hide that
        logger.exception("Could not send %d notification mail(s)", len(messages))
