"""Consultations: before deciding on a request, the secretariat asks the coordinator of a
requesting administration's region for an opinion, and the coordinator answers once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Region, Role, User
from renfort.accounts.services import notification_send
from renfort.assistance.models import (
    APPRAISAL_REQUEST_STATUSES,
    Consultation,
    ConsultationAnswer,
    Opinion,
    Request,
    RequestStatus,
)
from renfort.lib.limits import length_errors
from renfort.lib.links import link_to

# An answer that is not plain support says why, or on which conditions.
COMMENT_NEEDED = frozenset({Opinion.CONDITIONS, Opinion.OPPOSE})


def region_label(code: str) -> str:
    return str(Region(code).label) if code in Region.values else code


def region_coordinators(region: str) -> list[User]:
    """The active regional coordinators of ``region`` (of an office in that region)."""
    if not region:
        return []
    return list(
        User.objects.filter(
            role=Role.REGIONAL_COORDINATOR, is_active=True, organisation__region=region
        ).order_by("pk")
    )


def request_regions(request: Request) -> list[str]:
    """The WCO regions of the requesting administrations."""
    return sorted({org.region for org in request.administrations.all() if org.region})


def _request_link(request: Request) -> str:
    return link_to("assistance:request_detail", request.pk, fallback=f"/requests/{request.pk}/")


def _ask_errors(request: Request, region: str, question: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    regions = request_regions(request)
    if not regions:
        errors["region"] = _("Region: the requesting administrations belong to no WCO region.")
    elif region not in regions:
        errors["region"] = _(
            "Region: choose the region of a requesting administration (%(regions)s)."
        ) % {"regions": ", ".join(region_label(r) for r in regions)}
    elif not region_coordinators(region):
        errors["region"] = _("Region: %(region)s has no regional coordinator in Renfort.") % {
            "region": region_label(region)
        }
    if not question:
        errors["question"] = _("Question: say what you would like the coordinator's opinion on.")
    errors.update(length_errors(Consultation, question=question))
    return errors


@transaction.atomic
def consultation_ask(
    *, request: Request, by: User, question: str, region: str = ""
) -> Consultation:
    """The secretariat asks the coordinator of ``region`` (default: the requesting
    administrations' region, when there is one) for an opinion on ``request``, still in
    appraisal; once per request and region. The region's coordinators are notified."""
    request = Request.objects.select_for_update().get(pk=request.pk)
    names = {"reference": request.reference}
    if by.role != Role.SECRETARIAT_COORDINATOR:
        raise ValidationError(
            _("Request %(reference)s: only the secretariat asks for an opinion.") % names
        )
    if request.status not in APPRAISAL_REQUEST_STATUSES:
        raise ValidationError(
            _(
                "Request %(reference)s is %(status)s: an opinion is asked before the request "
                "is accepted or declined."
            )
            % {**names, "status": RequestStatus(request.status).label}
        )
    regions = request_regions(request)
    region = region or (regions[0] if len(regions) == 1 else "")
    question = question.strip()
    if errors := _ask_errors(request, region, question):
        raise ValidationError(errors)
    asked = _("Request %(reference)s: the coordinator of %(region)s has already been asked.") % {
        **names,
        "region": region_label(region),
    }
    if Consultation.objects.filter(request=request, region=region).exists():
        raise ValidationError({"region": asked})
    try:
        with transaction.atomic():
            consultation = Consultation.objects.create(
                request=request, region=region, question=question, asked_by=by
            )
    except IntegrityError as exc:  # a colleague asked at the same moment
        raise ValidationError({"region": asked}) from exc
    notification_send(
        recipients=region_coordinators(region),
        code="consultation.asked",
        params={
            "reference": request.reference,
            "title": request.title,
            "region": region,
            "question": question,
        },
        link=_request_link(request),
    )
    return consultation


def _answer_errors(opinion: str, comment: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if opinion not in Opinion.values:
        errors["opinion"] = _("Opinion: choose support, support with conditions or do not support.")
    elif opinion in COMMENT_NEEDED and not comment:
        errors["comment"] = (
            _("Comment: say on which conditions you support the request.")
            if opinion == Opinion.CONDITIONS
            else _("Comment: say why you do not support the request.")
        )
    errors.update(length_errors(ConsultationAnswer, comment=comment))
    return errors


@transaction.atomic
def consultation_answer(
    *, consultation: Consultation, by: User, opinion: str, comment: str = ""
) -> ConsultationAnswer:
    """The coordinator of the consultation's region gives their opinion, once: a second
    answer is refused (also when two coordinators answer at the same moment: the database
    keeps one answer per consultation). The secretariat coordinator who asked is told."""
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("request", "asked_by")
        .get(pk=consultation.pk)
    )
    request = consultation.request
    words = {"reference": request.reference, "region": region_label(consultation.region)}
    if by.role != Role.REGIONAL_COORDINATOR or by.region != consultation.region:
        raise ValidationError(
            _("Request %(reference)s: only the coordinator of %(region)s answers.") % words
        )
    if request.status == RequestStatus.WITHDRAWN:
        raise ValidationError(
            _(
                "Request %(reference)s was withdrawn by its administration: no opinion is "
                "needed any more."
            )
            % words
        )
    comment = comment.strip()
    if errors := _answer_errors(opinion, comment):
        raise ValidationError(errors)
    answered = _("Request %(reference)s: %(region)s has already given its opinion.") % words
    if ConsultationAnswer.objects.filter(consultation=consultation).exists():
        raise ValidationError(answered)
    try:
        with transaction.atomic():
            answer = ConsultationAnswer.objects.create(
                consultation=consultation, opinion=opinion, comment=comment, by=by
            )
    except IntegrityError as exc:  # another coordinator of the region answered meanwhile
        raise ValidationError(answered) from exc
    params = {
        "reference": request.reference,
        "title": request.title,
        "region": consultation.region,
        "opinion": opinion,
    }
    if comment:
        params["comment"] = comment
    asker = consultation.asked_by
    recipients = [asker] if asker is not None and asker.is_active else _secretariat()
    notification_send(
        recipients=recipients,
        code="consultation.answered",
        params=params,
        link=_request_link(request),
    )
    return answer


def _secretariat() -> list[User]:
    return list(User.objects.filter(role=Role.SECRETARIAT_COORDINATOR, is_active=True))
