"""A list page as a file (docs/performance.md, "Exports": lists): ``/exports/lists/<list>.csv``
or ``.xlsx`` with the page's query string. Whoever may open the list page may have its file,
with the same filters, across all its pages. A list that grows with history is prepared in
the background (GET describes the file, POST asks for it); one person's list is sent at once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.translation import gettext as _

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import login_redirect
from renfort.exports.lists import FORMATS, LISTS, list_file, may_download
from renfort.exports.views import prepare


def _query(request: AuthedRequest) -> str:
    """The page's filters: its query string without the page number."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def list_download(request: AuthedRequest, name: str, fmt: str) -> HttpResponseBase:
    """The file of the list ``name`` in ``fmt`` (csv or xlsx) with the filters of the query
    string: anonymous → sign in; a role the list page is not for → 403; another format → 404."""
    spec = LISTS[name]
    if not request.user.is_authenticated:
        return login_redirect(request)
    if not may_download(request.user, spec):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise Http404("No such format.")
    query = _query(request)
    if not spec.background:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        content, filename, content_type = list_file(request.user, spec, fmt, query)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    names = {"list": spec.title, "format": fmt.upper()}
    if query:
        title = _("%(list)s, as a %(format)s file, with the filters of the page") % names
    else:
        title = _("%(list)s, as a %(format)s file") % names
    back_url = reverse(spec.page) + (f"?{query}" if query else "")
    return prepare(
        request,
        kind=spec.kind,
        params={"fmt": fmt, "query": query},
        title=title,
        back_url=back_url,
    )
