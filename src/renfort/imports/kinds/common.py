"""What every importer shares: checking a row's cells, finding organisations by their code,
the outcome of a row."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import Q

from renfort.accounts.models import Organisation, OrganisationKind, Role, User
from renfort.imports.models import ImportKey
from renfort.imports.reading import Problem, Row, split_list

# A value quoted back in a message is cut to this length.
QUOTE_MAX = 60
# A natural key (a staff number, an external reference) is at most as long as ImportKey keeps.
KEY_MAX = ImportKey._meta.get_field("key").max_length or 100


def quote(value: str) -> str:
    return value if len(value) <= QUOTE_MAX else value[: QUOTE_MAX - 1] + "…"


@dataclass
class Outcome:
    """What a row did (or would do): ``created``, ``updated`` (which columns) or
    ``unchanged``."""

    line: int
    action: str
    label: str
    changes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "action": self.action,
            "label": self.label,
            "changes": self.changes,
        }


class RowErrors(Exception):
    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(len(problems))
        self.problems = list(problems)


class RowCheck:
    """Collects every problem of one row before any write, so that all are reported."""

    def __init__(self, row: Row) -> None:
        self.row = row
        self.problems: list[Problem] = []

    def add(self, code: str, column: str = "", **params: Any) -> None:
        if column and "column" not in params and code != "imports.row.rule":
            params["column"] = column
        self.problems.append(Problem(code, params, self.row.line, column))

    def text(self, column: str, *, required: bool = False, limit: int | None = None) -> str:
        value = self.row.get(column)
        if required and not value:
            self.add("imports.row.required", column)
        elif limit is not None and len(value) > limit:
            self.add("imports.row.too_long", column, limit=str(limit))
        return value

    def items(self, column: str, *, required: bool = False) -> list[str]:
        return split_list(self.text(column, required=required))

    def integer(self, column: str) -> int | None:
        value = self.row.get(column)
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            self.add("imports.row.number", column, value=quote(value))
            return None

    def date(self, column: str) -> datetime.date | None:
        value = self.text(column, required=True)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value[:10] if len(value) > 10 else value)
        except ValueError:
            self.add("imports.row.date", column, value=quote(value))
            return None

    def done(self) -> None:
        if self.problems:
            raise RowErrors(self.problems)


class Importer:
    """The base of the importers: the columns, who imports, the keys seen so far."""

    kind: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]]
    # Service error keys that are not column names.
    field_columns: ClassVar[dict[str, str]] = {}

    def __init__(self, user: User) -> None:
        self.user = user
        self.seen: dict[tuple[Any, ...], int] = {}
        self._organisations: dict[str, Organisation | str | None] = {}

    def row(self, row: Row) -> Outcome:
        raise NotImplementedError

    def repeated(self, check: RowCheck, what: str, key: tuple[Any, ...]) -> None:
        """A second row with the same natural key is an error of that row."""
        if key in self.seen:
            check.add("imports.row.repeated", what=what, line=str(self.seen[key]))
        else:
            self.seen[key] = check.row.line

    def organisation(self, code: str) -> Organisation | str | None:
        """The organisation with this code (docs/imports.md): its short name, or a member
        administration's ISO country code; ``"ambiguous"`` when several match."""
        key = code.casefold()
        if key not in self._organisations:
            self._organisations[key] = organisation_by_code(code)
        return self._organisations[key]

    def scoped_organisation(self, check: RowCheck, column: str, code: str) -> Organisation | None:
        """The organisation a row names, if the importer may import for it: a member focal
        point only for their own administration, the secretariat for any."""
        found = self.organisation(code)
        if found is None:
            check.add("imports.row.unknown_organisation", column, value=quote(code))
            return None
        if isinstance(found, str):
            check.add("imports.row.ambiguous_organisation", column, value=quote(code))
            return None
        if self.user.role != Role.SECRETARIAT_COORDINATOR and (
            self.user.organisation_id != found.pk
        ):
            own = self.user.organisation.name if self.user.organisation else "–"
            check.add("imports.row.not_yours", column, value=quote(code), organisation=own)
            return None
        return found


def organisation_by_code(code: str) -> Organisation | str | None:
    if not code:
        return None
    by_name = list(Organisation.objects.filter(short_name__iexact=code)[:2])
    if len(by_name) == 1:
        return by_name[0]
    member = Organisation.objects.filter(
        Q(kind=OrganisationKind.MEMBER_ADMINISTRATION), country__iexact=code
    ).first()
    if member is not None:
        return member
    return "ambiguous" if by_name else None


def lock_organisation(organisation: Organisation) -> None:
    """Hold the organisation's row until the import ends, so that two imports into one
    organisation at once run one after the other and the second finds what the first
    created (docs/imports.md, "Two imports at once"). Imports lock nothing else first."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
