"""Anonymising one expert everywhere (docs/privacy.md, "Erasure").

Three passes, in one transaction (the caller's):

1. **Known places.** The expert record, their login, invitations, notifications, and the
   free text about them (reasons of unavailable periods, exclusions, declines, ratings'
   comments, the notes of their assignments' histories, the reasons of their erasure
   requests) are rewritten or cleared field by
   field; the same fields of the field-history tables (django-simple-history, any model named
   ``Historical…`` whose ``instance_type`` is one of those models) get the same values.
2. **Sessions.** The person's sessions are deleted: the login stops working at once.
3. **Everything else.** Every text, character and JSON column of every model (history tables,
   message parameters, admin log, lockout records of other apps included) is searched for the
   person's full names (both orders) and e-mail addresses, as they are now and as history
   remembers them; each occurrence (a whole word, case-insensitive) becomes the pseudonym.

Missions, assignments, budgets, reports and ratings are kept, linked to the anonymised
record: results and aggregates do not change. The pass is idempotent, so that
``services.reapply_erasures`` can run it again after an older backup is restored.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from renfort.accounts.models import DigestSent, Invitation, Notification, User
from renfort.missions.models import Assignment, AssignmentStatusChange, SlotExclusion
from renfort.privacy.models import ErasureRequest
from renfort.results.models import ExpertRating
from renfort.roster.models import Expert, Unavailability

ERASED_FIRST_NAME = "Erased expert"


def pseudonym(expert_id: int) -> str:
    """What an erased expert is called everywhere: "Erased expert #12"."""
    return f"{ERASED_FIRST_NAME} #{expert_id}"


def is_erased(expert: Expert) -> bool:
    return expert.first_name == ERASED_FIRST_NAME and expert.last_name == f"#{expert.pk}"


@dataclass(frozen=True)
class _Target:
    """Rows of ``model`` about the person (``live``), the rows of its history table about
    them (``history``: a filter on the columns history tables copy, or None when the live
    filter needs a join) and the values they get."""

    model: type[models.Model]
    live: Q
    history: Q | None
    values: dict[str, Any]


@dataclass
class ErasureReport:
    """What one erasure changed, by table (for the command's output and the tests)."""

    expert_id: int
    changed: Counter[str] = field(default_factory=Counter)

    def add(self, label: str, n: int) -> None:
        if n:
            self.changed[label] += n


def _targets(expert: Expert, user: User | None, emails: Sequence[str]) -> list[_Target]:
    pk = expert.pk
    invitations = Q(expert_id=pk)
    if user is not None:
        invitations |= Q(user_id=user.pk)
    for email in emails:
        invitations |= Q(email__iexact=email)
    targets = [
        _Target(
            Expert,
            Q(pk=pk),
            Q(id=pk),
            {"first_name": ERASED_FIRST_NAME, "last_name": f"#{pk}", "email": "", "active": False},
        ),
        _Target(
            Invitation,
            invitations,
            Q(expert_id=pk) | Q(user_id=user.pk) if user is not None else Q(expert_id=pk),
            {
                "first_name": ERASED_FIRST_NAME,
                "last_name": f"#{pk}",
                "email": f"erased-{pk}@erased.invalid",
            },
        ),
        _Target(Unavailability, Q(expert_id=pk), Q(expert_id=pk), {"reason": ""}),
        _Target(SlotExclusion, Q(expert_id=pk), Q(expert_id=pk), {"reason": ""}),
        _Target(Assignment, Q(expert_id=pk), Q(expert_id=pk), {"decline_reason": ""}),
        _Target(ExpertRating, Q(expert_id=pk), Q(expert_id=pk), {"comment": ""}),
        _Target(AssignmentStatusChange, Q(assignment__expert_id=pk), None, {"note": ""}),
        # The asker's words may name the person; the request itself keeps only the expert's id.
        _Target(ErasureRequest, Q(expert_id=pk), None, {"reason": "", "refusal_reason": ""}),
    ]
    if user is not None:
        targets.append(
            _Target(
                User,
                Q(pk=user.pk),
                Q(id=user.pk),
                {
                    "username": f"erased-{user.pk}",
                    "first_name": "",
                    "last_name": "",
                    "email": "",
                    "is_active": False,
                    "is_staff": False,
                    "is_superuser": False,
                    "password": make_password(None),
                    "last_login": None,
                },
            )
        )
    return targets


def history_models() -> list[type[models.Model]]:
    """The field-history tables (django-simple-history names them ``Historical<Model>``),
    found in the app registry so that this works whichever models have a history."""
    return [
        m
        for m in apps.get_models()
        if m.__name__.startswith("Historical") and getattr(m, "instance_type", None) is not None
    ]


def _field_names(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields} | {
        f.attname for f in model._meta.concrete_fields
    }


def _needles(expert: Expert, user: User | None) -> tuple[list[str], list[str]]:
    """The person's full names and e-mail addresses, as they are and as the history tables
    and invitations remember them; and their usernames (replaced where a column holds
    exactly one, such as a lockout record's ``username``)."""
    people: list[dict[str, Any]] = [
        {"first_name": expert.first_name, "last_name": expert.last_name, "email": expert.email}
    ]
    usernames: list[str] = []
    if user is not None:
        people.append(
            {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
        )
        usernames.append(user.username)
    invited = Invitation.objects.filter(
        Q(expert_id=expert.pk) | Q(user_id=getattr(user, "pk", None))
    ).values("first_name", "last_name", "email")
    people += [dict(row) for row in invited]
    for hm in history_models():
        kind = hm.instance_type  # type: ignore[attr-defined]
        wanted = {"first_name", "last_name", "email", "username"}
        names = _field_names(hm)
        if kind is Expert:
            rows = hm._default_manager.filter(id=expert.pk)
        elif kind is User and user is not None:
            rows = hm._default_manager.filter(id=user.pk)
        else:
            continue
        for row in rows.values(*sorted(wanted & names)):
            people.append(row)
            if row.get("username"):
                usernames.append(row["username"])
    needles: set[str] = set()
    for person in people:
        first = (person.get("first_name") or "").strip()
        last = (person.get("last_name") or "").strip()
        if first and last:
            needles |= {f"{first} {last}", f"{last} {first}", f"{last}, {first}"}
        email = (person.get("email") or "").strip()
        if "@" in email:
            needles.add(email)
    for username in usernames:
        if "@" in username:  # an address used as the login name: searched like one
            needles.add(username)
    erased = pseudonym(expert.pk)
    needles = {n for n in needles if n.lower() != erased.lower() and "@erased.invalid" not in n}
    return sorted(needles, key=len, reverse=True), sorted(set(usernames) - {""})


def _apply_targets(targets: Iterable[_Target], report: ErasureReport) -> None:
    by_model = {t.model: t for t in targets}
    for target in targets:
        report.add(
            target.model._meta.label,
            target.model._base_manager.filter(target.live).update(**target.values),
        )
    for hm in history_models():
        mirrored = by_model.get(hm.instance_type)  # type: ignore[attr-defined]
        if mirrored is None or mirrored.history is None:
            continue
        names = _field_names(hm)
        values = {k: v for k, v in mirrored.values.items() if k in names}
        if values:
            rows = hm._default_manager.filter(mirrored.history)
            report.add(hm._meta.label, rows.update(**values))


def _revoke_open_invitations(expert: Expert, user: User | None, report: ErasureReport) -> None:
    open_ = Invitation.objects.open().filter(expert_id=expert.pk)
    if user is not None:
        open_ = open_ | Invitation.objects.open().filter(user_id=user.pk)
    report.add("accounts.Invitation", open_.update(revoked_at=timezone.now()))


def _delete_sessions(user: User, report: ErasureReport) -> None:
    if not apps.is_installed("django.contrib.sessions"):
        return
    from django.contrib.sessions.models import Session

    doomed = []
    for session in Session.objects.iterator():
        try:
            data = session.get_decoded()
        except Exception:  # an unreadable session is nobody's
            continue
        if str(data.get("_auth_user_id", "")) == str(user.pk):
            doomed.append(session.pk)
    if doomed:
        report.add("sessions.Session", Session.objects.filter(pk__in=doomed).delete()[0])


# --- the sweep ------------------------------------------------------------------------------


def _pattern(needles: Sequence[str]) -> re.Pattern[str]:
    """Each needle as a whole word: "Ana Lima" is not found inside "Mariana Limas"."""
    alternatives = "|".join(re.escape(n) for n in needles)
    return re.compile(rf"(?<![\w@.+-])(?:{alternatives})(?![\w@-])", re.IGNORECASE)


def _json_forms(needle: str) -> set[str]:
    """A needle as it may sit in a JSON column's text (SQLite keeps ``\\u00e9`` escapes)."""
    return {needle, json.dumps(needle)[1:-1]}


def _rewrite(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_rewrite(v, change) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, change) for k, v in value.items()}
    return value


def _searchable(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    if model._meta.proxy or not model._meta.managed:
        return []
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.JSONField)
        or (isinstance(f, (models.CharField, models.TextField)) and not f.choices)
    ]


