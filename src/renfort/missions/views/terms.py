"""Terms of reference (page and PDF), their confirmation by the beneficiaries and their
sending by the secretariat, and each expert's mission pack with the invitation letter.

Who sees what: the terms, whoever may see the mission; confirming, a member focal point of a
beneficiary administration (another member: 404); sending, the secretariat; a pack, the
expert, the secretariat and the host and home administrations' member focal points (another
expert or member: 404; the other roles never open packs: 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.missions.models import Assignment, Mission
from renfort.missions.packs import Pack, mission_packs_for_user, pack_for_user, pack_of
from renfort.missions.selectors import mission_for_user
from renfort.missions.services.terms import terms_confirm as confirm_service
from renfort.missions.services.terms import terms_send as send_service
from renfort.missions.terms import TERMS_CONFIRMABLE_STATUSES, terms_of, terms_standing
from renfort.missions.terms_pdf import invitation_pdf, terms_pdf
from renfort.missions.views.common import ALL_ROLES, SECRETARIAT
from renfort.planner.workdays import Calendar
from renfort.planning.problem import host_calendar, host_country

PACK_ROLES = (SECRETARIAT, Role.MEMBER_FOCAL_POINT, Role.EXPERT)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _file_name(*parts: str) -> str:
    return slugify("-".join([*parts, get_language() or "en"]))


@role_required(*ALL_ROLES)
@require_GET
def terms(request: AuthedRequest, pk: int) -> HttpResponse:
    """The mission's terms of reference, where each beneficiary's confirmation stands, and
    the actions of the user (confirm, send) and the packs they may open."""
    user = request.user
    mission = mission_for_user(user, pk)
    content = terms_of(mission)
    standing = terms_standing(content)
    open_status = mission.status in TERMS_CONFIRMABLE_STATUSES
    mine = next((s for s in standing if s.organisation.pk == user.organisation_id), None)
    context = {
        "mission": mission,
        "terms": content,
        "standing": standing,
        "waiting": [s.organisation for s in standing if not s.confirmed],
        "can_confirm": (
            user.role == Role.MEMBER_FOCAL_POINT
            and open_status
            and mine is not None
            and not mine.confirmed
        ),
        "can_send": user.role == SECRETARIAT and open_status,
        "open_status": open_status,
        "packs": mission_packs_for_user(user, mission) if user.role in PACK_ROLES else [],
    }
    return render(request, "missions/terms.html", context)


@role_required(*ALL_ROLES)
@require_GET
def terms_document(request: AuthedRequest, pk: int) -> HttpResponse:
    """The terms of reference as a PDF, in the reader's language."""
    mission = mission_for_user(request.user, pk)
    content = terms_of(mission)
    return _pdf(
        terms_pdf(content, terms_standing(content)),
        _file_name(_("terms of reference"), mission.reference),
    )


def _beneficiary_mission(request: AuthedRequest, pk: int) -> Mission:
    """The mission, if the user's administration is one of its beneficiaries; 404 else."""
    mission = mission_for_user(request.user, pk)
    if not mission.beneficiaries.filter(pk=request.user.organisation_id or 0).exists():
        raise Http404("Not a beneficiary of this mission.")
    return mission


@role_required(Role.MEMBER_FOCAL_POINT)
@require_POST
def terms_confirm(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Confirm the terms of reference, as they are now, for the user's administration."""
    mission = _beneficiary_mission(request, pk)
    try:
        confirmation = confirm_service(mission=mission, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("You confirmed version %(version)s of the terms of reference of %(mission)s.")
            % {"version": confirmation.version, "mission": mission.reference},
        )
    return redirect("missions:terms", pk=mission.pk)


@role_required(SECRETARIAT)
@require_POST
def terms_send(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Ask the beneficiaries that have not confirmed the current terms to confirm them."""
    mission = mission_for_user(request.user, pk)
    try:
        sent, nobody = send_service(mission=mission, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Terms of reference sent to %(count)d focal point for confirmation.",
                "Terms of reference sent to %(count)d focal points for confirmation.",
                len(sent),
            )
            % {"count": len(sent)},
        )
        if nobody:
            messages.warning(
                request,
                _("%(names)s has no member focal point in Renfort to confirm them.")
                % {"names": ", ".join(nobody)},
            )
    return redirect("missions:terms", pk=mission.pk)


def _pack(assignment: Assignment) -> Pack:
    """The pack, with the host's calendar (weekend and public holidays) when it is known."""
    mission = assignment.slot.mission
    countries = sorted({b.country.upper() for b in mission.beneficiaries.all() if b.country})
    host = host_country(mission.location, countries) if countries else ""
    calendar = None
    if host and mission.start and mission.end:
        doc = host_calendar(host, mission.start, mission.end)
        calendar = Calendar.from_doc(doc) if doc else None
    return pack_of(assignment, host_country=host, calendar=calendar)


@role_required(*PACK_ROLES)
@require_GET
def mission_pack(request: AuthedRequest, pk: int) -> HttpResponse:
    """An expert's mission pack: terms, venue, host contacts, agenda, invitation letter."""
    pack = _pack(pack_for_user(request.user, pk))
    return render(
        request,
        "missions/pack.html",
        {"pack": pack, "mission": pack.mission, "assignment": pack.assignment},
    )


@role_required(*PACK_ROLES)
@require_GET
def invitation_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    """The expert's invitation letter (PDF) for visas, in the reader's language."""
    pack = _pack(pack_for_user(request.user, pk))
    expert = pack.assignment.expert
    return _pdf(
        invitation_pdf(pack),
        _file_name(_("invitation"), pack.mission.reference, expert.last_name),
    )
