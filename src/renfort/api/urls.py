"""The API's addresses (included once, at the root, by ``config/urls.py``):

- ``/api/v1/…``: the JSON API (namespace ``api``: its operations, ``openapi-json``,
  ``openapi-view`` (the interactive documentation), ``api-root`` and ``not_found`` (any
  other address below, as a problem);
- ``/api-tokens/…``: the page where people make and revoke their tokens (``api_tokens``),
  outside ``/api/`` so that it behaves as a page (sign-in redirects, the second step).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.urls import URLPattern, include, path, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from renfort.api import views
from renfort.api.main import api
from renfort.api.problems import problem


def _problem_405(view: Any) -> Any:
    """ninja answers a method an address does not take with a bare 405: give it the problem
    shape, like every other error of the API."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            allowed = response.get("Allow", "")
            out = problem(
                request,
                405,
                _("This address takes only: %(methods)s.") % {"methods": allowed},
            )
            out["Allow"] = allowed
            return out
        return response

    return wrapped


def _get_only(view: Any) -> Any:
    """The API's own pages (its description, the OpenAPI document, the documentation) are
    read, never posted to."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            out = problem(request, 405, _("This address takes only: GET."))
            out["Allow"] = "GET, HEAD"
            return out
        response: HttpResponseBase = view(request, *args, **kwargs)
        return response

    return wrapped


def api_root(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Where to start: the OpenAPI document and its interactive page."""
    return JsonResponse(
        {
            "title": api.title,
            "version": api.version,
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        }
    )


@csrf_exempt  # no session is used here: a POST gets the 404 problem, not the CSRF page
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /api/v1/: a 404 problem, not the HTML page (and no redirect
    to add a slash, which would lose a POST's body)."""
    detail = _("There is no such address in the API: see %(docs)s.") % {
        "docs": reverse("api:openapi-view")
    }
    if not rest.endswith("/"):
        detail = _("There is no such address in the API; its addresses end with a slash.")
    return problem(request, 404, detail)


def _api_patterns() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    for entry in patterns:
        if isinstance(entry, URLPattern):
            if entry.name == "api-root":
                entry.callback = _get_only(api_root)
            elif entry.name in ("openapi-json", "openapi-view"):
                entry.callback = _get_only(entry.callback)
            else:
                entry.callback = _problem_405(entry.callback)
    patterns.append(re_path(r"^(?P<rest>.+)$", not_found, name="not_found"))
    return patterns, app_name, namespace


token_patterns = [
    path("", views.token_list, name="token_list"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

urlpatterns = [
    path("api/v1/", _api_patterns()),
    path("api-tokens/", include((token_patterns, "api_tokens"))),
]
