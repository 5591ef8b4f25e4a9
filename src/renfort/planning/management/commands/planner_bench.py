"""``renfort planner_bench``: how long a coordinator waits for a proposal, on the demo.

Builds the demo in a temporary database (never the configured one), then, as a browser
would, starts a run over the year's plannable missions (the planner form, POST) and lets the
worker take it (``db_worker --batch``, the same code as ``renfort worker``), timing *start →
proposal ready*: the POST, the problem built in the worker, the planner, the plan stored. Then
pins a few proposals and re-runs around them, timed the same way. Each is repeated; the
figures are the median and the maximum. The worker's idle poll (``--interval``, 1 s by default)
and the page's own poll (every second) come on top and are not counted. docs/benchmarks.md,
"Browser runs on the demo", records what it measured.
"""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from renfort.accounts.models import Role, User
from renfort.demo.build import DEFAULT_SEED, build_demo
from renfort.planning.models import PlannerRun, PlannerRunStatus

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@dataclass
class Timing:
    """One timed run, from the POST to the run's plan stored (and its page)."""

    post_s: float
    ready_s: float
    page_s: float
    run: PlannerRun

    @property
    def stats(self) -> dict[str, Any]:
        return dict(self.run.plan.get("stats") or {})


@dataclass
class Series:
    name: str
    timings: list[Timing] = field(default_factory=list)

    def column(self, key: str) -> list[float]:
        """The figure of every run that has it (the planner's stats lack what it skipped)."""
        if key in ("post_s", "ready_s", "page_s"):
            return [float(getattr(t, key)) for t in self.timings]
        return [float(t.stats[key]) for t in self.timings if t.stats.get(key) is not None]


def _temporary_database(folder: str) -> str:
    """Switch the connection to a new, empty, migrated database; returns the old name."""
    old = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        name = os.path.join(folder, "bench.sqlite3")
    else:
        name = f"renfort_bench_{os.getpid()}"
    if name == old:
        raise CommandError("The temporary database would be the configured one.")
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old


def _worker() -> None:
    """Run what is queued, as ``renfort worker`` does, and return when the queue is empty."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def _timed(client: Client, url: str, data: dict[str, Any]) -> Timing:
    began = time.perf_counter()
    response = client.post(url, data)
    posted = time.perf_counter()
    if response.status_code != 302:
        raise CommandError(f"POST {url} answered {response.status_code}, not a redirect.")
    run = PlannerRun.objects.order_by("-pk").first()
    assert run is not None
    _worker()
    ready = time.perf_counter()
    run.refresh_from_db()
    if run.status != PlannerRunStatus.DONE:
        raise CommandError(f"Planner run {run.pk} ended {run.status}: {run.error_text()}")
    page = client.get(response["Location"])
    assert page.status_code == 200
    return Timing(posted - began, ready - began, time.perf_counter() - ready, run)


def _pin(client: Client, run: PlannerRun, count: int) -> int:
    """Pin the first proposals of the run, as the review page's Pin buttons do."""
    slots = [
        a["slot"] for entry in run.plan.get("missions", []) for a in entry.get("assignments") or []
    ][:count]
    for slot in slots:
        client.post(reverse("planner:run_pin", args=[run.pk, slot]), {"pinned": "1"})
    return len(slots)


def _row(series: Series, key: str) -> str:
    values = series.column(key)
    if not values:
        return "—"
    return f"{statistics.median(values):.2f} / {max(values):.2f}"


class Command(BaseCommand):
    help = (
        "Build the demo in a temporary database and time browser planner runs (start to "
        "proposal ready) for the year's plannable missions and a re-run around pins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=5, help="Runs of each kind.")
        parser.add_argument("--pins", type=int, default=5, help="Proposals pinned to re-run.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Demo seed.")
        parser.add_argument(
            "--time-limit", type=float, default=None, help="Seconds (PLANNER_TIME_LIMIT_S)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1.")
        folder = tempfile.mkdtemp(prefix="renfort-bench-")
        old = _temporary_database(folder)
        try:
            with override_settings(
                TASKS=DB_TASKS,
                ALLOWED_HOSTS=["testserver"],
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            ):
                self._measure(options)
        finally:
            if connection.settings_dict["NAME"] != old:  # never drop the configured database
                connection.creation.destroy_test_db(old, verbosity=0)
            shutil.rmtree(folder, ignore_errors=True)

    def _measure(self, options: dict[str, Any]) -> None:
        began = time.perf_counter()
        demo = build_demo(seed=options["seed"])
        self.stdout.write(f"Demo built in {time.perf_counter() - began:.1f} s.")
        user = User.objects.filter(role=Role.SECRETARIAT_COORDINATOR, is_active=True).first()
        assert user is not None
        client = Client()
        client.force_login(user)
        today = timezone.localdate()
        form = {
            "period_start": today.isoformat(),
            "period_end": (today + datetime.timedelta(days=364)).isoformat(),
            "time_limit_s": str(options["time_limit"] or settings.PLANNER_TIME_LIMIT_S),
        }
        create = reverse("planner:run_create")
        cold = _timed(client, create, form)  # the worker's first run loads the planner
        year, rerun = Series("year's plannable missions"), Series("re-run around pins")
        pinned = 0
        for _ in range(options["repeat"]):
            first = _timed(client, create, form)
            year.timings.append(first)
            pinned = _pin(client, first.run, options["pins"])
            rerun.timings.append(
                _timed(client, reverse("planner:run_rerun", args=[first.run.pk]), {})
            )
        self._report(demo.anchor, cold, [year, rerun], pinned, options)

    def _report(
        self,
        anchor: datetime.date,
        cold: Timing,
        series: list[Series],
        pinned: int,
        options: dict[str, Any],
    ) -> None:
        problem = cold.run.problem
        self.stdout.write(
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{connection.vendor}; demo seed {options['seed']}, anchor {anchor}; "
            f"{len(problem['missions'])} missions, {len(problem['experts'])} experts, "
            f"{len(problem['pinned'])} held slots pinned; time limit {cold.run.time_limit_s:g} s; "
            f"PLANNER_STALL_S {settings.PLANNER_STALL_S:g}, "
            f"PLANNER_TIE_BREAK_S {settings.PLANNER_TIE_BREAK_S:g}; {options['repeat']} runs "
            f"each, {pinned} proposals pinned for the re-run."
        )
        self.stdout.write(
            f"First run after the worker started (loads the planner): {cold.ready_s:.2f} s."
        )
        self.stdout.write("")
        self.stdout.write(
            "| run | start → proposal ready s | POST s | build s | planner s "
            "| primary proven at s | tie-breaks s | review page s | status |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|---|")
        for s in series:
            statuses = sorted({f"{t.run.plan.get('status')}" for t in s.timings})
            self.stdout.write(
                f"| {s.name} | {_row(s, 'ready_s')} | {_row(s, 'post_s')} | {_row(s, 'build_s')} "
                f"| {_row(s, 'wall_s')} | {_row(s, 'optimal_at_s')} | {_row(s, 'pass2_s')} "
                f"| {_row(s, 'page_s')} | {', '.join(statuses)} |"
            )
        self.stdout.write("")
        self.stdout.write("Each cell: median / max.")
