"""Consultations on the request page: the secretariat asks the regional coordinator for an
opinion, the coordinator answers there; both see the answer (the queue shows it too).

Asking is for the secretariat, answering for a regional coordinator (other roles: 403); a
consultation of another region, or about a request the coordinator cannot see, answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role, User
from renfort.accounts.permissions import role_required
from renfort.assistance.consultation_selectors import (
    consultation_for_coordinator,
    request_consultations,
)
from renfort.assistance.consultation_services import (
    consultation_answer as answer_service,
)
from renfort.assistance.consultation_services import (
    consultation_ask as ask_service,
)
from renfort.assistance.consultation_services import (
    region_label,
    request_regions,
)
from renfort.assistance.forms_consultation import AnswerForm, AskForm
from renfort.assistance.models import (
    APPRAISAL_REQUEST_STATUSES,
    Consultation,
    Request,
    RequestStatus,
)
from renfort.assistance.selectors import request_for_user
from renfort.lib.forms import add_service_error


def _ask_form(req: Request, data: Any = None) -> AskForm | None:
    regions = request_regions(req)
    if not regions:
        return None
    return AskForm(
        data,
        regions=[(r, region_label(r)) for r in regions],
        initial={"region": regions[0]},
        auto_id="id_ask_%s",
    )


def consultation_panel(
    user: User,
    req: Request,
    *,
    ask_form: AskForm | None = None,
    answer_form: AnswerForm | None = None,
) -> dict[str, Any]:
    """The consultation part of the request page: the consultations the user may see, the
    secretariat's question form (while the request is in appraisal and a region is left to
    ask), the coordinator's answer form (while their region's consultation is unanswered)."""
    consultations = request_consultations(user, req)
    asked = {c.region for c in consultations}
    can_ask = (
        user.role == Role.SECRETARIAT_COORDINATOR
        and req.status in APPRAISAL_REQUEST_STATUSES
        and bool(set(request_regions(req)) - asked)
    )
    to_answer: Consultation | None = None
    if user.role == Role.REGIONAL_COORDINATOR and req.status != RequestStatus.WITHDRAWN:
        to_answer = next(
            (c for c in consultations if c.region == user.region and c.given is None), None
        )
    return {
        "consultations": consultations,
        "ask_form": (ask_form or _ask_form(req)) if can_ask else None,
        "to_answer": to_answer,
        "answer_form": (answer_form or AnswerForm(auto_id="id_answer_%s")) if to_answer else None,
    }


def _back(req: Request) -> HttpResponseBase:
    return redirect(reverse("assistance:request_detail", args=[req.pk]) + "#consultation")


def _form_page(
    request: AuthedRequest, req: Request, form: AskForm | AnswerForm, **panel: Any
) -> HttpResponse:
    """The consultation again, with the refusal beside the field and the input kept (a
    refusal that no form shows any more, such as an answer given meanwhile, on top)."""
    context = {"req": req, "form": form, **consultation_panel(request.user, req, **panel)}
    context["shown"] = form in (context["ask_form"], context["answer_form"])
    return render(request, "assistance/consultation_form.html", context)


@role_required(Role.SECRETARIAT_COORDINATOR)
@require_POST
def consultation_ask(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Ask the regional coordinator for an opinion on a request in appraisal."""
    req = request_for_user(request.user, pk)
    form = _ask_form(req, request.POST) or AskForm(request.POST, regions=[])
    if form.is_valid():
        try:
            consultation = ask_service(
                request=req,
                by=request.user,
                question=form.cleaned_data["question"],
                region=form.cleaned_data.get("region") or "",
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The coordinator of %(region)s is asked for an opinion on %(reference)s.")
                % {"region": region_label(consultation.region), "reference": req.reference},
            )
            return _back(req)
    return _form_page(request, req, form, ask_form=form)


@role_required(Role.REGIONAL_COORDINATOR)
@require_POST
def consultation_answer(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The regional coordinator gives their opinion on the request."""
    consultation = consultation_for_coordinator(request.user, pk)
    req = consultation.request
    form = AnswerForm(request.POST, auto_id="id_answer_%s")
    if form.is_valid():
        try:
            answer_service(
                consultation=consultation,
                by=request.user,
                opinion=form.cleaned_data["opinion"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Your opinion on %(reference)s is sent to the secretariat.")
                % {"reference": req.reference},
            )
            return _back(req)
    return _form_page(request, req, form, answer_form=form)
