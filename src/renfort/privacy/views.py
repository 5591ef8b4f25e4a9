"""Pages of personal data: what Renfort holds about an expert (readable and as JSON), asking
for its erasure, and the secretariat's queue of erasure requests (docs/privacy.md)."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.lib.confirm import confirmation
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.privacy import services
from renfort.privacy.erasure import is_erased
from renfort.privacy.models import ErasureRequest, ErasureStatus
from renfort.privacy.selectors import (
    erasure_queue,
    expert_data,
    expert_for_privacy,
    open_erasure_request,
    own_expert,
    readable_history,
)
from renfort.roster.models import AccreditationStatus, Category, Expert, ReleaseStatus

QUEUE_PAGE_SIZE = 25
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?)?$")
_LABELS: dict[str, Any] = {
    "status": {
        **dict(AssignmentStatus.choices),
        **dict(AccreditationStatus.choices),
        **dict(ErasureStatus.choices),
    },
    "from": dict(AssignmentStatus.choices),
    "to": dict(AssignmentStatus.choices),
    "mission_status": dict(MissionStatus.choices),
    "release_status": dict(ReleaseStatus.choices),
    "category": dict(Category.choices),
}


def _readable(value: Any, key: str = "") -> Any:
    """The export's plain values made for reading: ISO dates back to dates (shown in the
    reader's format), status and category codes to their names."""
    if isinstance(value, dict):
        return {k: _readable(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable(v, key) for v in value]
    if isinstance(value, str):
        if key in _LABELS and value in _LABELS[key]:
            return _LABELS[key][value]
        if _ISO.match(value):
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment.date() if len(value) == 10 else moment
    return value


def _data_page(request: AuthedRequest, expert: Expert) -> HttpResponse:
    data = _readable(expert_data(expert, request.user))
    return render(
        request,
        "privacy/expert_data.html",
        {
            "expert": expert,
            "data": data,
            "entries": readable_history(expert, request.user),
            "categories": [
                str(Category(c).label) for c in data["expert"]["categories"] if c in Category.values
            ],
            "erased": is_erased(expert),
            "open_request": open_erasure_request(expert),
            "own": expert.user_id == request.user.pk,
        },
    )


@role_required(Role.EXPERT)
@require_GET
def my_data(request: AuthedRequest) -> HttpResponse:
    """An expert's own data (404 for a login without an expert record)."""
    return _data_page(request, own_expert(request.user))


_DATA_ROLES = (Role.SECRETARIAT_COORDINATOR, Role.MEMBER_FOCAL_POINT, Role.EXPERT)


@role_required(*_DATA_ROLES)
@require_GET
def expert_data_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """Everything held about an expert, readable and printable: the expert, a focal point of
    their home administration, the secretariat; 404 for anyone else."""
    return _data_page(request, expert_for_privacy(request.user, pk))


@role_required(*_DATA_ROLES)
@require_GET
def expert_data_json(request: AuthedRequest, pk: int) -> HttpResponse:
    """The same as a JSON file to keep or take elsewhere."""
    expert = expert_for_privacy(request.user, pk)
    body = json.dumps(
        expert_data(expert, request.user), ensure_ascii=False, indent=2, sort_keys=True
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="renfort-expert-{expert.pk}.json"'
    return response


@role_required(*_DATA_ROLES)
@require_POST
def erasure_ask(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask for the erasure (asking once more, with a reason the secretariat reads)."""
    expert = expert_for_privacy(request.user, pk)
    page = reverse("privacy:expert_data", args=[expert.pk])
    step = confirmation(
        request,
        title=_("Ask for the erasure of %(name)s's personal data?") % {"name": expert},
        consequence=_(
            "Once the secretariat approves, the name, e-mail, login and notes about this "
            "expert are erased everywhere in Renfort and cannot be brought back; missions and "
            "results stay, under an anonymous name. The login stops working."
        ),
        action=_("Ask for the erasure"),
        cancel_url=page,
        reason="required",
        reason_label=_("Why (the secretariat reads it)"),
    )
    if step.page is not None:
        return step.page
    try:
        services.erasure_ask(expert=expert, by=request.user, reason=step.reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The erasure is asked: the secretariat will decide."))
    return redirect(page)


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_GET
def erasure_queue_page(request: AuthedRequest) -> HttpResponse:
    """The secretariat's erasure requests, waiting ones first."""
    page = Paginator(erasure_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/erasure_queue.html",
        {
            "page": page,
            "waiting": ErasureRequest.objects.filter(status=ErasureStatus.ASKED).count(),
        },
    )


def _erasure(pk: int) -> ErasureRequest:
    return get_object_or_404(ErasureRequest.objects.select_related("expert"), pk=pk)


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_POST
def erasure_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    erasure = _erasure(pk)
    queue = reverse("privacy:erasure_queue")
    step = confirmation(
        request,
        title=_("Erase the personal data of %(name)s?") % {"name": erasure.expert},
        consequence=_(
            "Name, e-mail, login, notifications, notes and history about this expert are "
            "anonymised everywhere, now and for good; missions, assignments, budgets and "
            "results are kept. Backups keep the person until they age out."
        ),
        action=_("Erase the data"),
        cancel_url=queue,
    )
    if step.page is not None:
        return step.page
    try:
        services.erasure_approve(erasure_id=erasure.pk, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Erased: the expert is now %(name)s.")
            % {"name": Expert.objects.get(pk=erasure.expert_id)},
        )
    return redirect(queue)


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_POST
def erasure_refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    erasure = _erasure(pk)
    queue = reverse("privacy:erasure_queue")
    step = confirmation(
        request,
        title=_("Refuse the erasure of %(name)s's personal data?") % {"name": erasure.expert},
        consequence=_("The person who asked will be told, with your reason."),
        action=_("Refuse the erasure"),
        cancel_url=queue,
        reason="required",
    )
    if step.page is not None:
        return step.page
    try:
        services.erasure_refuse(erasure_id=erasure.pk, by=request.user, reason=step.reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The erasure is refused; the person who asked is told."))
    return redirect(queue)
