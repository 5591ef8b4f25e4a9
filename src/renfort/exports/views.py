"""Exports (docs/iati.md; docs/performance.md, "Exports"): a long list is prepared in the
background. Its address (GET) shows what the file holds and a button; the button (POST) asks
for it and leads to the export's page, which follows the task and then offers the file to the
person who asked, and to nobody else (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.agreements.selectors import agreements_visible_to
from renfort.exports.models import Export
from renfort.exports.services import export_request

# Those who may see agreements (experts see none).
EXPORT_ROLES = (
    Role.SECRETARIAT_COORDINATOR,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)


def prepare(
    request: AuthedRequest, *, kind: str, params: dict[str, Any], title: str, back_url: str
) -> HttpResponseBase:
    """The page of a file prepared in the background: GET describes it, POST asks for it.
    The caller has checked who asks (the builder checks again when it runs)."""
    if request.method == "POST":
        export = export_request(
            user=request.user,
            kind=kind,
            params=params,
            title=title,
            language=get_language() or "en",
        )
        return redirect("exports:export_detail", pk=export.pk)
    return render(request, "exports/prepare.html", {"title": title, "back_url": back_url})


@role_required(*EXPORT_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def iati_download(request: AuthedRequest) -> HttpResponseBase:
    """IATI 2.03 activity XML of the agreements and funded missions the user may see."""
    if not agreements_visible_to(request.user).exists():
        messages.info(request, _("There is nothing to export: you are party to no agreement."))
        return redirect("agreements:agreement_list")
    return prepare(
        request,
        kind="iati",
        params={},
        title=_("IATI export of the agreements you may see"),
        back_url=reverse("agreements:agreement_list"),
    )


def _own_export(request: AuthedRequest, pk: int) -> Export:
    """The export ``pk`` if the signed-in person asked for it; 404 otherwise."""
    return get_object_or_404(Export, pk=pk, requested_by=request.user)


@login_required
@require_GET
def export_detail(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Where an export stands (htmx polls the partial until it is finished)."""
    export = _own_export(request, pk)
    template = "exports/export_detail.html"
    if getattr(request, "htmx", False):
        template += "#status"
    return render(request, template, {"export": export})


@login_required
@require_GET
def export_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The file of a finished export, to the person who asked for it."""
    export = _own_export(request, pk)
    if not export.file:
        raise Http404("The file is not ready.")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.name,
        content_type=export.content_type,
    )
