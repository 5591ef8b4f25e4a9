"""``renfort demo``: build the demo data set and print its logins."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from renfort.accounts.models import Organisation, User
from renfort.demo.build import DEFAULT_SEED, build_demo
from renfort.demo.logins import existing_logins, login_table, two_factor_help
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

    def handle(self, *args: Any, **options: Any) -> None:
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
