"""The in-app inbox: a user's notifications, read and marked as read.

Notifications are written by ``accounts.services.notification_send``; this module only lets
their recipient read them, so every read here is scoped to the user who asks.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from renfort.accounts.models import Notification, User


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (one query)."""
    return notifications_for(user, unread_only=True).count()


def notification_for_user(user: User, pk: int) -> Notification:
    """The notification if it is the user's; 404 otherwise (never another user's)."""
    try:
        return notifications_for(user).get(pk=pk)
    except Notification.DoesNotExist as exc:
        raise Http404("No such notification.") from exc


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of the user's notifications as read, or all of them when none is given.

    Returns how many changed. A notification of another user is refused with 404 and nothing
    is written; one already read keeps its first reading time.
    """
    qs = notifications_for(user, unread_only=True)
    if notification is not None:
        if notification.recipient_id != user.pk:
            raise Http404("No such notification.")
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())
