"""``renfort demo``: build the demo data set and print its logins."""

from __future__ import annotations

import datetime
import importlib
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from renfort.accounts.models import Organisation, User
from renfort.demo.build import DEFAULT_SEED, build_demo
from renfort.demo.history import build_history, history_years
from renfort.demo.integrity import rule_violations, status_history_mismatches
from renfort.demo.logins import existing_logins, login_table, two_factor_help
from renfort.missions.models import Mission
from renfort.results.figures.cache import results_changed
from renfort.roster.models import Topic


def _seed_topics() -> None:
    """Put back the topics the seed migration creates (``flush`` empties every table)."""
    migration = importlib.import_module("renfort.roster.migrations.0002_seed_topics")
    for code, name in migration.TOPICS:
        Topic.objects.update_or_create(code=code, defaults={"name": name})


class Command(BaseCommand):
    help = (
        "Build Renfort's demo data (deterministic for a seed and a day) and print one login "
        "per role. Refuses when the database already holds data, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Erase EVERYTHING in the database first (flush), then build the demo.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Build only if the database is empty; otherwise leave it as it is, print the "
            "demo logins found in it and exit without error (for `make demo` run twice).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED})."
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="A small data set (for tests): fewer countries, experts, requests and missions.",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Build as if today were this day (YYYY-MM-DD, not in the future); dates hang on "
            "the first Monday of the next month.",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=0,
            help="Also build N years of history (the N calendar years before this one) beside "
            "the demo, in bulk: 1,500 requests and 1,000 missions a year, 300 experts a year. "
            "Builds the demo first if the database is empty; then checks every rule.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="With --years: multiply the history's counts (e.g. 0.02 for a quick test).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._handle(options)
        finally:
            results_changed()  # the demo writes in bulk: no cached figure survives it

    def _handle(self, options: dict[str, Any]) -> None:
        years = options["years"]
        if years < 0 or years > 50:
            raise CommandError(f"--years {years}: give a number of years from 1 to 50.")
        if not 0 < options["scale"] <= 10:
            raise CommandError(f"--scale {options['scale']}: give a number above 0, at most 10.")
        today = options["today"]
        if today is not None and today > datetime.date.today():
            raise CommandError(
                f"--today {today.isoformat()} is in the future: the demo delivers missions "
                "before that day, and a mission cannot be delivered before it has ended."
            )
        if Organisation._meta.db_table not in connection.introspection.table_names():
            raise CommandError("The database has no tables yet: run `renfort migrate` first.")
        existing = Organisation.objects.count() + User.objects.count()
        if existing and options["if_empty"] and not options["reset"]:
            self.stdout.write(
                "The database already holds data: left as it is (`renfort demo --reset` "
                "rebuilds the demo)."
            )
            logins = existing_logins()
            if logins:
                self.stdout.write(login_table(logins))
                self.stdout.write(two_factor_help())
            return
        if existing and years and not options["reset"]:
            self._history(years, options)
            return
        if existing and not options["reset"]:
            raise CommandError(
                "The database already holds data "
                f"({Organisation.objects.count()} organisations, {User.objects.count()} users). "
                "`renfort demo` only builds into an empty database; run `renfort demo --reset` "
                "to ERASE everything and rebuild the demo."
            )
        if options["reset"]:
            self.stdout.write("Erasing the database (flush)...")
            call_command("flush", interactive=False, verbosity=0)
            with transaction.atomic():
                _seed_topics()
        result = build_demo(seed=options["seed"], small=options["small"], today=options["today"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo built in {result.seconds:.1f} s (seed {options['seed']}, "
                f"anchor {result.anchor.isoformat()})."
            )
        )
        for label, count in result.counts.items():
            self.stdout.write(f"  {count:5d} {label}")
        self.stdout.write("")
        self.stdout.write(login_table(result.logins))
        self.stdout.write(two_factor_help())
        self.stdout.write(
            "Serve it with `renfort serve` and sign in at http://127.0.0.1:8000/ "
            "(docs/demo.md has a tour)."
        )
        if years:
            self._history(years, options)

    def _history(self, years: int, options: dict[str, Any]) -> None:
        """Build ``years`` of history beside the demo, print its counts, and check the rules
        over the whole database: a broken rule makes the command fail."""
        today = options["today"] or datetime.date.today()
        span = history_years(years=years, today=today)
        if Mission.objects.filter(reference__startswith=f"M-{span[-1]}-").exists():
            raise CommandError(
                f"The database already holds missions of {span[-1]}: the history is built "
                "once, beside the demo (`renfort demo --reset --years N` rebuilds both)."
            )
        result = build_history(
            years=years, scale=options["scale"], seed=options["seed"], today=today
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{years} years of history ({span[0]}-{span[-1]}) built in {result.seconds:.1f} s."
            )
        )
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"  {count:7d} {label}")
        if options["verbosity"] > 1:
            self.stdout.write("Seconds writing each table (the rest: drawing the rows):")
            for table, seconds in sorted(result.writing.items(), key=lambda kv: -kv[1]):
                self.stdout.write(f"  {seconds:7.1f} {table}")
        started = time.perf_counter()
        self._check()
        self.stdout.write(f"Checked in {time.perf_counter() - started:.1f} s.")

    def _check(self) -> None:
        found = rule_violations() + status_history_mismatches()
        self.stdout.write("Rules over every active assignment and status history:")
        codes = [
            "mission_status", "mission_dates", "expert_active", "expert_release", "category",
            "topic_level", "language", "beneficiary", "slot_taken", "same_mission",
            "distinct_countries", "excluded", "unavailable", "overlap", "released_days",
            "window_busy", "request_status_history", "mission_status_history",
            "assignment_status_history",
        ]  # fmt: skip
        for code in [*codes, *sorted(set(found) - set(codes))]:
            self.stdout.write(f"  {found[code]:5d} {code}")
        if found:
            raise CommandError(f"{sum(found.values())} violation(s) in the data built.")
        self.stdout.write(self.style.SUCCESS("0 violations."))
