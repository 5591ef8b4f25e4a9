"""Reading the field history (lib/audit.py) as people read it: who changed which field of
what, when, from which value to which.

Every read is bounded: a page of rows per history table (one query), their previous rows
(one query), the people named (joined) and the objects their references point to (one query
per kind of object referred to). Nothing here knows an app: the audited models are found by
the ``field_history`` manager django-simple-history puts on them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from renfort.lib.audit import BASELINE

MANAGER = "field_history"
TEXT_SHOWN = 200


@dataclass(frozen=True)
class FieldChange:
    name: str  # the field's verbose name, in the active language
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    who: str
    kind: str  # "created", "changed", "deleted"
    what: str  # the object: its kind and reference
    changes: list[FieldChange] = field(default_factory=list)
    model_label: str = ""
    object_id: Any = None
    url: str = ""  # the object's page, when the reader has one to go to


def audited_models() -> list[type[models.Model]]:
    """The models with a field history, in a stable order."""
    found = [
        m
        for m in apps.get_models()
        if getattr(m._meta, "simple_history_manager_attribute", None) == MANAGER
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def history_model(model: type[models.Model]) -> Any:
    return getattr(model, MANAGER).model


def actor_label(user: Any, actor: str) -> str:
    """Who made a change: the person, else the task or command, else "the application"."""
    if user is not None:
        return str(user)
    if actor.startswith("task:"):
        return _("Task %(name)s") % {"name": actor[5:]}
    if actor.startswith("command:"):
        return _("Command %(name)s") % {"name": actor[8:]}
    return actor or _("The application")


# The field that tells a part from its siblings, when it has no reference or name.
LABEL_FIELDS = {
    "missions.slot": "position",
    "missions.slotrequirement": "topic",
    "missions.assignment": "expert",
    "roster.skill": "topic",
    "roster.unavailability": "start",
    "agreements.agreementparty": "organisation",
    "results.indicatoractual": "period_start",
}


def object_label(model: type[models.Model], record: Any, names: dict[Any, str]) -> str:
    """The kind of object and its reference, name or distinguishing field (else its number),
    from the historical row (and the names of the objects it refers to)."""
    kind = _capital(str(model._meta.verbose_name))
    reference = getattr(record, "reference", "") or getattr(record, "name", "")
    if reference:
        return f"{kind} {reference}"
    label = LABEL_FIELDS.get(model._meta.label_lower)
    if label:
        f: Any = model._meta.get_field(label)
        return f"{kind} {show(f, getattr(record, f.attname), names)}"
    return f"{kind} n\u00b0\u00a0{record.id}"


def records(
    model: type[models.Model],
    *,
    filters: dict[str, Any] | None = None,
    limit: int,
    where: models.Q | None = None,
) -> list[Any]:
    """The newest ``limit`` shown rows of ``model``'s history matching ``filters``, each with
    ``prev_id``: the id of the object's previous row (None for the first)."""
    history = history_model(model)
    previous = history.objects.filter(
        id=OuterRef("id"), history_id__lt=OuterRef("history_id")
    ).order_by("-history_id")
    rows = (
        history.objects.filter(where or models.Q(), **(filters or {}))
        .exclude(history_change_reason=BASELINE)
        .select_related("history_user")
        .annotate(prev_id=Subquery(previous.values("history_id")[:1]))
        .order_by("-history_date", "-history_id")[:limit]
    )
    return list(rows)


def entries(
    model: type[models.Model], rows: Sequence[Any], *, with_object: bool = True
) -> list[HistoryEntry]:
    """Turn ``rows`` (from ``records``) into entries listing each changed field with its
    previous and new value."""
    history = history_model(model)
    prev_ids = [r.prev_id for r in rows if r.prev_id is not None]
    previous = history.objects.in_bulk(prev_ids) if prev_ids else {}
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.editable and f.attname in {g.attname for g in history._meta.concrete_fields}
    ]
    pairs = []
    for row in rows:
        before = previous.get(row.prev_id) if row.prev_id is not None else None
        changed = []
        if row.history_type == "~" and before is not None:
            changed = [f for f in fields if getattr(before, f.attname) != getattr(row, f.attname)]
        pairs.append((row, before, changed))
    label = LABEL_FIELDS.get(model._meta.label_lower, "")
    labelled = model._meta.get_field(label) if label and with_object else None
    names = _referenced(pairs, labelled)
    result = []
    for row, before, changed in pairs:
        kind = {"+": "created", "-": "deleted"}.get(row.history_type, "changed")
        entry = HistoryEntry(
            at=row.history_date,
            who=actor_label(row.history_user, row.history_actor),
            kind=kind,
            what=object_label(model, row, names) if with_object else "",
            model_label=model._meta.label_lower,
            object_id=row.id,
        )
        for f in changed:
            entry.changes.append(
                FieldChange(
                    name=_capital(str(f.verbose_name)),
                    before=show(f, getattr(before, f.attname), names),
                    after=show(f, getattr(row, f.attname), names),
                )
            )
        if kind == "changed" and not entry.changes and before is not None:
            continue
        result.append(entry)
    return result


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _referenced(
    pairs: Iterable[tuple[Any, Any, list[models.Field[Any, Any]]]], labelled: Any = None
) -> dict[Any, str]:
    """The names of the objects the changed references (and the labelling reference of each
    row) point to: one query per kind of object."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for row, before, changed in pairs:
        fields: list[tuple[Any, tuple[Any, ...]]] = [(f, (before, row)) for f in changed]
        if isinstance(labelled, models.ForeignKey):
            fields.append((labelled, (row,)))
        for f, records_ in fields:
            if isinstance(f, models.ForeignKey):
                for record in records_:
                    if (value := getattr(record, f.attname)) is not None:
                        wanted[f.related_model].add(value)  # type: ignore[index]
    names: dict[Any, str] = {}
    for related, ids in wanted.items():
        # select_related(): the names of some objects read their parents (a slot's mission).
        for pk, obj in related._base_manager.select_related().in_bulk(list(ids)).items():
            names[(related, pk)] = str(obj)
    return names


def show(f: models.Field[Any, Any], value: Any, names: dict[Any, str]) -> str:
    """A stored value as people read it: a choice by its label, a reference by its object's
    name, a date in the reader's format, a long text cut short."""
    if value is None or value == "" or value == []:
        return "\u2014"
    if isinstance(f, models.ForeignKey):
        return names.get((f.related_model, value), f"n\u00b0\u00a0{value}")
    if f.flatchoices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "\u2026"


