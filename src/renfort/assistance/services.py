"""Writes about requests for assistance: submission, appraisal and the status history."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, OrganisationKind, Role, User
from renfort.accounts.references import next_reference
from renfort.accounts.services import notification_send
from renfort.assistance.models import (
    REQUEST_TRANSITIONS,
    Level,
    Request,
    RequestStatus,
    RequestStatusChange,
)
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.lib.links import link_to
from renfort.lib.messages import check, nested
from renfort.lib.states import transition_error
from renfort.roster.models import Topic

LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


def _status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in RequestStatus.choices}


def _day(day: datetime.date) -> str:
    """A day as people read it (``11 Mar 2027``), in the active language."""
    return formats.date_format(day, "DATE_FORMAT")


def _period_errors(
    start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, str]:
    """A preferred period lies in the dates Renfort accepts, from today, in order."""
    errors = out_of_range(
        preferred_start=(_("Preferred period from"), start),
        preferred_end=(_("Preferred period to"), end),
    )
    if errors:
        return errors
    if start < today:
        errors["preferred_start"] = _(
            "Preferred period from: %(start)s is in the past; the period starts today "
            "(%(today)s) at the earliest."
        ) % {"start": _day(start), "today": _day(today)}
    if end < start:
        errors["preferred_end"] = _(
            "Preferred period: the end (%(end)s) is before the start (%(start)s)."
        ) % {"end": _day(end), "start": _day(start)}
    return errors


def request_content_errors(
    *,
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
    today: datetime.date,
) -> dict[str, str]:
    """What is wrong with a request's content (submitted or changed), keyed by argument."""
    errors: dict[str, str] = {}
    if by.role != Role.MEMBER_FOCAL_POINT or by.organisation_id not in {
        a.pk for a in administrations
    }:
        errors["administrations"] = _(
            "Requesting administrations: only a member focal point of one of the requesting "
            "administrations can submit this request."
        )
    elif any(a.kind != OrganisationKind.MEMBER_ADMINISTRATION for a in administrations):
        names = ", ".join(a.name for a in administrations if not a.is_member)
        errors["administrations"] = _(
            "Requesting administrations: %(names)s is not a member administration."
        ) % {"names": names}
    if not title.strip():
        errors["title"] = _("Title: give the request a title.")
    if not topics:
        errors["topics"] = _("Topics: choose at least one topic.")
    if level not in Level.values:
        errors["level"] = _("Level: %(level)s is not strategic, tactical or operational.") % {
            "level": level
        }
    if not needs.strip():
        errors["needs"] = _("Needs: describe what your administration needs.")
    errors.update(_period_errors(preferred_start, preferred_end, today))
    if not LANGUAGE_CODE.match(language or ""):
        errors["language"] = _("Language: %(language)s is not an ISO 639-1 code such as fr.") % {
            "language": language
        }
    if not 1 <= priority <= 5:
        errors["priority"] = _("Priority: %(priority)s is not between 1 and 5.") % {
            "priority": priority
        }
    for key, message in length_errors(Request, title=title.strip(), needs=needs.strip()).items():
        errors.setdefault(key, message)
    return errors


