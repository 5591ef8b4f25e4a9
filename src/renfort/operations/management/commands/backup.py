"""``renfort backup [FILE]``: one archive of the database and the uploaded documents, safe
while the server runs; ``--prune`` then deletes the archives older than the retention."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from renfort.operations.backups import BackupRefused, backup_create, backups_prune


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a backup must not wait for a settings warning
    help = (
        "Write a backup archive (.tar.gz) of the database and the uploaded documents, with a "
        "manifest (migrations, row counts, checksums). Safe while the server runs. Default "
        "FILE: BACKUP_DIR/renfort-<UTC time>.tar.gz. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Where to write the archive.")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="After the backup, delete the archives in BACKUP_DIR older than "
            "BACKUP_RETENTION_DAYS.",
        )
        parser.add_argument(
            "--prune-only",
            action="store_true",
            help="Only delete the old archives; make no backup.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if not options["prune_only"]:
                backup = backup_create(path=Path(options["file"]) if options["file"] else None)
                counts = backup.manifest["row_counts"]
                media = sum(1 for name in backup.manifest["files"] if name.startswith("media/"))
                self.stdout.write(
                    f"Backup written: {backup.path} ({backup.path.stat().st_size} bytes; "
                    f"{backup.manifest['engine']}, {len(counts)} tables, "
                    f"{sum(counts.values())} rows, {media} document file(s))."
                )
            if options["prune"] or options["prune_only"]:
                deleted, days = backups_prune(), settings.BACKUP_RETENTION_DAYS
                for path in deleted:
                    self.stdout.write(f"Deleted, older than BACKUP_RETENTION_DAYS ({days}): {path}")
                if not deleted:
                    self.stdout.write("No archive older than the retention to delete.")
        except BackupRefused as exc:
            raise CommandError(str(exc), returncode=2) from exc
