"""Two calendar applications read feeds of the same mission at the same moment, each on its
own connection: the mission's SEQUENCE is raised once per change, never lost, never twice."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from renfort.feeds.models import FeedKind, MissionFeedState
from renfort.feeds.services import mission_sequences_sync
from renfort.feeds.tests.world import DAY, build, feed, fetch, uid
from renfort.missions.models import Mission
from renfort.testing import make_personas

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="racing connections need PostgreSQL; SQLite's IMMEDIATE transactions serialise "
    "the writers",
)


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    """The calls released together, one thread and connection each."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = calls[i]()
        except BaseException as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_syncs_raise_each_change_once():
    w = build(make_personas())
    mission = w.shared.pk
    for round_, fingerprint in enumerate(["a", "b", "c", "d", "e"]):
        call = functools.partial(mission_sequences_sync, fingerprints={mission: fingerprint})
        results = _race([call, call])
        assert not [r for r in results if isinstance(r, BaseException)], results
        assert [r[mission][0] for r in results] == [round_, round_], results
        state = MissionFeedState.objects.get(pk=mission)
        assert (state.fingerprint, state.sequence) == (fingerprint, round_)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_fetches_after_a_date_change_raise_sequence_once():
    w = build(make_personas())
    member = feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk)
    plan = feed(w.p.secretariat, FeedKind.PLAN)
    for round_ in range(1, 4):
        Mission.objects.filter(pk=w.shared.pk).update(
            start=w.start + round_ * DAY, end=w.end + round_ * DAY
        )
        results = _race([functools.partial(fetch, Client(), f) for f in (member, plan)])
        assert not [r for r in results if isinstance(r, BaseException)], results
        sequences = {int(r[uid(w.shared)]["SEQUENCE"]) for r in results}
        # The first round creates the state (0); each later date change raises it by one.
        assert sequences == {round_ - 1}, (round_, sequences)
        assert MissionFeedState.objects.get(pk=w.shared.pk).sequence == round_ - 1
