"""Downloads of exports (docs/iati.md)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.exports.iati import export_for

# Those who may see agreements (experts see none).
EXPORT_ROLES = (
    Role.SECRETARIAT_COORDINATOR,
    Role.REGIONAL_COORDINATOR,
    Role.MEMBER_FOCAL_POINT,
    Role.DONOR_FOCAL_POINT,
)


@role_required(*EXPORT_ROLES)
@require_GET
def iati_download(request: AuthedRequest) -> HttpResponseBase:
    """IATI 2.03 activity XML of the agreements and funded missions the user may see."""
    xml = export_for(request.user)
    if xml is None:
        messages.info(request, _("There is nothing to export: you are party to no agreement."))
        return redirect("agreements:agreement_list")
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    name = f"renfort-iati-{timezone.localdate().isoformat()}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
