"""Every error of the API in one shape: RFC 9457 problem details (``application/problem+json``).

Operations raise what the pages raise (``Http404`` from a selector, ``PermissionDenied`` for
a role, a service's ``ValidationError``); the handlers here turn each into a problem:

=============================================  ======  ===========================================
raised                                         status  ``errors``
=============================================  ======  ===========================================
no, unknown, revoked or expired token          401
``PermissionDenied`` (a role the call is not   403
for)
``Http404`` (another party's object)           404
django ``ValidationError`` (a service's rule)  422     one ``{field, message, code}`` per message
ninja's validation (query, path, body)         422     one ``{field, message, code}`` per problem
``RateLimited``                                429     (and a ``Retry-After`` header)
=============================================  ======  ===========================================
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core import signals
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://renfort.example/problems/"
BEARER = "Authorization: Bearer <token>"


class FieldProblem(Schema):
    """One thing wrong with the request: the field (``""`` for the request as a whole, a
    dotted path for a nested one), a sentence, and a stable code."""

    field: str
    message: str
    code: str = ""


class Problem(Schema):
    """RFC 9457 problem details; ``errors`` lists each field's problem (422)."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="The kind of problem, in words.")
    status: int
    detail: str = Field("", description="What went wrong with this request.")
    instance: str = Field("", description="The path that was asked for.")
    errors: list[FieldProblem] = Field(default_factory=list)


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


TITLES = {
    400: ("bad-request", gettext_lazy("The request could not be read")),
    401: ("unauthorized", gettext_lazy("A valid API token is needed")),
    403: ("forbidden", gettext_lazy("Your role may not do this")),
    404: ("not-found", gettext_lazy("Not found")),
    405: ("method-not-allowed", gettext_lazy("Method not allowed")),
    409: ("conflict", gettext_lazy("Conflict")),
    422: ("invalid", gettext_lazy("The request breaks a rule")),
    429: ("rate-limited", gettext_lazy("Too many requests")),
    500: ("server-error", gettext_lazy("Server error")),
}


def problem(
    request: HttpRequest,
    status: int,
    detail: str = "",
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem response: ``status``, its title, ``detail`` and the field ``errors``."""
    slug, title = TITLES.get(status, ("error", gettext_lazy("Error")))
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": str(title),
        "status": status,
        "detail": detail,
        "instance": request.path,
        "errors": errors or [],
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="renfort"'
    return response


def validation_errors(exc: DjangoValidationError) -> list[dict[str, str]]:
    """One entry per message of a service's refusal, keyed by the field it names."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": "" if field == "__all__" else field, "message": m, "code": e.code or ""}
            for field, items in exc.error_dict.items()
            for e in items
            for m in e.messages
        ]
    return [
        {"field": "", "message": m, "code": e.code or ""}
        for e in exc.error_list
        for m in e.messages
    ]


def _location(loc: Any) -> str:
    # ninja: ("query", "page") or ("body", "payload", "topics", 0); the source says nothing.
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header", "payload")]
    return ".".join(parts)


def _on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = validation_errors(exc)
    return problem(request, 422, " ".join(e["message"] for e in errors), errors=errors)


def _on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": _location(item.get("loc", ())),
            "message": str(item.get("msg", "")),
            "code": str(item.get("type", "")),
        }
        for item in exc.errors
    ]
    detail = "; ".join(f"{e['field'] or _('request')}: {e['message']}" for e in errors)
    return problem(request, 422, detail, errors=errors)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        detail = _("Send a valid token in the header %(header)s.") % {"header": BEARER}
        return problem(request, 401, detail)
    return problem(request, exc.status_code, str(exc))


def _on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(request, 404, _("There is no such object, or you may not see it."))


def _on_403(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(request, 403, str(exc) or _("Your role may not do this."))


def _on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return problem(
        request,
        429,
        _("Too many requests with this token: try again in %(seconds)d seconds.")
        % {"seconds": exc.retry_after},
        headers={"Retry-After": str(exc.retry_after)},
    )


def _on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged and reported like any server error, never shown: no traceback reaches a caller.
    logger.error("API error on %s", request.path, exc_info=exc)
    signals.got_request_exception.send(sender=None, request=request)
    return problem(request, 500, _("Something went wrong on our side; it has been logged."))


def install_handlers(api: NinjaAPI) -> None:
    handlers: list[tuple[type[Exception], Any]] = [
        (Exception, _on_exception),
        (Http404, _on_404),
        (PermissionDenied, _on_403),
        (HttpError, _on_http_error),
        (NinjaValidationError, _on_ninja_validation),
        (DjangoValidationError, _on_django_validation),
        (RateLimited, _on_rate_limited),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def errors(*statuses: int) -> dict[int, type[Problem]]:
    """The error responses an operation declares: ``response={200: Out, **errors(401, 404)}``
    (every operation: 401 and 429; a list or a body: 422; an object: 404; a role: 403)."""
    return dict.fromkeys(statuses, Problem)
