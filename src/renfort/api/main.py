"""The JSON API under ``/api/v1/`` (django-ninja): one ``NinjaAPI``, one router per subject in
``api/routers/``, every error a problem (``problems.py``), every caller a personal token
(``auth.py``). docs/api.md says how to call it; "HOW TO ADD A ROUTER" in its module docstring
below says how to grow it.

Adding a router: write ``api/routers/<subject>.py`` with ``router = Router(tags=[...])`` and
operations that name their ``url_name`` and declare their errors (``problems.errors``), then
add it to ``ROUTERS`` below, and its operations to ``config/permissions.csv``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI, Router
from ninja.openapi.docs import DocsBase
from ninja.operation import Operation

from renfort.api.auth import TokenAuth
from renfort.api.problems import MEDIA_TYPE, install_handlers
from renfort.api.routers import (
    agreements,
    experts,
    invitations,
    missions,
    organisations,
    planner,
    requests,
    results,
)

VERSION = "1"
# (prefix, router): each router's operations live under /api/v1/<prefix>.
ROUTERS: list[tuple[str, Router]] = [
    ("organisations/", organisations.router),
    ("experts/", experts.router),
    ("requests/", requests.router),
    ("agreements/", agreements.router),
    ("results/", results.router),
    ("missions/", missions.router),
    ("invitations/", invitations.router),
    ("planner/", planner.router),
]


class Docs(DocsBase):
    """Swagger UI from Renfort's own static files (no CDN), its settings in a JSON block and
    its start-up in a script file: nothing inline, so the page keeps the site's CSP."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "api/docs.html",
            {"api": api, "settings": {"url": reverse("api:openapi-json"), "deepLinking": True}},
        )


class RenfortAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The view's name, which is also its URL name (unique: the permission file keys on it).
        return operation.view_func.__name__

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """ninja's document, with each error response in its real media type, and the errors
        every operation may answer declared even where an operation forgot them: 401 and
        429 (the token), 422 (its parameters or body)."""
        schema = super().get_openapi_schema(**kwargs)
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                # ninja keys responses by int: one key per status, whatever its type, or the
                # document would say "401" twice (invalid JSON for strict readers).
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                operation["responses"] = responses
                implied = [401, 429] if operation.get("security") else []
                if operation.get("parameters") or operation.get("requestBody"):
                    implied.append(422)
                if operation.get("requestBody"):
                    implied.append(400)  # a body that is not JSON
                for code in implied:
                    responses.setdefault(str(code), _problem_response(code))
                for key, response in responses.items():
                    content = response.get("content", {})
                    if int(key) >= 400 and "application/json" in content:
                        content[MEDIA_TYPE] = content.pop("application/json")
        return schema


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": HTTPStatus(status).phrase,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


api = RenfortAPI(
    title="Renfort API",
    version=VERSION,
    description=(
        "Renfort's data as each person may see it, through a personal API token "
        "(`Authorization: Bearer rnf_…`). Errors are RFC 9457 problem details. "
        "See docs/api.md."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=Docs(),
    docs_url="/docs",
    # Swagger UI draws its icons from data: addresses in its style sheet.
    docs_decorator=csp_update({"img-src": ["data:"]}),
    openapi_url="/openapi.json",
)
install_handlers(api)
for _prefix, _router in ROUTERS:
    api.add_router(_prefix, _router)
