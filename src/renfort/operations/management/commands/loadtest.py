"""``renfort loadtest``: the load benchmark (docs/performance.md, "Load").

With ``--serve`` it starts gunicorn (2 workers, DEBUG off) and a task worker on a free loopback
port against this process's database, drives it, and stops them; otherwise it drives ``--url``
(loopback only). The run is kept as docs/loadtest/LABEL.json and the "Load" section of
docs/performance.md is written again from every kept run.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from renfort.accounts.models import Notification
from renfort.accounts.two_factor import current_code
from renfort.assistance.models import Request
from renfort.demo.logins import DEMO_LOGINS, TWO_FACTOR_DEMO_KEY, TWO_FACTOR_DEMO_LOGINS
from renfort.missions.models import Assignment, Mission
from renfort.operations.loadtest import Account, LoadTestRefused
from renfort.operations.loadtest_pages import people
from renfort.operations.loadtest_report import render, runs_in, write_section
from renfort.operations.loadtest_run import Plan, run
from renfort.operations.loadtest_server import Servers, start_servers
from renfort.roster.models import Expert


def demo_accounts(count: int) -> list[Account]:
    """``count`` simulated people signing in as the demo logins (the mix of loadtest_pages)."""

    def code() -> str:
        return current_code(TWO_FACTOR_DEMO_KEY)

    return [
        Account(
            role,
            username,
            DEMO_LOGINS[username][1],
            code if username in TWO_FACTOR_DEMO_LOGINS else None,
        )
        for username, role in people(count)
    ]


def data_counts() -> dict[str, int]:
    return {
        "requests": Request.objects.count(),
        "missions": Mission.objects.count(),
        "assignments": Assignment.objects.count(),
        "experts": Expert.objects.count(),
        "notifications": Notification.objects.count(),
    }


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = (
        "Drive the main pages with simulated people signed in as the demo logins (loopback "
        "only, bounded in time and requests), then each page in a closed loop; write the "
        "figures to docs/performance.md. See docs/performance.md, 'Load'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--label", default="demo", help="Name of the data set (demo, ...).")
        parser.add_argument("--serve", action="store_true", help="Start gunicorn for the run.")
        parser.add_argument("--no-worker", action="store_true", help="With --serve: no worker.")
        parser.add_argument("--url", default="", help="A running server (loopback only).")
        parser.add_argument("--users", type=int, default=20)
        parser.add_argument("--warm-up", type=float, default=60.0, help="Seconds (dropped).")
        parser.add_argument("--duration", type=float, default=300.0, help="Seconds measured.")
        parser.add_argument("--pause-min", type=float, default=1.0)
        parser.add_argument("--pause-max", type=float, default=3.0)
        parser.add_argument("--closed-clients", type=int, default=4)
        parser.add_argument("--closed-seconds", type=float, default=10.0, help="0: no closed loop.")
        parser.add_argument("--max-requests", type=int, default=50_000)
        parser.add_argument("--note", action="append", default=[], help="A line for the doc.")
        parser.add_argument(
            "--doc", default=str(Path(settings.RENFORT_HOME) / "docs" / "performance.md")
        )
        parser.add_argument("--no-doc", action="store_true", help="Print only; keep nothing.")
        parser.add_argument(
            "--render", action="store_true", help="Only write the section again from kept runs."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        doc = Path(options["doc"])
        if options["render"]:
            write_section(doc, render(runs_in(doc.parent / "loadtest")))
            self.stdout.write(f"Wrote the 'Load' section of {doc}.")
            return
        if bool(options["serve"]) == bool(options["url"]):
            raise CommandError("Give either --serve or --url.", returncode=2)
        servers: Servers | None = None
        # Stopped by a signal, the run still stops the server it started (``finally`` below).
        signal.signal(signal.SIGTERM, _exit_on_signal)
        try:
            if options["serve"]:
                self.stdout.write("Starting the server ...")
                servers = start_servers(
                    Path(settings.VAR_DIR) / "loadtest", worker=not options["no_worker"]
                )
            url = servers.url if servers else options["url"]
            plan = Plan(
                url=url,
                accounts=demo_accounts(options["users"]),
                warm_up=options["warm_up"],
                measure=options["duration"],
                pause=(options["pause_min"], options["pause_max"]),
                closed_clients=options["closed_clients"],
                closed_seconds=options["closed_seconds"],
                max_requests=options["max_requests"],
            )
            result = run(
                plan,
                label=options["label"],
                server_pids=servers.pids() if servers else None,
                server=servers.description if servers else "",
                data=data_counts(),
                say=self.stdout.write,
            )
        except (LoadTestRefused, RuntimeError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        finally:
            if servers is not None:
                servers.stop()
        result.notes += options["note"]
        if options["no_doc"]:
            self.stdout.write(render([result]))
            return
        kept = result.save(doc.parent / "loadtest")
        write_section(doc, render(runs_in(kept.parent)))
        self.stdout.write(f"Kept {kept}; wrote the 'Load' section of {doc}.")
