"""Importing requests for assistance (docs/imports.md, "Requests"): a request is the
administration that submits it plus the reference the file gives it in that administration's
own system (``external_reference``). New requests go through
``assistance.services.request_submit``, changes through ``change_services.request_update``
(only while the secretariat has not decided), so the same rules apply as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from renfort.accounts.models import Organisation, Role, User
from renfort.assistance.change_services import request_update
from renfort.assistance.models import Request
from renfort.assistance.services import request_submit
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
from renfort.roster.models import Topic

DEFAULT_PRIORITY = 3


class RequestImporter(Importer):
    kind = ImportKind.REQUESTS
    columns = (
        "external_reference",
        "administrations",
        "focal_point",
        "title",
        "topics",
        "level",
        "needs",
        "preferred_start",
        "preferred_end",
        "language",
        "priority",
    )
    required = (
        "external_reference",
        "administrations",
        "title",
        "topics",
        "level",
        "needs",
        "preferred_start",
        "preferred_end",
        "language",
    )
    field_columns = {"reason": "external_reference"}

    def row(self, row: Row) -> Outcome:
        check = RowCheck(row)
        reference = check.text("external_reference", required=True, limit=KEY_MAX)
        administrations = self._administrations(check)
        focal = self._focal_point(check, administrations)
        priority = check.integer("priority")
        content: dict[str, Any] = {
            "title": check.text("title", required=True),
            "administrations": administrations,
            "topics": self._topics(check),
            "level": check.text("level", required=True).lower(),
            "needs": check.text("needs", required=True),
            "preferred_start": check.date("preferred_start"),
            "preferred_end": check.date("preferred_end"),
            "language": check.text("language", required=True).lower(),
            "priority": DEFAULT_PRIORITY if priority is None else priority,
        }
        if focal is not None and reference:
            self.repeated(check, "request", (focal.organisation_id, reference))
        check.done()
        assert focal is not None and focal.organisation is not None
        lock_organisation(focal.organisation)
        label = f"{reference}: {content['title']}"
        key = ImportKey.objects.filter(
            kind=self.kind, organisation=focal.organisation, key=reference
        ).first()
        existing = Request.objects.filter(pk=key.object_id).first() if key else None
        if existing is None:
            request = request_submit(by=focal, **content)
            ImportKey.objects.update_or_create(
                kind=self.kind,
                organisation=focal.organisation,
                key=reference,
                defaults={"object_id": request.pk},
            )
            return Outcome(row.line, "created", f"{request.reference} ({label})")
        label = f"{existing.reference} ({label})"
        if priority is None:  # an empty cell leaves the priority as it is
            content["priority"] = existing.priority
        if not _differs(existing, content):
            return Outcome(row.line, "unchanged", label)
        changed = request_update(request=existing, by=focal, **content)
        return Outcome(row.line, "updated" if changed else "unchanged", label, changed)

    def _administrations(self, check: RowCheck) -> list[Organisation]:
        found = []
        for code in check.items("administrations", required=True):
            org = self.organisation(code)
            if org is None or isinstance(org, str):
                problem = (
                    "imports.row.unknown_organisation"
                    if org is None
                    else ("imports.row.ambiguous_organisation")
                )
                check.add(problem, "administrations", value=quote(code))
            else:
                found.append(org)
        own = self.user.organisation
        if self.user.role == Role.MEMBER_FOCAL_POINT and found and own not in found:
            names = " ".join(o.short_name or o.name for o in found)
            check.add(
                "imports.row.not_yours",
                "administrations",
                value=quote(names),
                organisation=own.name if own else "–",
            )
        return found

    def _focal_point(self, check: RowCheck, administrations: list[Organisation]) -> User | None:
        """Who submits the request: the focal point the row names, else the importer. A
        member focal point imports only requests its own administration submits."""
        name = check.text("focal_point")
        if not name:
            if self.user.role == Role.MEMBER_FOCAL_POINT:
                return self.user
            check.add("imports.row.required", "focal_point")
            return None
        candidates = User.objects.filter(
            Q(username__iexact=name) | Q(email__iexact=name),
            role=Role.MEMBER_FOCAL_POINT,
            is_active=True,
            organisation__in=administrations,
        ).select_related("organisation")
        if self.user.role != Role.SECRETARIAT_COORDINATOR:
            candidates = candidates.filter(organisation=self.user.organisation)
        found = list(candidates[:2])
        if len(found) != 1:
            if administrations:
                check.add("imports.row.unknown_focal_point", "focal_point", value=quote(name))
            return None
        return found[0]

    def _topics(self, check: RowCheck) -> list[Topic]:
        codes = [c.lower() for c in check.items("topics", required=True)]
        topics = {t.code: t for t in Topic.objects.filter(code__in=codes)}
        if unknown := [c for c in codes if c not in topics]:
            check.add("imports.row.unknown_topics", "topics", value=quote(", ".join(unknown)))
        return [topics[c] for c in codes if c in topics]


def _differs(request: Request, content: dict[str, Any]) -> bool:
    current = {
        "title": request.title,
        "administrations": {a.pk for a in request.administrations.all()},
        "topics": {t.pk for t in request.topics.all()},
        "level": request.level,
        "needs": request.needs,
        "preferred_start": request.preferred_start,
        "preferred_end": request.preferred_end,
        "language": request.language,
        "priority": request.priority,
    }
    wanted = {
        **content,
        "title": content["title"].strip(),
        "needs": content["needs"].strip(),
        "administrations": {a.pk for a in content["administrations"]},
        "topics": {t.pk for t in content["topics"]},
    }
    return current != wanted
