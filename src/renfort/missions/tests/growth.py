"""Measuring a page twice, before and after the data grows: what the long-list tests of the
missions, assistance, roster and calendars apps share (docs/ui.md, "Long lists")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renfort.accounts.models import Organisation
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.roster.models import Expert
from renfort.testing import make_assignment, make_expert, make_mission

# The HTML may differ by a few characters per row (longer names or numbers), never by rows.
SLACK = 0.03


@dataclass(frozen=True)
class Weight:
    """What a page cost: its queries and the size of its HTML."""

    queries: int
    size: int


def weigh(client: Any, url: str, params: dict[str, Any] | None = None) -> Weight:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return Weight(len(ctx.captured_queries), len(response.content))


def assert_same_weight(before: Weight, after: Weight, slack: float = SLACK) -> None:
    """The page did not grow with the data: the same queries, about the same HTML."""
    assert after.queries <= before.queries, (before, after)
    assert after.size <= before.size * (1 + slack), (before, after)


def pool(home: Organisation, n: int, *, prefix: str = "Pool", **kwargs: Any) -> list[Expert]:
    """``n`` experts of ``home`` who fit a default slot (technical, risk management 3)."""
    return [
        make_expert(
            home_administration=home, first_name=prefix, last_name=f"{prefix}{i:04d}", **kwargs
        )
        for i in range(n)
    ]


def history(beneficiary: Organisation, experts: list[Expert], years: int = 2) -> None:
    """Closed missions of earlier years, each staffed by one of ``experts``."""
    today = timezone.localdate()
    for i, expert in enumerate(experts):
        start = datetime.date(today.year - 1 - i % years, 1 + i % 12, 3)
        mission = make_mission(
            beneficiaries=[beneficiary],
            start=start,
            end=start + datetime.timedelta(days=3),
            status=MissionStatus.CLOSED,
        )
        make_assignment(mission.slots.get(), expert, status=AssignmentStatus.COMPLETED)
