"""``renfort digest``: send today's daily digests (each person who chose it, once a day);
``--schedule`` queues the daily run for ``renfort worker``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from renfort.accounts.digest import digests_send
from renfort.accounts.tasks import digests_schedule


class Command(BaseCommand):
    help = (
        "Mail each person who chose the daily digest their unread notifications of the last "
        "day, in their language (once a day: a second run the same day sends nothing). Run it "
        "daily (cron), or queue the daily run for `renfort worker` with --schedule."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily digest for the worker instead of sending it now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            when = digests_schedule()
            if when is None:
                self.stdout.write(
                    "Nothing queued: a run is queued already, or the task backend cannot run "
                    "tasks later (then run `renfort digest` daily with cron)."
                )
            else:
                self.stdout.write(f"Daily digest queued; the next run is at {when:%Y-%m-%d %H:%M}.")
            return
        sent = digests_send()
        self.stdout.write(f"{sent} digest(s) sent.")
