"""The requesting administration changes or withdraws its request while the secretariat has
not decided on it yet (submitted or under appraisal: docs/rules.md, "Requests")."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, Role, User
from renfort.accounts.services import notification_send
from renfort.assistance.consultation_services import region_coordinators
from renfort.assistance.models import (
    Consultation,
    Request,
    RequestStatus,
    RequestStatusChange,
)
from renfort.assistance.services import (
    request_content_errors,
    request_focal_points,
    request_transition,
)
from renfort.lib.limits import length_errors
from renfort.lib.links import link_to
from renfort.roster.models import Topic

# The request's fields a change may touch, in the order the history lists them.
CHANGEABLE_FIELDS = (
    "title",
    "administrations",
    "topics",
    "level",
    "needs",
    "preferred_period",
    "language",
    "priority",
)


def _locked(request: Request) -> Request:
    """The request's row, locked and read afresh (docs/rules.md, "Concurrency": a change races
    with the secretariat's accept or decline, which lock the same row)."""
    return Request.objects.select_for_update().select_related("focal_point").get(pk=request.pk)


def _refusal(request: Request, by: User, doing: str) -> str | None:
    """Why ``by`` may not change or withdraw ``request`` now (None: they may)."""
    names = {"reference": request.reference}
    if not request.owned_by(by):
        return (
            _(
                "Request %(reference)s: only the member focal points of the administration that "
                "submitted it can change or withdraw it."
            )
            % names
        )
    if not request.is_changeable:
        status = RequestStatus(request.status).label
        if doing == "withdraw":
            return _(
                "Request %(reference)s is %(status)s: it can no longer be withdrawn. Write to "
                "the secretariat if the need has gone."
            ) % {**names, "status": status}
        return _(
            "Request %(reference)s is %(status)s: it can no longer be changed. Write to the "
            "secretariat if the need has changed."
        ) % {**names, "status": status}
    return None


def request_change_refusal(*, request: Request, by: User, doing: str = "change") -> str | None:
    """Why ``by`` may not change (``doing="change"``) or withdraw (``"withdraw"``) the request
    as it was read (no lock: for pages that decide which actions to offer)."""
    return _refusal(request, by, doing)


def _secretariat_and_consulted(request: Request) -> list[User]:
    """The secretariat, and the coordinators of regions asked for an opinion not given yet."""
    users = list(User.objects.filter(role=Role.SECRETARIAT_COORDINATOR, is_active=True))
    regions = (
        Consultation.objects.filter(request=request, answer__isnull=True)
        .values_list("region", flat=True)
        .order_by("region")
    )
    for region in regions:
        users += region_coordinators(region)
    return users


def _link(request: Request) -> str:
    return link_to("assistance:request_detail", request.pk, fallback=f"/requests/{request.pk}/")


def _changed_fields(request: Request, content: dict[str, Any]) -> list[str]:
    old = {
        "title": request.title,
        "administrations": {a.pk for a in request.administrations.all()},
        "topics": {t.pk for t in request.topics.all()},
        "level": request.level,
        "needs": request.needs,
        "preferred_period": (request.preferred_start, request.preferred_end),
        "language": request.language,
        "priority": request.priority,
    }
    new = {
        **{name: content[name] for name in ("level", "language", "priority")},
        "title": content["title"].strip(),
        "needs": content["needs"].strip(),
        "administrations": {a.pk for a in content["administrations"]},
        "topics": {t.pk for t in content["topics"]},
        "preferred_period": (content["preferred_start"], content["preferred_end"]),
    }
    return [name for name in CHANGEABLE_FIELDS if old[name] != new[name]]


def _update_errors(
    request: Request, by: User, content: dict[str, Any], today: datetime.date
) -> dict[str, str]:
    """The submission's rules, except that a preferred start left as it was may lie in the
    past (a changed end may not)."""
    start, end = content["preferred_start"], content["preferred_end"]
    floor = min(today, start) if start == request.preferred_start else today
    errors = request_content_errors(by=by, today=floor, **content)
    if end != request.preferred_end and end < today:
        errors.setdefault(
            "preferred_end",
            _("Preferred period to: %(end)s is in the past; choose a day from today.")
            % {"end": formats.date_format(end, "DATE_FORMAT")},
        )
    return errors


