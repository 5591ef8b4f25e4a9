"""Years of history beside the demo (``renfort demo --years N``): written in bulk.

The demo (``build.py``) walks a few hundred objects through the services; ten years of
history (15,000 requests, 10,000 missions) cannot be built that way in minutes. This step
draws the same shapes in pure Python, keeping every rule as it goes, and writes them with
``bulk_create``: the rows the services would leave (statuses with their whole status history,
references, notifications as codes and parameters) at the dates the work would have happened.

- The history fills the N calendar years before this one (references ``R-<year>-0001``,
  ``M-<year>-0001``, numbered per year as the services do), beside the demo, which keeps the
  current year. Its own pool of experts (300 a year at scale 1) works on it; the demo's experts
  and missions are not touched, so the demo's plans and tour stay as they are.
- Missions are staffed *expert first* as in ``plans.py``: the builder picks an expert who speaks
  the mission's language, is from outside the beneficiaries, free (unavailability, other
  missions and the travel days) and within their released days, then derives the slot's
  requirements from their skills. ``integrity.rule_violations`` checks every rule again
  over the whole database afterwards.
- No field history rows (``lib.audit``): bulk rows are the baseline of their history.

The steps: ``history_builder`` (what they share), ``history_pool`` (the experts),
``history_missions`` with ``history_requests``, ``history_assignments`` and ``history_results``
(a year's work), ``history_writing`` (its rows written in bulk).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models, transaction
from django.test.utils import override_settings

from renfort.accounts.models import Notification
from renfort.assistance.models import Request, RequestStatusChange
from renfort.demo.history_builder import MISSIONS_PER_YEAR, MS, REQUESTS_PER_YEAR, HistoryBuilder
from renfort.demo.history_missions import add_mission
from renfort.demo.history_pool import build_pool
from renfort.demo.history_requests import unplanned_request
from renfort.demo.history_writing import write_year
from renfort.missions.models import Assignment, AssignmentStatusChange, Mission, MissionStatusChange
from renfort.results.models import Evaluation, MissionDelivery, MissionReport


@dataclass
class HistoryResult:
    years: list[int]
    counts: dict[str, int]
    seconds: float = 0.0
    writing: dict[str, float] = field(default_factory=dict)


@contextmanager
def _stamped_by_hand(*fields: models.DateTimeField) -> Iterator[None]:
    """While writing history, the ``auto_now``/``auto_now_add`` fields keep the dates set on
    the rows (the moment the work happened) instead of the moment of the build."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def _timestamp_fields() -> list[models.DateTimeField]:
    pairs = [
        (Request, "created_at"),
        (RequestStatusChange, "at"),
        (Mission, "created_at"),
        (MissionStatusChange, "at"),
        (Assignment, "created_at"),
        (Assignment, "updated_at"),
        (AssignmentStatusChange, "at"),
        (MissionDelivery, "at"),
        (MissionReport, "submitted_at"),
        (Evaluation, "submitted_at"),
        (Notification, "created_at"),
    ]
    out = []
    for model, name in pairs:
        f = model._meta.get_field(name)
        assert isinstance(f, models.DateTimeField)
        out.append(f)
    return out


def history_years(*, years: int, today: datetime.date) -> list[int]:
    """The N calendar years before ``today``'s, oldest first."""
    return list(range(today.year - years, today.year))


def build_history(
    *, years: int, scale: float = 1.0, seed: int = 2027, today: datetime.date | None = None
) -> HistoryResult:
    """Write ``years`` years of history beside the demo (which must be built), in one
    transaction. ``scale`` shrinks every count (tests use a few hundredths)."""
    started = time.perf_counter()
    today = today or datetime.date.today()
    span = history_years(years=years, today=today)
    # Queries are not logged (``DEBUG``): hundreds of thousands of rows would be kept in memory.
    with (
        override_settings(DEBUG=False),
        transaction.atomic(),
        _stamped_by_hand(*_timestamp_fields()),
    ):
        builder = HistoryBuilder(seed=seed, scale=scale, today=today)
        build_pool(builder, len(span))
        for year in span:
            _year(builder, year)
        counts = builder.counts
    return HistoryResult(
        years=span,
        counts=counts,
        seconds=time.perf_counter() - started,
        writing=dict(builder.rows.seconds),
    )


def _year(builder: HistoryBuilder, year: int) -> None:
    """A year of work: its missions with their requests, staffing, delivery, reports and
    evaluations; the requests that led to no mission; then everything written."""
    builder.start_year(year)
    last_year = year == builder.ctx.today.year - 1
    for _ in range(builder.n(MISSIONS_PER_YEAR)):
        roll = builder.rng.random()
        if roll < 0.05:
            status = MS.CANCELLED
        elif last_year and roll < 0.13:
            status = MS.DELIVERED
        elif last_year and roll < 0.22:
            status = MS.REPORTED
        else:
            status = MS.CLOSED
        add_mission(builder, status)
    for _ in range(max(builder.n(REQUESTS_PER_YEAR) - builder.request_no, 0)):
        unplanned_request(builder)
    write_year(builder, year)