def sweep(
    needles: Sequence[str], usernames: Sequence[str], replacement: str, report: ErasureReport
) -> None:
    """Replace every occurrence of ``needles`` in every text and JSON column of every model,
    and every ``username`` column holding exactly one of ``usernames``."""
    pattern = _pattern(needles) if needles else None

    def change(text: str) -> str:
        return pattern.sub(replacement, text) if pattern is not None else text

    for model in apps.get_models():
        manager = model._base_manager
        for f in _searchable(model):
            if f.name == "username" and usernames:
                exact = Q()
                for username in usernames:
                    exact |= Q(username__iexact=username)
                report.add(model._meta.label, manager.filter(exact).update(username=replacement))
            if pattern is None:
                continue
            if isinstance(f, models.JSONField):
                found = Q()
                for needle in needles:
                    for form in _json_forms(needle):
                        found |= Q(_as_text__icontains=form)
                rows = manager.annotate(_as_text=Cast(f.name, models.TextField())).filter(found)
            else:
                found = Q()
                for needle in needles:
                    found |= Q(**{f"{f.attname}__icontains": needle})
                rows = manager.filter(found)
            for pk, value in rows.values_list("pk", f.attname):
                new = _rewrite(value, change)
                if isinstance(new, str) and f.max_length:
                    new = new[: f.max_length]
                if new != value:
                    manager.filter(pk=pk).update(**{f.attname: new})
                    report.add(model._meta.label, 1)


def expert_anonymise(expert_id: int) -> ErasureReport:
    """Anonymise expert ``expert_id`` everywhere (call inside a transaction that holds the
    expert's lock). Running it again on an erased expert changes nothing new."""
    report = ErasureReport(expert_id)
    expert = Expert.objects.select_related("user").get(pk=expert_id)
    user = expert.user
    needles, usernames = _needles(expert, user)
    emails = [n for n in needles if "@" in n]
    targets = _targets(expert, user, emails)
    _revoke_open_invitations(expert, user, report)
    _apply_targets(targets, report)
    if user is not None:
        report.add("accounts.Notification", Notification.objects.filter(recipient=user).delete()[0])
        report.add("accounts.DigestSent", DigestSent.objects.filter(recipient=user).delete()[0])
        _delete_sessions(user, report)
    sweep(needles, usernames, pseudonym(expert_id), report)
    return report