def _save(request: Request, content: dict[str, Any]) -> None:
    request.title, request.needs = content["title"].strip(), content["needs"].strip()
    request.level, request.language = content["level"], content["language"]
    request.priority = content["priority"]
    request.preferred_start = content["preferred_start"]
    request.preferred_end = content["preferred_end"]
    request.save(
        update_fields=[
            "title",
            "level",
            "needs",
            "preferred_start",
            "preferred_end",
            "language",
            "priority",
        ]
    )
    request.administrations.set(content["administrations"])
    request.topics.set(content["topics"])


@transaction.atomic
def request_update(
    *,
    request: Request,
    by: User,
    title: str,
    administrations: Sequence[Organisation],
    topics: Sequence[Topic],
    level: str,
    needs: str,
    preferred_start: datetime.date,
    preferred_end: datetime.date,
    language: str,
    priority: int,
    today: datetime.date | None = None,
) -> list[str]:
    """A member focal point of the submitting administration changes the request while it is
    submitted or under appraisal; the same rules as a submission apply, except that a preferred
    start left as it was may lie in the past. Returns the fields that changed (none: nothing is
    written). A change writes a history row (``request.changed``, the fields) and tells the
    secretariat, the coordinators asked for an opinion and the other requesting
    administrations."""
    request = _locked(request)
    if refusal := _refusal(request, by, "change"):
        raise ValidationError(refusal)
    content: dict[str, Any] = {
        "title": title,
        "administrations": list(dict.fromkeys(administrations)),
        "topics": list(dict.fromkeys(topics)),
        "level": level,
        "needs": needs,
        "preferred_start": preferred_start,
        "preferred_end": preferred_end,
        "language": language,
        "priority": priority,
    }
    if errors := _update_errors(request, by, content, today or timezone.localdate()):
        raise ValidationError(errors)
    changed = _changed_fields(request, content)
    if not changed:
        return []
    told = [*_secretariat_and_consulted(request), *request_focal_points(request)]
    _save(request, content)
    RequestStatusChange.objects.create(
        request=request,
        from_status=request.status,
        to_status=request.status,
        by=by,
        note_code="request.changed",
        note_params={"fields": changed},
    )
    told += request_focal_points(request)  # the co-requesters added now are told too
    notification_send(
        recipients=[user for user in told if user.pk != by.pk],
        code="request.changed_by_member",
        params={
            "reference": request.reference,
            "title": request.title,
            "administration": _administration_name(by),
            "fields": changed,
        },
        link=_link(request),
    )
    return changed


def _administration_name(user: User) -> str:
    return user.organisation.name if user.organisation is not None else str(user)


@transaction.atomic
def request_withdraw(*, request: Request, by: User, reason: str = "") -> Request:
    """A member focal point of the submitting administration withdraws the request while it is
    submitted or under appraisal, with an optional reason (kept in the history as their own
    words). The request ends there (withdrawn); the requesting administrations are told as for
    every status change, the secretariat and the coordinators asked for an opinion by a
    ``request.withdrawn`` message."""
    request = _locked(request)
    if refusal := _refusal(request, by, "withdraw"):
        raise ValidationError(refusal)
    reason = reason.strip()
    if too_long := length_errors(RequestStatusChange, note=reason):
        raise ValidationError({"reason": too_long["note"]})
    told = _secretariat_and_consulted(request)
    request = request_transition(
        request=request, to_status=RequestStatus.WITHDRAWN, by=by, note=reason
    )
    params: dict[str, Any] = {
        "reference": request.reference,
        "title": request.title,
        "administration": _administration_name(by),
    }
    if reason:
        params["note"] = reason
    notification_send(recipients=told, code="request.withdrawn", params=params, link=_link(request))
    return request