@transaction.atomic
def request_submit(
    *,
    by: User,
    title: str,
    administrations: Sequence[Organisation],
    topics: Sequence[Topic],
    level: str,
    needs: str,
    preferred_start: datetime.date,
    preferred_end: datetime.date,
    language: str,
    priority: int = 3,
    today: datetime.date | None = None,
) -> Request:
    """A member focal point asks for help for their administration (with others: regional).

    ``by`` must be a member focal point of one of ``administrations``. The preferred period
    lies in the dates Renfort accepts and starts no earlier than ``today`` (the day of
    submission: the local date unless a replay of past work, such as the demo, says which).
    Records the first step of the history (submitted).
    """
    today = today or timezone.localdate()
    administrations = list(dict.fromkeys(administrations))
    topics = list(dict.fromkeys(topics))
    errors = request_content_errors(
        by=by,
        title=title,
        administrations=administrations,
        topics=topics,
        level=level,
        needs=needs,
        preferred_start=preferred_start,
        preferred_end=preferred_end,
        language=language,
        priority=priority,
        today=today,
    )
    if errors:
        raise ValidationError(errors)

    request = Request.objects.create(
        reference=next_reference(Request, "R"),
        title=title.strip(),
        focal_point=by,
        level=level,
        needs=needs.strip(),
        preferred_start=preferred_start,
        preferred_end=preferred_end,
        language=language,
        priority=priority,
        status=RequestStatus.SUBMITTED,
    )
    request.administrations.set(administrations)
    request.topics.set(topics)
    RequestStatusChange.objects.create(
        request=request, from_status="", to_status=RequestStatus.SUBMITTED, by=by
    )
    return request


@transaction.atomic
def request_transition(
    *,
    request: Request,
    to_status: str,
    by: User | None = None,
    note: str = "",
    note_code: str = "",
    note_params: Mapping[str, Any] | None = None,
) -> Request:
    """Move ``request`` to ``to_status`` if the transition is allowed.

    Writes a history row and tells the request's focal point and the member focal points of
    the requesting administrations. Declining needs a reason (``note``). ``note`` is a
    person's own words; what the application says about the change goes in ``note_code``
    and ``note_params`` (``lib.messages``), rendered in each reader's language.
    """
    note_params = dict(note_params or {})
    if note_code:
        check(note_code, note_params)
    request = Request.objects.select_for_update().get(pk=request.pk)
    error = transition_error(
        _("Request %(reference)s") % {"reference": request.reference},
        request.status,
        to_status,
        REQUEST_TRANSITIONS,
        _status_labels(),
    )
    if error:
        raise ValidationError(error)
    if to_status == RequestStatus.DECLINED:
        # Declining keeps the note as the reason (same limit as a history note).
        if not note.strip():
            raise ValidationError(
                {
                    "reason": _("Reason: say why request %(ref)s is declined.")
                    % {"ref": request.reference}
                }
            )
        if too_long := length_errors(Request, decline_reason=note.strip()):
            raise ValidationError({"reason": too_long["decline_reason"]})
    elif too_long := length_errors(RequestStatusChange, note=note.strip()):
        raise ValidationError(too_long)
    from_status = request.status
    request.status = to_status
    fields = ["status"]
    if to_status == RequestStatus.DECLINED:
        request.decline_reason = note.strip()
        fields.append("decline_reason")
    request.save(update_fields=fields)
    change = RequestStatusChange.objects.create(
        request=request,
        from_status=from_status,
        to_status=to_status,
        by=by,
        note=note.strip(),
        note_code=note_code,
        note_params=note_params,
    )
    _notify_status(request, change)
    return request


def _notify_status(request: Request, change: RequestStatusChange) -> None:
    params: dict[str, Any] = {
        "reference": request.reference,
        "title": request.title,
        "status": request.status,
    }
    if change.note_code:
        params["because"] = nested(change.note_code, change.note_params)
    if change.note:
        params["note"] = change.note
    notification_send(
        recipients=[request.focal_point, *request_focal_points(request)],
        code="request.status_changed",
        params=params,
        link=link_to("assistance:request_detail", request.pk, fallback=f"/requests/{request.pk}/"),
    )


def request_focal_points(request: Request) -> list[User]:
    """The member focal points of the request's administrations."""
    return list(
        User.objects.filter(
            role=Role.MEMBER_FOCAL_POINT,
            is_active=True,
            organisation__in=request.administrations.all(),
        )
    )


def request_decline(*, request: Request, by: User, reason: str) -> Request:
    """Decline ``request`` with a reason (required), shown to the member."""
    return request_transition(request=request, to_status=RequestStatus.DECLINED, by=by, note=reason)
