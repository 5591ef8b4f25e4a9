"""``renfort serve``: the development server with a task worker beside it, or, with
``--production``, gunicorn (docs/deploy.md)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = (
        "Serve Renfort on http://127.0.0.1:8000 (development server with static files) and run "
        "a background task worker beside it, so planner runs started from the browser proceed. "
        "With --production: gunicorn, DEBUG off, static files collected (docs/deploy.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the task worker (run `renfort worker` yourself).",
        )
        parser.add_argument(
            "--production",
            action="store_true",
            help=(
                "Serve with gunicorn (WEB_CONCURRENCY workers, 2 by default) and no task "
                "worker: run `renfort worker` under its own supervisor."
            ),
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="With --production: the static files were collected already (a built image).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["production"]:
            self.production(options["addrport"], collect=not options["no_collectstatic"])
            return
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen(
                [sys.executable, "-m", "renfort.cli", "worker", "--no-reload"]
            )
            self.stdout.write(f"Task worker started (pid {worker.pid}).")
        # A stop by SIGTERM (a supervisor, `kill`) goes through the finally block too, as
        # Ctrl-C does: the worker must not outlive the server.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

    def production(self, addrport: str, *, collect: bool) -> None:
        """Replace this process with gunicorn (its master then answers signals itself)."""
        if settings.DEBUG:
            raise CommandError("--production serves with DEBUG off: unset DEBUG.")
        if collect:
            call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()
        bind = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        argv = [sys.executable, "-m", "gunicorn", "--config", "python:renfort.config.gunicorn"]
        argv += ["--bind", bind, "renfort.config.wsgi:application"]
        sys.stdout.flush()
        os.execv(sys.executable, argv)
