"""Shared pytest fixtures: the personas (one user per role plus an outsider).

Notifications send their mail on transaction commit; inside a test's rolled-back transaction
use ``django_capture_on_commit_callbacks(execute=True)`` to see it in ``mailoutbox``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from renfort.accounts.models import Organisation, User
from renfort.roster.models import Expert
from renfort.testing import Personas, make_personas


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A French request leaves French active on the thread (LocaleMiddleware never resets
    it): put the default back so the next test, in any app, starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def secretariat(personas: Personas) -> User:
    return personas.secretariat


@pytest.fixture
def regional(personas: Personas) -> User:
    return personas.regional


@pytest.fixture
def member(personas: Personas) -> User:
    """Member focal point of Senegal (administration A, the beneficiary)."""
    return personas.member


@pytest.fixture
def lender(personas: Personas) -> User:
    """Member focal point of France (administration B, which lends the expert)."""
    return personas.lender


@pytest.fixture
def donor(personas: Personas) -> User:
    return personas.donor


@pytest.fixture
def expert_user(personas: Personas) -> User:
    return personas.expert_user


@pytest.fixture
def expert(personas: Personas) -> Expert:
    """The expert record of ``expert_user`` (lent by France)."""
    return personas.expert


@pytest.fixture
def outsider(personas: Personas) -> User:
    """Member focal point of Kenya: another administration in another region."""
    return personas.outsider


@pytest.fixture
def admin_a(personas: Personas) -> Organisation:
    return personas.admin_a


# Fixtures that give a test the database (pytest-django refuses database access to the others).
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def uses_the_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("sqlite_only") is not None:
        return False
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that can reach the database: the others (the
    planner, parsers, settings, templates, subprocesses on their own SQLite file) cannot tell
    the two databases apart and have run on SQLite already (``make test`` runs both). Tests
    marked ``sqlite_only`` read the whole demo's content (its IATI export, agreements,
    results): the demo's build itself runs on PostgreSQL in ``demo/tests``."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    kept = [item for item in items if uses_the_database(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if not uses_the_database(i)])
        items[:] = kept


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A transactional test ends by emptying every table (Django's flush), seeded rows
    (topics, content types) included. Put back what the migrations wrote, so that the tests
    that follow in this process start from the same database whatever the order: pytest-xdist
    runs a test file at a time (``--dist loadfile``), so pytest-django's "transactional tests
    last" order holds within a file only."""
    result = yield
    # After the last test the test databases are gone (nothing follows to need the rows).
    if nextitem is not None and _transactional(item):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for alias in connections:
                connection = connections[alias]
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
                    connection.close()
    return result
