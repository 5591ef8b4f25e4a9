"""How long Renfort keeps what it does not need for ever (docs/privacy.md, "Retention").

Each rule names its setting (days; 0 keeps the records until deleted by hand), says what it
removes and counts it; ``retention_apply`` removes it. Kept whatever the settings: experts,
missions, assignments, status histories, budgets and results, which the programme reports on
(an expert's personal data leaves by erasure, not by age).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from renfort.accounts.models import DigestSent, Invitation, Notification
from renfort.privacy.erasure import history_models

# ``planning.models.PlannerRunStatus`` DONE and FAILED (test_retention checks they agree).
FINISHED_RUN_STATUSES = ("done", "failed")


@dataclass(frozen=True)
class Rule:
    """One retention rule: ``select(cutoff)`` finds what is past its period, ``apply``
    removes it and returns how many rows changed."""

    name: str
    setting: str
    what: str
    select: Callable[[datetime.datetime], list[QuerySet[models.Model]]]
    clear: dict[str, object] | None = None  # None: delete the rows; else: update them so
    # Sessions are past their period once expired: 0 days after expiry deletes them at once.
    zero_keeps: bool = True

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting))

    def cutoff(self, now: datetime.datetime) -> datetime.datetime | None:
        if self.days <= 0 and self.zero_keeps:
            return None
        return now - datetime.timedelta(days=max(self.days, 0))

    def count(self, now: datetime.datetime) -> int:
        cutoff = self.cutoff(now)
        return 0 if cutoff is None else sum(qs.count() for qs in self.select(cutoff))

    def apply(self, now: datetime.datetime) -> int:
        cutoff = self.cutoff(now)
        if cutoff is None:
            return 0
        done = 0
        for qs in self.select(cutoff):
            if self.clear is None:
                done += sum(
                    n for label, n in qs.delete()[1].items() if label == qs.model._meta.label
                )
            else:
                done += qs.update(**self.clear)
        return done


def _notifications(cutoff: datetime.datetime) -> list[QuerySet[models.Model]]:
    return [
        Notification.objects.filter(created_at__lt=cutoff),
        DigestSent.objects.filter(sent_at__lt=cutoff),
    ]


def _planner_inputs(cutoff: datetime.datetime) -> list[QuerySet[models.Model]]:
    # Looked up by name: planning sits beside privacy in the layers (pyproject.toml).
    planner_run = apps.get_model("planning", "PlannerRun")
    return [
        planner_run._default_manager.filter(
            status__in=FINISHED_RUN_STATUSES, finished_at__lt=cutoff
        ).exclude(problem={})
    ]


def _planner_runs(cutoff: datetime.datetime) -> list[QuerySet[models.Model]]:
    # The rule is planning's (``PlannerRun.objects.prunable``, docs/planner-web.md).
    planner_run = apps.get_model("planning", "PlannerRun")
    return [planner_run._default_manager.prunable(cutoff)]


def _invitations(cutoff: datetime.datetime) -> list[QuerySet[models.Model]]:
    return [
        Invitation.objects.filter(
            Q(used_at__lt=cutoff)
            | Q(revoked_at__lt=cutoff)
            | Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__lt=cutoff)
        )
    ]


def _lockouts(cutoff: datetime.datetime) -> list[QuerySet[models.Model]]:
    """Failed sign-in records of whichever lockout app is installed (django-axes keeps
    ``attempt_time`` on each of its tables)."""
    found: list[QuerySet[models.Model]] = []
    for model in apps.get_models():
        if model._meta.app_label == "axes" and any(
            f.name == "attempt_time" for f in model._meta.concrete_fields
        ):
            found.append(model._default_manager.filter(attempt_time__lt=cutoff))
    return found


def _sessions(cutoff: datetime.datetime) -> list[QuerySet[models.Model]]:
    if not apps.is_installed("django.contrib.sessions"):
        return []
    from django.contrib.sessions.models import Session

    return [Session.objects.filter(expire_date__lt=cutoff)]


def _history(cutoff: datetime.datetime) -> list[QuerySet[models.Model]]:
    return [hm._default_manager.filter(history_date__lt=cutoff) for hm in history_models()]


RULES = [
    Rule(
        "notifications",
        "RETENTION_NOTIFICATION_DAYS",
        "inbox notifications, digests sent",
        _notifications,
    ),
    Rule(
        "planner_inputs",
        "RETENTION_PLANNER_INPUT_DAYS",
        "stored problems of finished planner runs",
        _planner_inputs,
        clear={"problem": {}},
    ),
    Rule(
        "planner_runs",
        "PLANNER_RUN_RETENTION_DAYS",
        "finished planner runs and their plans, but the newest (PLANNER_RUNS_KEPT)",
        _planner_runs,
    ),
    Rule(
        "invitations",
        "RETENTION_INVITATION_DAYS",
        "used, revoked or expired invitations",
        _invitations,
    ),
    Rule("lockouts", "RETENTION_LOCKOUT_DAYS", "failed sign-in records", _lockouts),
    Rule(
        "sessions",
        "RETENTION_SESSION_DAYS",
        "sessions, counted from their expiry",
        _sessions,
        zero_keeps=False,
    ),
    Rule("history", "RETENTION_HISTORY_DAYS", "field-history rows", _history),
]


def retention_counts(now: datetime.datetime | None = None) -> dict[str, int]:
    """What each rule would remove now (nothing is written)."""
    now = now or timezone.now()
    return {rule.name: rule.count(now) for rule in RULES}


@transaction.atomic
def retention_apply(now: datetime.datetime | None = None) -> dict[str, int]:
    """Remove what is past its period; how many rows each rule removed (or cleared)."""
    now = now or timezone.now()
    return {rule.name: rule.apply(now) for rule in RULES}
