"""Importing organisations (docs/imports.md, "Organisations"), by the secretariat only: an
organisation is its code (its short name, compared without case)."""

from __future__ import annotations

from typing import Any

from renfort.accounts.models import Organisation, Role
from renfort.accounts.organisation_services import organisation_create, organisation_update
from renfort.imports.kinds.common import (
    Importer,
    Outcome,
    RowCheck,
    lock_organisation,
    quote,
)
from renfort.imports.models import ImportKind
from renfort.imports.reading import Row

CODE_MAX = Organisation._meta.get_field("short_name").max_length or 40
YES = {"yes", "y", "true", "1", "oui", "o", "x"}
NO = {"no", "n", "false", "0", "non", ""}


class OrganisationImporter(Importer):
    kind = ImportKind.ORGANISATIONS
    columns = ("code", "name", "kind", "country", "region", "languages", "lends_experts")
    required = ("code", "name", "kind")
    field_columns = {"short_name": "code"}

    def row(self, row: Row) -> Outcome:
        check = RowCheck(row)
        if self.user.role != Role.SECRETARIAT_COORDINATOR:
            check.add("imports.row.secretariat_only")
            check.done()
        code = check.text("code", required=True, limit=CODE_MAX)
        values: dict[str, Any] = {
            "name": check.text("name", required=True),
            "kind": check.text("kind", required=True).lower(),
            "country": check.text("country").upper(),
            "region": check.text("region").upper(),
            "languages": list(dict.fromkeys(c.lower() for c in check.items("languages"))),
        }
        lends = check.text("lends_experts").lower()
        if lends not in YES | NO:
            check.add("imports.row.yes_no", "lends_experts", value=quote(lends))
        values["lends_experts"] = lends in YES
        if code:
            self.repeated(check, "organisation", ("code", code.casefold()))
        check.done()
        if self.user.organisation is not None:  # one organisations import at a time
            lock_organisation(self.user.organisation)
        existing = Organisation.objects.filter(short_name__iexact=code).first()
        label = f"{values['name']} ({code})"
        if existing is None:
            organisation_create(by=self.user, short_name=code, **values)
            return Outcome(row.line, "created", label)
        if existing.kind != values["kind"]:
            check.add(
                "imports.row.unchangeable",
                "kind",
                value=quote(values["kind"]),
                current=existing.kind,
            )
            check.done()
        del values["kind"]
        # An empty cell (or a column the file does not have) leaves the field as it is.
        given = {k: v for k, v in values.items() if row.get(k)}
        wanted = {k: v for k, v in given.items() if getattr(existing, k) != v}
        if "name" in wanted and wanted["name"].strip() == existing.name:
            del wanted["name"]
        if not wanted:
            return Outcome(row.line, "unchanged", label)
        changed = organisation_update(by=self.user, organisation=existing, **wanted)
        return Outcome(row.line, "updated" if changed else "unchanged", label, changed)
