"""``renfort restore FILE``: check a backup archive, then replace the database and the
uploaded documents with its content and verify the row counts (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renfort.operations.backups import (
    BackupRefused,
    RestoreIncomplete,
    archive_restore,
    archive_staged,
)


def _reapply_erasures() -> list[int] | None:
    """Erase again the experts erased since the backup was made (the privacy module keeps
    their ids outside the database); None when that module is not installed."""
    try:
        from renfort.privacy import services as privacy
    except ImportError:
        return None
    reapply = getattr(privacy, "reapply_erasures", None)
    if reapply is None:
        return None
    return [report.expert_id for report in reapply()]


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # restoring is how to recover a broken install
    help = (
        "Restore a backup archive made by `renfort backup`: checks it (checksums, engine, "
        "migrations) and refuses an unsound one without changing anything, asks for "
        "confirmation, replaces the database and the uploaded documents, then verifies the "
        "row counts. Stop the server first. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive to restore.")
        parser.add_argument(
            "--yes",
            "--no-input",
            "--noinput",
            dest="yes",
            action="store_true",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with archive_staged(Path(options["file"])) as staged:
                manifest = staged.manifest
                counts = manifest["row_counts"]
                self.stdout.write(
                    f"Archive {staged.path}: made {manifest['created_at']} by Renfort "
                    f"{manifest['renfort_version']} on {manifest['engine']}; "
                    f"{len(counts)} tables, {sum(counts.values())} rows, "
                    f"{len(manifest['files']) - 1} document file(s). Checks passed."
                )
                if not options["yes"] and not self._confirmed():
                    raise CommandError("Restore cancelled; nothing was changed.", returncode=1)
                restored = archive_restore(staged)
        except BackupRefused as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except RestoreIncomplete as exc:
            raise CommandError(str(exc), returncode=1) from exc
        width = max(map(len, restored.counts), default=5)
        for table, n in sorted(restored.counts.items()):
            self.stdout.write(f"  {table:<{width}}  {n:>8}")
        if not restored.differences:
            self.stdout.write(
                f"Restored: the database and the documents are those of "
                f"{manifest['created_at']}; every table's row count matches the archive."
            )
        if restored.dropped:
            self.stdout.write(
                "Tables not in the backup dropped (a newer migration made them; `renfort "
                f"migrate` makes them again): {', '.join(restored.dropped)}."
            )
        if restored.pending:
            # The privacy tables may not exist yet: erasures are re-applied after `migrate`.
            self.stdout.write(
                f"This code has {len(restored.pending)} migration(s) the restored database has "
                "not applied. Run `renfort migrate`, then `renfort retention --reapply-erasures` "
                "(erasures made since the backup), before starting the server."
            )
        else:
            reapplied = _reapply_erasures()
            if reapplied:
                ids = ", ".join(map(str, reapplied))
                self.stdout.write(
                    f"Erasures of personal data re-applied to {len(reapplied)} expert(s) "
                    f"(ids {ids}): people erased after the backup was made stay erased."
                )
            elif reapplied is not None:
                self.stdout.write("No erasure of personal data to re-apply.")
        if restored.differences:
            listed = "; ".join(
                f"{table}: {expected} in the archive, {found} now"
                for table, (expected, found) in sorted(restored.differences.items())
            )
            raise CommandError(f"Restored, but the row counts differ: {listed}.", returncode=1)

    def _confirmed(self) -> bool:
        self.stdout.write(
            "This replaces the whole database and every uploaded document. Type 'yes' to go on: ",
            ending="",
        )
        try:
            return input().strip().lower() == "yes"
        except EOFError:
            return False
