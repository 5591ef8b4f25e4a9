"""``renfort retention``: counts by default, deletes with --apply, keeps what is recent."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from renfort.accounts.models import Invitation, Notification, Role
from renfort.accounts.services import notification_send
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.privacy.erasure import history_models
from renfort.privacy.retention import retention_counts
from renfort.testing import Personas

DAY = datetime.timedelta(days=1)


def _world(p: Personas) -> dict[str, Any]:
    now = timezone.now()
    sent = notification_send(
        recipients=[p.member, p.lender],
        code="privacy.erasure_asked",
        params={"number": "1"},
    )
    Notification.objects.filter(pk=sent[0].pk).update(created_at=now - 400 * DAY)
    old_run = PlannerRun.objects.create(
        created_by=p.secretariat, status=PlannerRunStatus.DONE, problem={"experts": [1]}
    )
    PlannerRun.objects.filter(pk=old_run.pk).update(finished_at=now - 200 * DAY)
    new_run = PlannerRun.objects.create(
        created_by=p.secretariat,
        status=PlannerRunStatus.DONE,
        problem={"experts": [2]},
        finished_at=now - DAY,
    )
    base = {
        "invited_by": p.lender,
        "organisation": p.admin_b,
        "role": Role.EXPERT,
        "first_name": "Invited",
        "last_name": "Person",
        "created_at": now - 200 * DAY,
    }
    used = Invitation.objects.create(
        **base,
        email="used@example.org",
        token_hash="u" * 64,
        expires_at=now - 190 * DAY,
        used_at=now - 199 * DAY,
    )
    pending = Invitation.objects.create(
        **{**base, "created_at": now - DAY},
        email="new@example.org",
        token_hash="p" * 64,
        expires_at=now + 6 * DAY,
    )
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=now - DAY)
    live = SessionStore()
    live.create()
    return {
        "old_run": old_run,
        "new_run": new_run,
        "used": used,
        "pending": pending,
        "expired_session": store.session_key,
        "live_session": live.session_key,
    }


def test_a_dry_run_counts_and_deletes_nothing(personas: Personas) -> None:
    _world(personas)
    out = io.StringIO()
    notifications = Notification.objects.count()
    call_command("retention", stdout=out)
    counts = retention_counts()
    assert (counts["notifications"], counts["planner_inputs"], counts["invitations"]) == (1, 1, 1)
    assert counts["sessions"] == 1
    assert Notification.objects.count() == notifications
    assert "dry run" in out.getvalue()
    assert "RETENTION_NOTIFICATION_DAYS: 365 days" in out.getvalue()


def test_apply_removes_only_what_is_past_its_period(personas: Personas) -> None:
    world = _world(personas)
    notifications = Notification.objects.count()
    out = io.StringIO()
    call_command("retention", "--apply", stdout=out)
    assert Notification.objects.count() == notifications - 1
    world["old_run"].refresh_from_db()
    world["new_run"].refresh_from_db()
    assert (world["old_run"].problem, world["new_run"].problem) == ({}, {"experts": [2]})
    assert not Invitation.objects.filter(pk=world["used"].pk).exists()
    assert Invitation.objects.filter(pk=world["pending"].pk).exists()
    assert not Session.objects.filter(pk=world["expired_session"]).exists()
    assert Session.objects.filter(pk=world["live_session"]).exists()
    assert retention_counts() == dict.fromkeys(retention_counts(), 0)


def test_history_rows_age_out_and_zero_keeps_them(personas: Personas, settings: Any) -> None:
    histories = history_models()
    if not histories:  # before the field history exists there is nothing to age out
        return
    expert = personas.expert
    expert.email = "changed@example.org"
    expert.save()
    rows = [hm for hm in histories if hm._default_manager.exists()]
    assert rows
    for hm in rows:
        hm._default_manager.update(history_date=timezone.now() - 4000 * DAY)
    settings.RETENTION_HISTORY_DAYS = 0
    assert retention_counts()["history"] == 0
    settings.RETENTION_HISTORY_DAYS = 3650
    assert retention_counts()["history"] > 0
    call_command("retention", "--apply", stdout=io.StringIO())
    assert not any(hm._default_manager.exists() for hm in rows)


def test_the_finished_run_statuses_are_the_planners() -> None:
    from renfort.privacy.retention import FINISHED_RUN_STATUSES

    assert set(FINISHED_RUN_STATUSES) == {PlannerRunStatus.DONE, PlannerRunStatus.FAILED}
