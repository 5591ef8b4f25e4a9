"""Importing experts (docs/imports.md, "Experts"): an expert is their home administration
plus their e-mail, or plus their staff number there. New experts go through
``roster.services.expert_create``; the fields an expert keeps up to date (languages, e-mail,
skills) through ``expert_update_profile``."""

from __future__ import annotations

from typing import Any

from renfort.accounts.models import Organisation
from renfort.imports.kinds.common import (
    KEY_MAX,
    Importer,
    Outcome,
    RowCheck,
    lock_organisation,
    quote,
)
from renfort.imports.models import ImportKey, ImportKind
from renfort.imports.reading import Row
from renfort.roster.models import Expert
from renfort.roster.services import expert_create, expert_update_profile

DEFAULT_RELEASED_DAYS = 30


class ExpertImporter(Importer):
    kind = ImportKind.EXPERTS
    columns = (
        "home_administration",
        "email",
        "staff_number",
        "first_name",
        "last_name",
        "categories",
        "languages",
        "skills",
        "released_days_per_year",
    )
    required = ("home_administration", "first_name", "last_name", "categories", "languages")
    field_columns = {"user": "email"}

    def row(self, row: Row) -> Outcome:
        check = RowCheck(row)
        code = check.text("home_administration", required=True)
        org = self.scoped_organisation(check, "home_administration", code) if code else None
        email = check.text("email").lower()
        staff = check.text("staff_number", limit=KEY_MAX)
        fields: dict[str, Any] = {
            "first_name": check.text("first_name", required=True),
            "last_name": check.text("last_name", required=True),
            "categories": [c.lower() for c in check.items("categories", required=True)],
            "languages": [c.lower() for c in check.items("languages", required=True)],
        }
        skills = _skills(check, row.get("skills"))
        days = check.integer("released_days_per_year")
        if not email and not staff:
            check.add("imports.row.no_key", "email")
        if org is not None:
            if email:
                self.repeated(check, "expert", ("email", org.pk, email))
            if staff:
                self.repeated(check, "expert", ("staff", org.pk, staff))
        check.done()
        assert org is not None
        lock_organisation(org)
        expert = self._find(check, org, email, staff)
        check.done()
        label = f"{fields['first_name']} {fields['last_name']}"
        if expert is None:
            expert = expert_create(
                home_administration=org,
                email=email,
                released_days_per_year=DEFAULT_RELEASED_DAYS if days is None else days,
                skills=skills or {},
                **fields,
            )
            if staff:
                _remember(org, staff, expert)
            return Outcome(row.line, "created", label)
        changes = self._update(check, expert, email, fields, skills, days)
        if (
            staff
            and not ImportKey.objects.filter(kind=self.kind, organisation=org, key=staff).exists()
        ):
            _remember(org, staff, expert)
            changes.append("staff_number")
        return Outcome(row.line, "updated" if changes else "unchanged", label, changes)

    def _find(self, check: RowCheck, org: Organisation, email: str, staff: str) -> Expert | None:
        by_staff = None
        if staff:
            key = ImportKey.objects.filter(kind=self.kind, organisation=org, key=staff).first()
            if key is not None:
                by_staff = Expert.objects.filter(home_administration=org, pk=key.object_id).first()
        by_email = None
        if email:
            found = list(Expert.objects.filter(home_administration=org, email__iexact=email)[:2])
            if len(found) > 1 and by_staff is None:
                check.add("imports.row.ambiguous_expert", "email", value=quote(email))
                return None
            by_email = found[0] if len(found) == 1 else None
        if by_staff is not None and by_email is not None and by_staff.pk != by_email.pk:
            check.add("imports.row.key_conflict", "staff_number")
            return None
        return by_staff or by_email

    def _update(
        self,
        check: RowCheck,
        expert: Expert,
        email: str,
        fields: dict[str, Any],
        skills: dict[str, int] | None,
        days: int | None,
    ) -> list[str]:
        """Change what an import may change; refuse a difference in what it may not."""
        fixed = {
            "first_name": (expert.first_name, fields["first_name"]),
            "last_name": (expert.last_name, fields["last_name"]),
            "categories": (
                " ".join(sorted(expert.categories)),
                " ".join(sorted(set(fields["categories"]))),
            ),
        }
        if days is not None:
            fixed["released_days_per_year"] = (str(expert.released_days_per_year), str(days))
        for column, (current, wanted) in fixed.items():
            if current != wanted:
                check.add(
                    "imports.row.unchangeable", column, value=quote(wanted), current=quote(current)
                )
        check.done()
        update: dict[str, Any] = {}
        languages = list(dict.fromkeys(fields["languages"]))
        if languages != list(expert.languages):
            update["languages"] = languages
        if email and email != expert.email.lower():
            update["email"] = email
        if skills is not None:
            current_skills = {s.topic.code: s.level for s in expert.skills.select_related("topic")}
            if current_skills != skills:
                update["skills"] = skills
        if update:
            expert_update_profile(expert=expert, **update)
        return list(update)


def _remember(org: Organisation, staff: str, expert: Expert) -> None:
    ImportKey.objects.update_or_create(
        kind=ImportKind.EXPERTS, organisation=org, key=staff, defaults={"object_id": expert.pk}
    )


def _skills(check: RowCheck, value: str) -> dict[str, int] | None:
    """``risk_management:3 aeo:2`` as topic codes and levels; ``None`` when the cell is empty
    (an existing expert's skills are then left as they are)."""
    if not value:
        return None
    skills: dict[str, int] = {}
    for item in check.items("skills"):
        code, _sep, level = item.partition(":")
        if not code or not level.strip().isdigit():
            check.add("imports.row.skills", "skills", value=quote(item))
            continue
        skills[code.strip().lower()] = int(level)
    return skills
