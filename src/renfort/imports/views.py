"""The import pages (docs/imports.md): choose what to import, upload a file, read the check
(what would be created, updated, left unchanged, and every problem with its line and column),
then confirm. A job is seen only by the person who uploaded it (anyone else: 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role
from renfort.accounts.permissions import role_required
from renfort.imports.engine import IMPORT_ROLES, IMPORTERS, may_import
from renfort.imports.forms import UploadForm
from renfort.imports.kinds.help import COLUMN_HELP
from renfort.imports.models import ImportJob, ImportKind, ImportStatus
from renfort.imports.reading import max_bytes, max_rows
from renfort.imports.services import import_job_confirm, import_job_create, import_job_start
from renfort.imports.templates_files import template_file
from renfort.lib.forms import add_service_error
from renfort.lib.http import is_htmx
from renfort.lib.messages import render as render_message

IMPORTER_ROLES = (Role.SECRETARIAT_COORDINATOR, Role.MEMBER_FOCAL_POINT)
RECENT_JOBS = 10
PER_PAGE = 100


def _kind(request: AuthedRequest, kind: str) -> ImportKind:
    if kind not in ImportKind.values:
        raise Http404("No such import.")
    if not may_import(request.user, kind):
        raise PermissionDenied
    return ImportKind(kind)


@role_required(*IMPORTER_ROLES)
@require_GET
def import_index(request: AuthedRequest) -> HttpResponseBase:
    """What the user may import, and their latest imports."""
    kinds = [k for k in ImportKind if request.user.role in IMPORT_ROLES[k]]
    jobs = ImportJob.objects.filter(uploaded_by=request.user)[:RECENT_JOBS]
    return render(request, "imports/index.html", {"kinds": kinds, "jobs": jobs})


@role_required(*IMPORTER_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: AuthedRequest, kind: str) -> HttpResponseBase:
    """GET: the columns and the upload form; POST: keep the file and check it."""
    import_kind = _kind(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > max_bytes():
            limit = {"limit": str(max_bytes())}
            form.add_error("file", render_message("imports.file.too_big", limit).body)
        else:
            try:
                job = import_job_create(
                    user=request.user,
                    kind=import_kind,
                    name=upload.name or "import",
                    content=upload.read(),
                    language=get_language() or "en",
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                import_job_start(job=job)
                return redirect("imports:job_detail", pk=job.pk)
    columns = IMPORTERS[import_kind].columns
    required = IMPORTERS[import_kind].required
    context = {
        "kind": import_kind,
        "form": form,
        "columns": [(c, c in required, COLUMN_HELP.get(c, "")) for c in columns],
        "max_bytes": max_bytes(),
        "max_rows": max_rows(),
    }
    return render(request, "imports/upload.html", context)


@role_required(*IMPORTER_ROLES)
@require_GET
def import_template(request: AuthedRequest, kind: str, fmt: str) -> HttpResponseBase:
    """The template file of a kind: its columns and an example row."""
    import_kind = _kind(request, kind)
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format.")
    content, name, content_type = template_file(import_kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _own_job(request: AuthedRequest, pk: int) -> ImportJob:
    """The job ``pk`` if the signed-in person uploaded it; 404 otherwise."""
    return get_object_or_404(ImportJob, pk=pk, uploaded_by=request.user)


def _errors(job: ImportJob) -> list[dict[str, Any]]:
    return [
        {**error, "text": render_message(error["code"], error.get("params", {})).body}
        for error in job.result.get("errors", [])
    ]


@role_required(*IMPORTER_ROLES)
@require_GET
def job_detail(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """What the check (or the import) found; htmx follows a job still working."""
    job = _own_job(request, pk)
    errors = Paginator(_errors(job), PER_PAGE).get_page(request.GET.get("errors"))
    rows = Paginator(job.result.get("rows", []), PER_PAGE).get_page(request.GET.get("rows"))
    context = {
        "job": job,
        "counts": job.result.get("counts"),
        "errors": errors,
        "rows": rows,
        "can_confirm": job.status == ImportStatus.READY and may_import(request.user, job.kind),
        "percent": int(100 * job.rows_done / job.rows_total) if job.rows_total else 0,
    }
    if is_htmx(request):
        response = render(request, "imports/job_detail.html#status", context)
        if not job.working:  # finished: the whole page shows the results
            response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/job_detail.html", context)


@role_required(*IMPORTER_ROLES)
@require_POST
def job_confirm(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Import the checked file (exactly the stored one)."""
    job = _own_job(request, pk)
    try:
        import_job_confirm(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:job_detail", pk=job.pk)
