"""Every page is bounded: its queries and its size do not grow with the pool or the history
(issue 12; docs/performance.md, "Bounded pages").

Every GET line of the permission file (``config/permissions.csv``) is asked of the permission
world (``permission_world.build_world``) at two sizes: with ``GROWTH`` experts, requests,
closed missions (and their assignments) and notifications per viewer added
(``bounded_world.grow``), then with three times as many. Each page a viewer of ``VIEWERS``
opens (answer 200) must send the same number of queries at both sizes, and its body may grow
by at most ``SLACK_BYTES`` plus ``SLACK_SHARE`` of its size: page numbers may get a digit
longer, a list may not get longer. ``GROWTH`` is above the largest page size (50), so a list
that paginates is full at both sizes.

Pages known to grow, owned by work in progress, are listed in ``KNOWN_UNBOUNDED`` as strict
expected failures: remove a line when its page is fixed (the test then fails until you do).

To print the figures of every page::

    RENFORT_BOUNDED_REPORT=1 .venv/bin/pytest -q -s -p no:xdist \\
        src/renfort/config/tests/test_bounded_pages.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import NoReverseMatch

from renfort.config.tests.bounded_world import grow
from renfort.config.tests.permission_file import Observer, read_matrix, url_of, walk_routes
from renfort.config.tests.permission_world import build_world

GROWTH = 120
SLACK_BYTES = 1024
SLACK_SHARE = 0.01
CACHE_TABLE = "renfort_cache"
# The secretariat sees everything; a member focal point and an expert see their own history.
VIEWERS = ("secretariat", "member", "expert")

# pytest-django creates the test database only for a run that selects a database test.
pytestmark = pytest.mark.django_db

ROUTES = dict(walk_routes())
GET_ROWS = [r for r in read_matrix() if r.method == "GET" and r.route in ROUTES]

# One person's own record, exempt from the size check by rule (docs/performance.md, "Exports"):
# its lines are one expert's own missions, bounded by a career (a few hundred at most), not by
# the pool or an organisation's history. Their queries must still not grow.
ONE_PERSON = {
    "results:expert_record_file",
    "results:expert_certificate",
    "privacy:my_data",
    "privacy:expert_data",
    "privacy:expert_data_json",
    "exports:my_missions_file",
}

# Pages that grow today, fixed by other parts of issue 12: route -> reason. Remove a line once
# its page is bounded (the strict expected failure then fails, as a reminder).
KNOWN_UNBOUNDED: dict[str, str] = {}


@dataclass(frozen=True)
class Measure:
    status: int
    queries: int
    size: int
    sql: tuple[str, ...] = ()


@dataclass
class Survey:
    small: dict[tuple[str, str], Measure] = field(default_factory=dict)
    large: dict[tuple[str, str], Measure] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)


def _measure(observer: Observer, viewer: str, path: str) -> Measure:
    """Ask ``path`` as ``viewer`` twice (the first answer warms caches) and keep the second."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = observer.clients[viewer]
    result = Measure(0, 0, 0)
    for _ in range(2):
        client.cookies.clear()
        if viewer in observer.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = observer.sessions[viewer]
        connection.queries_log.clear()
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            try:
                response = client.get(path)
            except Exception:  # the permission matrix reports server errors
                transaction.set_rollback(True)
                return Measure(500, 0, 0)
            transaction.set_rollback(True)
        body = b"" if getattr(response, "streaming", False) else response.content
        # The session's "last seen" stamp (written once a minute, in a savepoint) and the
        # shared cache's reads and writes are rolled back here, so they come back as the
        # survey ages: not the page's own work; savepoints are no query.
        sent = [
            q
            for q in queries.captured_queries
            if "django_session" not in q["sql"]
            and CACHE_TABLE not in q["sql"]
            and "SAVEPOINT" not in q["sql"][:20].upper()
        ]
        result = Measure(
            response.status_code, len(sent), len(body), tuple(q["sql"][:160] for q in sent)
        )
    return result


def _survey_all(observer: Observer, paths: dict[str, str]) -> dict[tuple[str, str], Measure]:
    return {
        (route, viewer): _measure(observer, viewer, path)
        for route, path in paths.items()
        for viewer in VIEWERS
    }


@pytest.fixture(scope="module")
def survey(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Survey]:
    result = Survey()
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        observer = Observer(world)
        for row in GET_ROWS:
            try:
                result.paths[row.route] = url_of(world, row.route, row.arguments)
            except (KeyError, ValueError, NoReverseMatch):
                continue
        grow(world, GROWTH, full_pages=True)
        result.small = _survey_all(observer, result.paths)
        grow(world, 2 * GROWTH, full_pages=True)
        result.large = _survey_all(observer, result.paths)
        transaction.set_rollback(True)
    if os.environ.get("RENFORT_BOUNDED_REPORT"):
        print(f"\n{'route':45} {'viewer':12} queries      bytes")
        for key, small in result.small.items():
            large = result.large[key]
            if small.status == 200:
                print(
                    f"{key[0]:45} {key[1]:12} {small.queries:3} -> {large.queries:3}  "
                    f"{small.size:8} -> {large.size:8} ({large.size - small.size:+})"
                )
    yield result


def growth_problems(survey: Survey, route: str) -> list[str]:
    """What grows on ``route`` between the two sizes, for each viewer who opens it."""
    problems = []
    for viewer in VIEWERS:
        small, large = survey.small.get((route, viewer)), survey.large.get((route, viewer))
        if small is None or large is None or small.status != 200:
            continue
        where = f"{survey.paths[route]} as {viewer}"
        if large.status != small.status:
            problems.append(f"{where}: answered {small.status}, then {large.status}")
            continue
        if large.queries != small.queries:
            extra = sorted(set(large.sql) - set(small.sql))[:3]
            problems.append(f"{where}: {small.queries} queries, then {large.queries}; new: {extra}")
        allowed = SLACK_BYTES + SLACK_SHARE * small.size
        if route not in ONE_PERSON and large.size - small.size > allowed:
            problems.append(
                f"{where}: {small.size} bytes, then {large.size} "
                f"(+{large.size - small.size}, allowed +{allowed:.0f})"
            )
    return problems


def _params() -> list[Any]:
    return [
        pytest.param(
            row.route,
            marks=pytest.mark.xfail(strict=True, reason=KNOWN_UNBOUNDED[row.route]),
            id=row.route,
        )
        if row.route in KNOWN_UNBOUNDED
        else pytest.param(row.route, id=row.route)
        for row in GET_ROWS
    ]


@pytest.mark.parametrize("route", _params())
def test_page_does_not_grow_with_the_data(survey: Survey, route: str):
    problems = growth_problems(survey, route)
    assert not problems, "\n".join(problems)


def test_the_survey_opens_most_pages(survey: Survey):
    """The test means something only if the pages open at both sizes."""
    opened = {route for (route, _v), m in survey.small.items() if m.status == 200}
    assert len(opened) > len(GET_ROWS) // 2, sorted(set(survey.paths) - opened)


def test_the_known_unbounded_are_routes():
    assert set(KNOWN_UNBOUNDED) | ONE_PERSON <= {row.route for row in GET_ROWS}
