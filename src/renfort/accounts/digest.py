"""The daily digest: one e-mail a day to each person who chose it (``User.notification_mail``),
listing their notifications of the last day still unread, in their language.

Run by ``renfort digest`` (cron) or by the self-requeueing task ``accounts.tasks``. Each digest
is recorded (``DigestSent``, one per person and day) in the same transaction that decides to
send it, and the mail leaves after that commit: a second run the same day, or one running at
the same time, finds the row and sends nothing. A person with nothing new gets no mail and no
row, so a later run the same day still sends what arrived since.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renfort.accounts.models import DigestSent, Notification, NotificationMail, User
from renfort.accounts.services import one_line

logger = logging.getLogger(__name__)

# People handled per round trip, and notifications listed in one mail (the rest: a count).
BATCH = 200
LISTED_MAX = 50
PERIOD = datetime.timedelta(days=1)


def digest_recipients(day: datetime.date) -> QuerySet[User]:
    """Active people with an address who chose the digest and have none for ``day`` yet,
    each with ``last_digest_at``: when their previous digest left (None: never)."""
    return (
        User.objects.filter(is_active=True, notification_mail=NotificationMail.DAILY)
        .exclude(email="")
        .exclude(digests__day=day)
        .annotate(last_digest_at=Max("digests__sent_at"))
        .order_by("pk")
    )


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Send today's digests (see the module's docstring); returns how many mails left."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    sent = 0
    for users in _batches(digest_recipients(day)):
        unread = _unread_since(users, now)
        for user in users:
            notifications = unread.get(user.pk, [])
            if notifications and _record(user, day, now, len(notifications)):
                mail = digest_mail(user, notifications, since=_since(user, now))
                transaction.on_commit(partial(_send, mail))
                sent += 1
    return sent


def _batches(users: QuerySet[User]) -> Iterator[list[User]]:
    batch: list[User] = []
    for user in users.iterator(chunk_size=BATCH):
        batch.append(user)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _since(user: User, now: datetime.datetime) -> datetime.datetime:
    """The start of the user's digest: a day ago, or their last digest if later."""
    last = getattr(user, "last_digest_at", None)
    return max(now - PERIOD, last) if last else now - PERIOD


def _unread_since(users: Sequence[User], now: datetime.datetime) -> dict[int, list[Notification]]:
    """Each user's unread notifications of the last day (one query for the batch)."""
    earliest = min(_since(user, now) for user in users)
    rows = Notification.objects.filter(
        recipient_id__in=[u.pk for u in users],
        read_at__isnull=True,
        created_at__gt=earliest,
        created_at__lte=now,
    ).order_by("recipient_id", "created_at", "id")
    since = {user.pk: _since(user, now) for user in users}
    unread: dict[int, list[Notification]] = defaultdict(list)
    for n in rows:
        if n.created_at > since[n.recipient_id]:
            unread[n.recipient_id].append(n)
    return unread


def _record(user: User, day: datetime.date, now: datetime.datetime, count: int) -> bool:
    """Write the day's row for ``user``; False when another run wrote it first."""
    try:
        with transaction.atomic():
            DigestSent.objects.create(recipient=user, day=day, sent_at=now, notifications=count)
    except IntegrityError:
        return False
    return True


def digest_mail(
    user: User, notifications: Sequence[Notification], *, since: datetime.datetime
) -> EmailMessage:
    """The digest of ``notifications`` for ``user``, in the user's language."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        count = len(notifications)
        subject = ngettext(
            "Renfort: %(count)d unread notification since yesterday",
            "Renfort: %(count)d unread notifications since yesterday",
            count,
        ) % {"count": count}
        local = timezone.localtime(since)
        day = formats.date_format(local, "DATE_FORMAT")
        time = formats.time_format(local, "TIME_FORMAT")
        parts = [
            _("Hello %(name)s,") % {"name": user},
            ngettext(
                "Here is the notification that arrived in your Renfort inbox since %(day)s at "
                "%(time)s and that you have not read yet:",
                "Here are the %(count)d notifications that arrived in your Renfort inbox since "
                "%(day)s at %(time)s and that you have not read yet:",
                count,
            )
            % {"count": count, "day": day, "time": time},
        ]
        for n in notifications[:LISTED_MAX]:
            text = n.text()
            entry = "\n".join(line for line in (f"* {text.subject}", text.body, n.link) if line)
            parts.append(entry)
        if count > LISTED_MAX:
            rest = count - LISTED_MAX
            parts.append(
                ngettext(
                    "And %(count)d more in your inbox.", "And %(count)d more in your inbox.", rest
                )
                % {"count": rest}
            )
        parts.append(
            _(
                "You receive this digest once a day because you chose it in your preferences, "
                "where you can also choose one e-mail per notification or none."
            )
        )
    return EmailMessage(
        subject=one_line(subject),
        body="\n\n".join(parts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def _send(mail: EmailMessage) -> None:
    try:
        get_connection().send_messages([mail])
    except Exception:  # the digest is recorded; a mail failure must not stop the others
        logger.exception("Could not send the daily digest to %s", mail.to)
