"""The results figures' cache: a second view reads no aggregate again; a change through a
service (committed) or a plain save makes the next view compute afresh; viewers who may see
different missions never share an entry."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renfort.results.figures.cache import cached_figures, results_changed, results_version
from renfort.results.tests.party_world import deliver_one, make_world
from renfort.testing import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings: object) -> None:
    settings.RESULTS_CACHE_SECONDS = 600  # type: ignore[attr-defined]
    cache.clear()


def _queries(client: Client, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content


def test_second_view_reads_from_the_cache_and_a_change_refreshes_it(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    world = make_world(personas, missions=1)
    client.force_login(world.p.regional)
    url = reverse("results:region", args=["WCA"])
    first, _body = _queries(client, url)
    second, before = _queries(client, url)
    assert second < first  # the aggregates were not read again
    version = results_version()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        deliver_one(world, 1)
    assert results_version() > version
    third, after = _queries(client, url)
    assert third > second  # computed afresh after the change
    assert after != before


def test_viewers_with_different_sight_do_not_share_figures(personas: Personas) -> None:
    calls: list[str] = []

    def build(who: str) -> str:
        calls.append(who)
        return who

    assert cached_figures("region:WCA", personas.secretariat, lambda: build("a")) == "a"
    assert cached_figures("region:WCA", personas.regional, lambda: build("b")) == "b"
    assert cached_figures("region:WCA", personas.secretariat, lambda: build("c")) == "a"
    results_changed()
    assert cached_figures("region:WCA", personas.secretariat, lambda: build("d")) == "d"
    assert calls == ["a", "b", "d"]


def test_cache_off_computes_every_time(settings: object, personas: Personas) -> None:
    settings.RESULTS_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    calls: list[int] = []

    def build() -> int:
        calls.append(len(calls))
        return len(calls)

    assert [cached_figures("year:2026", None, build) for _ in range(2)] == [1, 2]
    assert calls == [0, 1]
