"""Writes of the privacy app: asking for an erasure, deciding it, re-applying erasures after a
restore (docs/privacy.md)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Role, User
from renfort.accounts.services import notification_send
from renfort.lib.limits import SHORT_TEXT
from renfort.missions.locking import lock_experts
from renfort.privacy.erasure import ErasureReport, expert_anonymise, is_erased
from renfort.privacy.models import ErasureRequest, ErasureStatus
from renfort.privacy.selectors import may_see_personal_data
from renfort.roster.models import Expert

logger = logging.getLogger(__name__)


def _reason_problem(reason: str, *, required: bool) -> str | None:
    if required and not reason.strip():
        return _("Reason: required. Say why, in a sentence.")
    if len(reason) > SHORT_TEXT:
        return _("Reason: at most %(max)d characters.") % {"max": SHORT_TEXT}
    return None


def _secretariat() -> list[User]:
    return list(User.objects.filter(role=Role.SECRETARIAT_COORDINATOR, is_active=True))


@transaction.atomic
def erasure_ask(*, expert: Expert, by: User, reason: str) -> ErasureRequest:
    """Ask the secretariat to erase ``expert``'s personal data. Asked by the expert, a focal
    point of their home administration, or the secretariat recording a request it received;
    one open request per expert."""
    locked = lock_experts([expert.pk]).get(expert.pk)
    if locked is None or not may_see_personal_data(by, locked):
        raise ValidationError(_("You cannot ask for the erasure of this expert's data."))
    problem = _reason_problem(reason, required=True)
    if problem:
        raise ValidationError({"reason": problem})
    if is_erased(locked):
        raise ValidationError(_("This expert's personal data is erased already."))
    if locked.erasure_requests.filter(status=ErasureStatus.ASKED).exists():
        raise ValidationError(_("An erasure is asked already; the secretariat will decide."))
    erasure = ErasureRequest.objects.create(expert=locked, asked_by=by, reason=reason.strip())
    notification_send(
        recipients=_secretariat(),
        code="privacy.erasure_asked",
        params={"number": str(erasure.pk)},
        link=reverse("privacy:erasure_queue"),
    )
    return erasure


def _lock_open(erasure_id: int, by: User) -> ErasureRequest:
    """Lock the expert, then the request (the order of ``missions/locking.py``), and check it
    still waits for a decision: of two simultaneous decisions, the second is refused."""
    if by.role != Role.SECRETARIAT_COORDINATOR or not by.is_active:
        raise ValidationError(_("Only the secretariat decides on erasures."))
    expert_id = ErasureRequest.objects.filter(pk=erasure_id).values_list("expert_id", flat=True)
    lock_experts(list(expert_id))
    erasure = ErasureRequest.objects.select_for_update().filter(pk=erasure_id).first()
    if erasure is None:
        raise ValidationError(_("This erasure request does not exist."))
    if erasure.status != ErasureStatus.ASKED:
        raise ValidationError(
            _("This erasure request is decided already: %(status)s.")
            % {"status": erasure.get_status_display()}
        )
    return erasure


def erasure_decide(
    *, erasure: ErasureRequest, status: ErasureStatus, by: User, reason: str = ""
) -> None:
    """Write the decision on a request locked by ``_lock_open`` (the one place its status
    changes; ``erasure_approve`` and ``erasure_refuse`` do the rest)."""
    erasure.status = status
    erasure.decided_by = by
    erasure.decided_at = timezone.now()
    erasure.refusal_reason = reason
    erasure.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])


def _ledger() -> Path:
    return Path(settings.PRIVACY_ERASURE_LEDGER)


def _ledger_add(expert_id: int) -> None:
    """Append the expert's id to the ledger kept outside the database, which an older backup
    cannot bring back (``reapply_erasures``)."""
    path = _ledger()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as ledger:
            ledger.write(f"{expert_id}\t{timezone.now().isoformat()}\n")
    except OSError:
        logger.exception("Could not write the erasure ledger %s", path)


def erased_expert_ids() -> list[int]:
    """Every erased expert: the approved requests in the database and the ledger's lines."""
    ids = set(
        ErasureRequest.objects.filter(status=ErasureStatus.APPROVED).values_list(
            "expert_id", flat=True
        )
    )
    path = _ledger()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            first = line.split("\t", 1)[0].strip()
            if first.isdigit():
                ids.add(int(first))
    return sorted(ids)


@transaction.atomic
def erasure_approve(*, erasure_id: int, by: User) -> ErasureReport:
    """Approve an erasure request: the expert is anonymised everywhere (``erasure``), their
    missions, assignments, budgets and results kept."""
    erasure = _lock_open(erasure_id, by)
    report = expert_anonymise(erasure.expert_id)
    erasure_decide(erasure=erasure, status=ErasureStatus.APPROVED, by=by)
    # Read afresh: when the expert asked themself, their login is deactivated by now.
    asker = User.objects.filter(pk=erasure.asked_by_id or 0, is_active=True).first()
    notification_send(
        recipients=[asker],
        code="privacy.erasure_approved",
        params={"number": str(erasure.pk)},
    )
    transaction.on_commit(lambda: _ledger_add(erasure.expert_id))
    return report


@transaction.atomic
def erasure_refuse(*, erasure_id: int, by: User, reason: str) -> ErasureRequest:
    """Refuse an erasure request, saying why (the asker reads the reason)."""
    problem = _reason_problem(reason, required=True)
    if problem:
        raise ValidationError({"reason": problem})
    erasure = _lock_open(erasure_id, by)
    erasure_decide(erasure=erasure, status=ErasureStatus.REFUSED, by=by, reason=reason.strip())
    notification_send(
        recipients=[erasure.asked_by],
        code="privacy.erasure_refused",
        params={"number": str(erasure.pk), "note": erasure.refusal_reason},
    )
    return erasure


def reapply_erasures(*, expert_ids: Iterable[int] | None = None) -> list[ErasureReport]:
    """Anonymise again every erased expert (default: ``erased_expert_ids()``) still in the
    database, each in its own transaction: what ``renfort retention --reapply-erasures`` and
    a restore of an older backup run. Harmless on experts already anonymised."""
    reports = []
    wanted = sorted(set(expert_ids)) if expert_ids is not None else erased_expert_ids()
    for expert_id in wanted:
        with transaction.atomic():
            if not lock_experts([expert_id]):
                continue
            reports.append(expert_anonymise(expert_id))
    return reports
