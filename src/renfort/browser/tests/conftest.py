"""The browser, the live server and the demo data of the browser journeys.

The journeys drive Debian's Chromium (``/usr/bin/chromium``, or ``RENFORT_CHROMIUM``) with
Playwright for Python against a live server holding the demo, built once for the module.
They skip, saying why, when Playwright, axe-core or the browser is missing; under ``CI=true``
a missing piece fails instead. They run on SQLite only: on PostgreSQL they skip (the pages
are the same; once is enough).
"""

from __future__ import annotations

import datetime
import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import setup_databases, teardown_databases

from renfort.browser.tests.preconditions import Demo, check_preconditions, chromium_path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    # Date fields take month, day, year in this UI language, whatever a page's language.
    "--lang=en-US",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: real-browser journeys (Playwright and Chromium, SQLite only)"
    )


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session (each role gets its own fresh context)."""
    check_preconditions()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests read the database
    # from it too (the live server has its own threads).
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def free_windows(count: int) -> list[tuple[datetime.date, datetime.date]]:
    """Periods of four weeks, starting on a Monday, in which the demo expert has no mission
    and no unavailability (three days' margin for travel): one per journey."""
    from renfort.missions.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment
    from renfort.roster.models import Expert

    expert = Expert.objects.get(user__username="expert")
    busy = [(u.start, u.end) for u in expert.unavailable.all()]
    for a in Assignment.objects.filter(
        expert=expert, status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).select_related("slot__mission"):
        m = a.slot.mission
        start, end = (m.start, m.end) if m.start else (m.window_start, m.window_end)
        if start and end:
            busy.append((start, end))
    today = datetime.date.today()
    day = today + datetime.timedelta(days=60 - today.weekday())
    windows: list[tuple[datetime.date, datetime.date]] = []
    while len(windows) < count:
        start, end = day, day + datetime.timedelta(days=25)
        margin = datetime.timedelta(days=3)
        if all(e < start - margin or s > end + margin for s, e in busy):
            windows.append((start, end))
            busy.append((start, end))
        day += datetime.timedelta(days=28)
    return windows


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    """The demo, built once, committed, served by a live server; the database put back as
    the migrations left it afterwards (as ``serialized_rollback`` does).
    ``RENFORT_BROWSER_DEMO=small`` builds the small demo (faster, for working on a step)."""
    from pytest_django.live_server_helper import LiveServer

    from renfort.demo.build import build_demo

    check_preconditions()
    with django_db_blocker.unblock():
        # pytest-django creates the test database only for tests marked django_db, and those
        # flush it after each test: these keep one demo across the module, so they make the
        # test database themselves when no other test of the session did.
        made = None
        if connection.settings_dict["NAME"] != connection.settings_dict["TEST"]["NAME"]:
            made = setup_databases(
                verbosity=0, interactive=False, aliases={"default": True}, serialized_aliases=set()
            )
        saved = connection.creation.serialize_db_to_string()
        # A transactional test earlier on this worker may have flushed what the migrations
        # seeded (the topics): put it back before the demo uses it.
        seed_topics = importlib.import_module("renfort.roster.migrations.0002_seed_topics").seed
        seed_topics(django_apps, None)
        build_demo(small=os.environ.get("RENFORT_BROWSER_DEMO") == "small")
        server = LiveServer("127.0.0.1")
        server._live_server_modified_settings.enable()
        try:
            yield Demo(url=server.url, windows=free_windows(4))
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            if made is None:
                call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
                connection.creation.deserialize_db_from_string(saved)
            else:
                teardown_databases(made, verbosity=0)