# The parts whose changes an object's page shows with its own: the history table of each
# part (app label.model) and the lookup from a part's history row to the object's id.
PARTS: dict[str, tuple[tuple[str, str], ...]] = {
    "missions.mission": (
        ("missions.slot", "mission_id"),
        ("missions.slotrequirement", "slot__mission_id"),
        ("missions.assignment", "slot__mission_id"),
    ),
    "roster.expert": (("roster.skill", "expert_id"), ("roster.unavailability", "expert_id")),
    "agreements.agreement": (
        ("agreements.agreementparty", "agreement_id"),
        ("agreements.budgetline", "agreement_id"),
    ),
    "results.indicator": (("results.indicatoractual", "indicator_id"),),
}


def targets_of(
    obj: models.Model, only: Mapping[str, Collection[int]] | None = None
) -> list[tuple[type[models.Model], dict[str, Any]]]:
    """The history tables an object's page reads: its own, then its parts'. ``only`` cuts a
    part to the ids the page shows its reader ({"missions.assignment": [ids]}): a page never
    tells more in its history than it shows."""
    model = type(obj)
    found: list[tuple[type[models.Model], dict[str, Any]]] = [(model, {"id": obj.pk})]
    for label, lookup in PARTS.get(model._meta.label_lower, ()):
        filters: dict[str, Any] = {lookup: obj.pk}
        if only is not None and label in only:
            filters["id__in"] = list(only[label])
        found.append((apps.get_model(label), filters))
    return found


def object_history(
    targets: Sequence[tuple[type[models.Model], dict[str, Any]]],
    *,
    limit: int = 20,
    offset: int = 0,
) -> list[HistoryEntry]:
    """Entries ``offset`` to ``offset + limit`` (newest first) of several histories merged
    (an object and its parts: a mission, its slots and assignments), each target a model and
    a filter on its history rows (``{"id": pk}``, ``{"mission_id": pk}``)."""
    merged: list[HistoryEntry] = []
    for model, filters in targets:
        rows = records(model, filters=filters, limit=offset + limit)
        merged.extend(entries(model, rows, with_object=len(targets) > 1))
    merged.sort(key=lambda e: e.at, reverse=True)
    return merged[offset : offset + limit]


# What "reference" means when the secretariat searches each history: the object's own
# reference or name, else its parent's (a slot's mission, a skill's expert).
REFERENCE_LOOKUPS: dict[str, tuple[str, ...]] = {
    "accounts.user": ("username", "last_name"),
    "assistance.request": ("reference", "title"),
    "missions.mission": ("reference", "title"),
    "missions.slot": ("mission__reference",),
    "missions.slotrequirement": ("slot__mission__reference",),
    "missions.assignment": ("slot__mission__reference", "expert__last_name"),
    "roster.expert": ("last_name", "first_name"),
    "roster.skill": ("expert__last_name",),
    "roster.unavailability": ("expert__last_name",),
    "agreements.agreement": ("reference", "title"),
    "agreements.agreementparty": ("agreement__reference",),
    "agreements.budgetline": ("agreement__reference", "name"),
    "results.objective": ("title",),
    "results.indicator": ("name",),
    "results.indicatoractual": ("indicator__name",),
}


@dataclass(frozen=True)
class Search:
    """What the secretariat looks for: a kind of object (its label), a person or task, a
    period of days and a piece of the reference."""

    kind: str = ""
    who: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    reference: str = ""


def search_filters(model: type[models.Model], search: Search) -> models.Q:
    """The filter of ``model``'s history rows for ``search``."""
    q = models.Q()
    if search.who:
        q &= (
            models.Q(history_user__username__icontains=search.who)
            | models.Q(history_user__first_name__icontains=search.who)
            | models.Q(history_user__last_name__icontains=search.who)
            | models.Q(history_actor__icontains=search.who)
        )
    if search.since:
        q &= models.Q(history_date__date__gte=search.since)
    if search.until:
        q &= models.Q(history_date__date__lte=search.until)
    if search.reference:
        found = models.Q()
        for lookup in REFERENCE_LOOKUPS.get(model._meta.label_lower, ()):
            found |= models.Q(**{f"{lookup}__icontains": search.reference})
        if search.reference.isdigit():
            found |= models.Q(id=int(search.reference))
        q &= found
    return q


def search_history(search: Search, *, limit: int, offset: int = 0) -> list[HistoryEntry]:
    """Entries ``offset`` to ``offset + limit`` of every audited history (or the one of
    ``search.kind``) matching ``search``, newest first: two queries per history table."""
    models_ = [m for m in audited_models() if not search.kind or m._meta.label_lower == search.kind]
    merged: list[HistoryEntry] = []
    for model in models_:
        q = search_filters(model, search)
        rows = records(model, filters=None, limit=offset + limit, where=q)
        merged.extend(entries(model, rows))
    merged.sort(key=lambda e: e.at, reverse=True)
    return merged[offset : offset + limit]
