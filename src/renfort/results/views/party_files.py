"""The full lists behind each party's page (missions, ratings, indicators: paginated) and its
files (CSV, XLSX, PDF, and the expert's recognition certificate). Same rule as the pages
(``views.party``): the role first (403), then the party (another party's: 404)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.exports.views import prepare
from renfort.results.figures import access
from renfort.results.figures.access import Party
from renfort.results.figures.common import indicator_rows, mission_rows, today, with_days
from renfort.results.figures.experts import latest_ratings, missions_with_ratings, places_of
from renfort.results.figures.members import party_indicators
from renfort.results.figures.year import year_figures, years_with_data
from renfort.results.party_reports.base import (
    CONTENT_TYPES,
    FORMATS,
    Report,
    file_name,
    report_bytes,
)
from renfort.results.party_reports.experts import (
    certificate_pdf,
    track_record_report,
)
from renfort.results.party_reports.members import (
    year_report,
)
from renfort.results.views.party import (
    DONOR_ROLES,
    EXPERT_ROLES,
    MEMBER_ROLES,
    PAGE_SIZE,
    REGION_ROLES,
    SECRETARIAT,
    read_year,
)


def _download(content: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{fmt}"'
    return response


def _file(fmt: str, party: Callable[[], Party], report: Callable[[Party], Report]) -> HttpResponse:
    """The party's report in ``fmt`` (an unknown format: 404, after the party's check)."""
    chosen = party()
    if fmt not in FORMATS:
        raise Http404("No such format.")
    built = report(chosen)
    return _download(report_bytes(built, fmt), built.name, fmt)


# --- files ----------------------------------------------------------------------------------


@role_required(*EXPERT_ROLES)
@require_safe
def expert_record_file(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    return _file(fmt, lambda: access.expert_party(request.user, pk), track_record_report)


@role_required(*EXPERT_ROLES)
@require_safe
def expert_certificate(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The recognition certificate (PDF), once the expert has a delivered mission."""
    party = access.expert_party(request.user, pk)
    if not places_of(party).exists():
        messages.info(
            request,
            _("The certificate lists delivered missions: there is none yet for %(expert)s.")
            % {"expert": party.name},
        )
        return redirect("results:expert_record", pk=pk)
    return _download(certificate_pdf(party), file_name("certificate", party.name), "pdf")


def _in_background(
    request: AuthedRequest, fmt: str, kind: str, party: Party, back: str
) -> HttpResponseBase:
    """A report whose lines grow with the party's whole history: prepared by a task
    (exports app; docs/performance.md, "Exports")."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    return prepare(
        request,
        kind=kind,
        params={"pk": party.key, "fmt": fmt},
        title=f"{party.title} ({fmt.upper()})",
        back_url=reverse(back, args=[party.key]),
    )


@role_required(*MEMBER_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def lending_file(request: AuthedRequest, pk: int, fmt: str) -> HttpResponseBase:
    party = access.lending_party(request.user, pk)
    return _in_background(request, fmt, "results.lending", party, "results:lending")


@role_required(*DONOR_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def donor_file(request: AuthedRequest, pk: int, fmt: str) -> HttpResponseBase:
    party = access.donor_party(request.user, pk)
    return _in_background(request, fmt, "results.donor", party, "results:donor")


@role_required(*MEMBER_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def beneficiary_file(request: AuthedRequest, pk: int, fmt: str) -> HttpResponseBase:
    party = access.beneficiary_party(request.user, pk)
    return _in_background(request, fmt, "results.beneficiary", party, "results:beneficiary")


@role_required(*REGION_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def region_file(request: AuthedRequest, code: str, fmt: str) -> HttpResponseBase:
    party = access.region_party(request.user, code)
    return _in_background(request, fmt, "results.region", party, "results:region")


@role_required(SECRETARIAT)
@require_safe
def year_file(request: AuthedRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    chosen, _problem = read_year(request, years_with_data())
    report = year_report(year_figures(chosen))
    return _download(report_bytes(report, fmt), report.name, fmt)


# --- full lists -----------------------------------------------------------------------------


def mission_page(request: AuthedRequest, party: Party, *, rated: bool = False) -> HttpResponse:
    """Every mission of the party the viewer may see, latest first, 25 a page."""
    rows = missions_with_ratings(party) if rated else mission_rows(party.missions)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_days(page.object_list)
    return render(
        request,
        "results/party/missions.html",
        {"party": party, "page": page, "rated": rated, "today": today()},
    )


@role_required(*EXPERT_ROLES)
@require_safe
def expert_missions(request: AuthedRequest, pk: int) -> HttpResponse:
    return mission_page(request, access.expert_party(request.user, pk), rated=True)


@role_required(*MEMBER_ROLES)
@require_safe
def lending_missions(request: AuthedRequest, pk: int) -> HttpResponse:
    return mission_page(request, access.lending_party(request.user, pk), rated=True)


@role_required(*DONOR_ROLES)
@require_safe
def donor_missions(request: AuthedRequest, pk: int) -> HttpResponse:
    return mission_page(request, access.donor_party(request.user, pk))


@role_required(*MEMBER_ROLES)
@require_safe
def beneficiary_missions(request: AuthedRequest, pk: int) -> HttpResponse:
    return mission_page(request, access.beneficiary_party(request.user, pk))


@role_required(*REGION_ROLES)
@require_safe
def region_missions(request: AuthedRequest, code: str) -> HttpResponse:
    return mission_page(request, access.region_party(request.user, code))


def rating_page(request: AuthedRequest, party: Party) -> HttpResponse:
    """Every rating of the party's experts, with its comment, latest first."""
    page = Paginator(latest_ratings(party, limit=None), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "results/party/ratings.html", {"party": party, "page": page})


@role_required(*EXPERT_ROLES)
@require_safe
def expert_ratings(request: AuthedRequest, pk: int) -> HttpResponse:
    return rating_page(request, access.expert_party(request.user, pk))


@role_required(*MEMBER_ROLES)
@require_safe
def lending_ratings(request: AuthedRequest, pk: int) -> HttpResponse:
    return rating_page(request, access.lending_party(request.user, pk))


def indicator_page(request: AuthedRequest, party: Party) -> HttpResponse:
    """Every indicator of the objectives linked to the party's work, 10 a page, each drawn."""
    page = Paginator(party_indicators(party), 10).get_page(request.GET.get("page"))
    rows = indicator_rows(party_indicators(party).filter(pk__in=[i.pk for i in page]))
    return render(
        request, "results/party/indicators.html", {"party": party, "page": page, "rows": rows}
    )


@role_required(*DONOR_ROLES)
@require_safe
def donor_indicators(request: AuthedRequest, pk: int) -> HttpResponse:
    return indicator_page(request, access.donor_party(request.user, pk))


@role_required(*MEMBER_ROLES)
@require_safe
def beneficiary_indicators(request: AuthedRequest, pk: int) -> HttpResponse:
    return indicator_page(request, access.beneficiary_party(request.user, pk))


@role_required(*REGION_ROLES)
@require_safe
def region_indicators(request: AuthedRequest, code: str) -> HttpResponse:
    return indicator_page(request, access.region_party(request.user, code))
