"""The main lists are served by indexes (issue 12; docs/performance.md, "Indexes").

PostgreSQL only. The permission world (``permission_world.build_world``) is grown with
``ROWS`` experts, requests, closed missions with their assignments, and notifications per
viewer (``bounded_world.grow``, shared among 14 member administrations as in real data), the
tables are analysed, and each main list query (``_queries``: as the pages and counters send
them) is explained: a sequential scan of a large table (more than ``LARGE`` rows) fails the
test. The fix is an index in the app of the table (migrations named ``*_indexes``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renfort RENFORT_TEST_DB=test_renfort \\
        .venv/bin/pytest -q -p no:xdist src/renfort/config/tests/test_query_plans.py
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from renfort.accounts.inbox import notifications_for
from renfort.assistance.models import Request, RequestStatus
from renfort.assistance.selectors import requests_visible_to
from renfort.config.tests.bounded_world import COUNTRIES, grow
from renfort.config.tests.permission_world import build_world
from renfort.missions.models import Assignment, Mission

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL"),
]

ROWS = 4000
LARGE = 2000


def _queries(world: Any) -> dict[str, QuerySet[Any]]:
    """The main list queries, as their pages and counters send them."""
    secretariat, member = world.users["secretariat"], world.users["member"]
    expert = world.objects["expert"]
    today = datetime.date.today()
    month = (today - datetime.timedelta(days=200), today - datetime.timedelta(days=170))
    history = Mission.field_history.model
    return {
        "requests list": requests_visible_to(secretariat).order_by("-created_at", "-id")[:50],
        "requests to appraise": Request.objects.filter(
            status__in=[RequestStatus.SUBMITTED, RequestStatus.UNDER_APPRAISAL]
        ).order_by("-priority", "created_at", "id")[:50],
        "missions list": Mission.objects.order_by("start", "window_start", "reference")[:50],
        "missions of a month (calendar)": Mission.objects.filter(
            start__lte=month[1], end__gte=month[0]
        ),
        "inbox": notifications_for(member)[:25],
        "unread count": notifications_for(member, unread_only=True).values("id"),
        "assignments by expert": Assignment.objects.filter(expert=expert).order_by().values("id"),
        "assignments by dates": Assignment.objects.filter(
            busy_from__lte=month[1], busy_to__gte=month[0]
        )
        .order_by()
        .values("id"),
        "history by date": history.objects.filter(
            history_date__gte=timezone.now() - datetime.timedelta(days=1)
        ).order_by("-history_date", "-history_id")[:50],
    }


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for child in plan.get("Plans", []):
        found.extend(_nodes(child))
    return found


def _large_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [LARGE]
        )
        return {name for (name,) in cursor.fetchall()}


def _seq_scans(queryset: QuerySet[Any], large: set[str]) -> list[str]:
    """The large tables the query reads by a sequential scan."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return [
        node["Relation Name"]
        for node in _nodes(plan[0]["Plan"])
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in large
    ]


def test_the_main_lists_use_indexes() -> None:
    world = build_world()
    grow(world, ROWS, spread=len(COUNTRIES) + 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    large = _large_tables()
    assert {"missions_mission", "assistance_request", "accounts_notification"} <= large
    problems = [
        f"{name}: sequential scan of {table}"
        for name, queryset in _queries(world).items()
        for table in _seq_scans(queryset, large)
    ]
    assert not problems, "\n".join(problems)
