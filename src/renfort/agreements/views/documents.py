"""An agreement's documents: uploaded by the secretariat, read only by those who may see the
agreement (its parties, the region's coordinator, the secretariat). The files live under
MEDIA_ROOT, which no URL serves: another party asking for one gets 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.agreements import services
from renfort.agreements.forms import DocumentForm
from renfort.agreements.selectors import agreement_for_user, document_for_user
from renfort.agreements.views.common import AGREEMENT_ROLES, SECRETARIAT, done, render_detail
from renfort.lib.forms import add_service_error


@role_required(SECRETARIAT)
@require_POST
def document_upload(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Keep a PDF with the agreement (type and size checked by the service)."""
    agreement = agreement_for_user(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = services.agreement_document_add(
                agreement=agreement,
                upload=data["file"],
                kind=data["kind"],
                title=data["title"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            message = _("Document “%(title)s” added.") % {"title": document.title}
            return done(request, agreement, message, "documents")
    return render_detail(request, agreement, document_form=form)


@role_required(*AGREEMENT_ROLES)
@require_GET
def document_download(request: AuthedRequest, pk: int, document_pk: int) -> HttpResponseBase:
    """The PDF, to those who may see its agreement; 404 to anyone else."""
    document = document_for_user(request.user, pk, document_pk)
    try:
        stream = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(stream, content_type="application/pdf", filename=document.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
