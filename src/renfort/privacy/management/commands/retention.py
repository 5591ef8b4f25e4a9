"""``renfort retention``: what is past its retention period (docs/privacy.md, "Retention").

Without ``--apply`` it only counts (a dry run: nothing is deleted); with ``--apply`` it
deletes (or, for planner runs, clears) what it counted. ``--reapply-erasures`` anonymises
again every erased expert, after the restore of a backup older than an erasure.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from renfort.lib.audit import acting_as
from renfort.privacy.retention import RULES, retention_apply, retention_counts
from renfort.privacy.services import reapply_erasures


class Command(BaseCommand):
    help = "Count (or with --apply, delete) records past their retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Delete what is past its period.")
        parser.add_argument(
            "--reapply-erasures",
            action="store_true",
            help="Anonymise again every erased expert (after restoring an older backup).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as("command:retention"):
            if options["reapply_erasures"]:
                reports = reapply_erasures()
                self.stdout.write(f"erasures re-applied: {len(reports)}")
                for report in reports:
                    changed = sum(report.changed.values())
                    self.stdout.write(f"  expert {report.expert_id}: {changed} rows anonymised")
            counts = retention_apply() if options["apply"] else retention_counts()
        verb = "deleted" if options["apply"] else "past their period (dry run; --apply deletes)"
        self.stdout.write(f"retention: {verb}")
        for rule in RULES:
            days = f"{rule.days} days" if rule.days > 0 or not rule.zero_keeps else "kept"
            self.stdout.write(
                f"  {rule.name:<15} {counts[rule.name]:>7}  {rule.what} ({rule.setting}: {days})"
            )
