"""``renfort import experts|organisations|requests FILE [--dry-run] [--as USERNAME]
[--organisation CODE]`` (docs/imports.md): the same check and import as the upload page,
recorded as an import job of the user it runs as. Every problem is printed with its line and
column; the exit code is 1 when the file cannot be imported, 0 otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from renfort.accounts.models import Role, User
from renfort.imports.jobs import import_job_apply, import_job_check
from renfort.imports.kinds.common import organisation_by_code
from renfort.imports.models import ImportJob, ImportKind, ImportStatus
from renfort.imports.services import import_job_create
from renfort.lib.messages import render


class Command(BaseCommand):
    help = "Import experts, organisations or requests from a CSV or XLSX file (docs/imports.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values, help="what the file holds")
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--as",
            dest="username",
            help="the user the import is made as and recorded for (default: the only active "
            "secretariat coordinator)",
        )
        parser.add_argument(
            "--organisation",
            help="the code of the organisation to import for: the import is made as its "
            "only active member focal point (its rules apply)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = _user(options["username"], options["organisation"])
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror}).") from error
        language = user.language or "en"
        with translation.override(language):
            try:
                job = import_job_create(
                    user=user,
                    kind=options["kind"],
                    name=path.name,
                    content=content,
                    language=language,
                )
            except PermissionDenied as error:
                raise CommandError(f"{user.username} may not import {options['kind']}.") from error
            except ValidationError as error:
                raise CommandError(f"{path}: {' '.join(error.messages)}") from error
            status = import_job_check(job_id=job.pk)
            if status == ImportStatus.READY and not options["dry_run"]:
                status = import_job_apply(job_id=job.pk)
            job.refresh_from_db()
            self._report(job, options["dry_run"])
        if status not in (ImportStatus.READY, ImportStatus.DONE):
            raise CommandError(f"Nothing was imported (import #{job.pk}).", returncode=1)

    def _report(self, job: ImportJob, dry_run: bool) -> None:
        for error in job.result.get("errors", []):
            where = f"line {error['line']}" if error.get("line") else "file"
            column = f", column {error['column']}" if error.get("column") else ""
            text = render(error["code"], error["params"]).body
            self.stderr.write(f"{job.name}: {where}{column}: {text}")
        counts = job.result.get("counts")
        if counts:
            summary = (
                f"{counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged, {counts['refused']} rows refused"
            )
            if dry_run and job.status == ImportStatus.READY:
                summary = f"Dry run, nothing written: {summary}"
            self.stdout.write(f"{summary} (import #{job.pk}: {job.get_status_display()}).")


def _user(username: str | None, organisation: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user named {username!r}.")
        return user
    if organisation:
        org = organisation_by_code(organisation)
        if org is None or isinstance(org, str):
            raise CommandError(
                f"--organisation: no single organisation has the code {organisation!r}."
            )
        users = list(
            User.objects.filter(organisation=org, role=Role.MEMBER_FOCAL_POINT, is_active=True)[:2]
        )
        if len(users) != 1:
            raise CommandError(
                f"--organisation: {org.name} has {'no' if not users else 'several'} active member "
                "focal point(s); name one with --as."
            )
        return users[0]
    users = list(User.objects.filter(role=Role.SECRETARIAT_COORDINATOR, is_active=True)[:2])
    if len(users) != 1:
        raise CommandError("Name the user to import as with --as USERNAME.")
    return users[0]
