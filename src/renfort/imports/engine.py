"""Running the rows of a file through an importer (docs/imports.md, "All or nothing"): each
row in a savepoint, so that a refused row leaves no trace and the next ones are still checked;
every problem of every row collected; the whole file rolled back unless every row is good
(and always on a dry run)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from renfort.accounts.models import Role, User
from renfort.imports.kinds.common import Importer, Outcome, RowErrors
from renfort.imports.kinds.experts import ExpertImporter
from renfort.imports.kinds.organisations import OrganisationImporter
from renfort.imports.kinds.requests import RequestImporter
from renfort.imports.models import ImportKind
from renfort.imports.reading import Problem, Row, columns_problem
from renfort.lib.actor import acting_as

IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.EXPERTS: ExpertImporter,
    ImportKind.ORGANISATIONS: OrganisationImporter,
    ImportKind.REQUESTS: RequestImporter,
}
# Who may import what: member focal points their own administration's experts and requests,
# the secretariat everything.
IMPORT_ROLES: dict[str, tuple[str, ...]] = {
    ImportKind.EXPERTS: (Role.SECRETARIAT_COORDINATOR, Role.MEMBER_FOCAL_POINT),
    ImportKind.REQUESTS: (Role.SECRETARIAT_COORDINATOR, Role.MEMBER_FOCAL_POINT),
    ImportKind.ORGANISATIONS: (Role.SECRETARIAT_COORDINATOR,),
}


def may_import(user: Any, kind: str) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and getattr(user, "is_active", False)
        and getattr(user, "role", "") in IMPORT_ROLES.get(kind, ())
    )


@dataclass
class Result:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: Result) -> None:
        self.outcomes += other.outcomes
        self.problems += other.problems

    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for outcome in self.outcomes:
            counts[outcome.action] += 1
        counts["refused"] = len({p.line for p in self.problems})
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "rows": [o.as_json() for o in self.outcomes],
            "errors": [p.as_json() for p in self.problems],
        }


def importer_for(kind: str, user: User, headers: Sequence[str]) -> Importer:
    """The importer of ``kind`` for ``user``, once the header line is right (``FileRefused``
    otherwise)."""
    importer = IMPORTERS[kind](user)
    columns_problem(headers, importer.required, importer.columns)
    return importer


def run_rows(importer: Importer, rows: Sequence[Row], *, dry_run: bool) -> Result:
    """Run ``rows`` through the services in one transaction, kept only when every row is good
    and ``dry_run`` is false. Changes are recorded as made by the importer (field history)."""
    result = Result()
    with acting_as(importer.user), transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    result.outcomes.append(importer.row(row))
            except RowErrors as refused:
                result.problems += refused.problems
            except ValidationError as refused:
                result.problems += _service_problems(importer, row.line, refused)
        if dry_run or result.problems:
            transaction.set_rollback(True)
    return result


def _service_problems(importer: Importer, line: int, error: ValidationError) -> list[Problem]:
    """A service's refusal, each message kept with the column it names."""
    if not hasattr(error, "error_dict"):
        return [Problem("imports.row.rule", {"message": m}, line) for m in error.messages]
    return [
        Problem(
            "imports.row.rule",
            {"message": message},
            line,
            importer.field_columns.get(key, "" if key == "__all__" else key),
        )
        for key, messages in error.message_dict.items()
        for message in messages
    ]
