"""Writes of calendar feeds: creating and revoking a feed, and keeping each mission's event
SEQUENCE (raised once per change that the feeds see)."""

from __future__ import annotations

import datetime
import secrets
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.feeds.models import CalendarFeed, MissionFeedState, feed_token, token_hash
from renfort.feeds.selectors import FeedTarget

# A feed state's (sequence, when it last changed), by mission id.
Sequences = dict[int, tuple[int, datetime.datetime]]
CHUNK = 200
ROUNDS = 3


def _max_feeds() -> int:
    return int(getattr(settings, "FEEDS_MAX_PER_OWNER", 20))


@transaction.atomic
def feed_create(*, owner: User, target: FeedTarget) -> CalendarFeed:
    """A new secret feed of ``target`` for ``owner`` (the caller has checked the target with
    ``feed_target_for``). At most ``FEEDS_MAX_PER_OWNER`` (20) feeds per person."""
    User.objects.select_for_update().filter(pk=owner.pk).first()  # one creation at a time
    held = CalendarFeed.objects.filter(owner=owner, revoked_at__isnull=True).count()
    if held >= _max_feeds():
        raise ValidationError(
            {
                "kind": _(
                    "You have %(count)d calendar feeds, the most one person may hold: revoke "
                    "one you no longer use first."
                )
                % {"count": held}
            }
        )
    nonce = secrets.token_urlsafe(32)
    return CalendarFeed.objects.create(
        owner=owner,
        kind=target.kind,
        expert=target.expert,
        organisation=target.organisation,
        region=target.region,
        nonce=nonce,
        key_hash=token_hash(feed_token(nonce)),
    )


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed) -> CalendarFeed:
    """Revoke the feed: its address answers 404 from now on (revoking twice changes
    nothing)."""
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def _read(ids: list[int]) -> dict[int, MissionFeedState]:
    return {s.mission_id: s for s in MissionFeedState.objects.filter(mission_id__in=ids)}


def _raise(stale: list[tuple[int, str, str]], now: datetime.datetime) -> None:
    """Compare-and-set: each (mission, fingerprint read, new fingerprint) raises the sequence
    only if the row still holds the fingerprint read, so that of two fetches at once one
    raises it and the other finds it raised."""
    for i in range(0, len(stale), CHUNK):
        chunk = stale[i : i + CHUNK]
        MissionFeedState.objects.filter(
            reduce(or_, (Q(mission_id=m, fingerprint=old) for m, old, _new in chunk))
        ).update(
            sequence=F("sequence") + 1,
            fingerprint=Case(*(When(mission_id=m, then=Value(new)) for m, _old, new in chunk)),
            changed_at=now,
        )


def _current(states: dict[int, MissionFeedState], fingerprints: dict[int, str]) -> bool:
    return all(m in states and states[m].fingerprint == f for m, f in fingerprints.items())


def mission_sequences_sync(*, fingerprints: dict[int, str]) -> Sequences:
    """Each mission's event SEQUENCE and last change, after recording ``fingerprints`` (what
    its event shows now, by mission id): a new mission starts at 0, a changed one is raised
    by one. A few queries whatever the number of missions; no transaction at all when nothing
    changed (most fetches); safe when fetches race (compare-and-set, read again)."""
    states = _read(list(fingerprints))
    if not _current(states, fingerprints):
        now = timezone.now()
        with transaction.atomic():
            for _round in range(ROUNDS):
                MissionFeedState.objects.bulk_create(
                    [
                        MissionFeedState(mission_id=m, fingerprint=f, changed_at=now)
                        for m, f in fingerprints.items()
                        if m not in states
                    ],
                    ignore_conflicts=True,
                )
                _raise(
                    [
                        (m, s.fingerprint, fingerprints[m])
                        for m, s in states.items()
                        if s.fingerprint != fingerprints[m]
                    ],
                    now,
                )
                states = _read(list(fingerprints))
                if _current(states, fingerprints):
                    break
    return {m: (s.sequence, s.changed_at) for m, s in states.items()}
