"""``renfort export iati [-o FILE] [--user USERNAME]``: IATI 2.03 activity XML (docs/iati.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renfort.accounts.models import User
from renfort.exports.iati import export_for


class Command(BaseCommand):
    help = "Export data: `iati` writes IATI 2.03 activity XML for agreements and their missions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["iati"], help="what to export")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--user", help="export only what this user may see (default: everything)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user: no user named {options['user']!r}.")
        xml = export_for(user)
        if xml is None:
            raise CommandError("Nothing to export: no agreement is visible to this user.")
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(xml)
            except OSError as error:
                message = f"--output: cannot write {options['output']}: {error}"
                raise CommandError(message) from error
            self.stdout.write(f"written to {options['output']}")
        else:
            self.stdout.write(xml.decode())
