"""``renfort remind``: send today's reminders (reports, evaluations, follow-up actions,
accreditations), each once; ``--schedule`` queues the daily run for ``renfort worker``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renfort.lib.dates import parse_date
from renfort.results.services import reminders_send
from renfort.results.tasks import reminders_schedule


class Command(BaseCommand):
    help = (
        "Remind the people who owe a report, an evaluation, a follow-up action or an "
        "accreditation renewal (each reminder once). Run it daily (cron), or queue the daily "
        "run for `renfort worker` with --schedule."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", default=None, help="The day to remind as of (YYYY-MM-DD; default today)."
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily reminders for the worker instead of sending them now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            when = reminders_schedule()
            if when is None:
                self.stdout.write(
                    "Nothing queued: a run is queued already, or the task backend cannot run "
                    "tasks later (then run `renfort remind` daily with cron)."
                )
            else:
                self.stdout.write(
                    f"Daily reminders queued; the next run is at {when:%Y-%m-%d %H:%M}."
                )
            return
        today, problem = parse_date(options["today"], "--today")
        if problem:
            raise CommandError(problem)
        counts = reminders_send(today=today)
        total = sum(counts.values())
        self.stdout.write(f"{total} reminder(s) sent.")
        for code, n in sorted(counts.items()):
            self.stdout.write(f"  {code}: {n}")
