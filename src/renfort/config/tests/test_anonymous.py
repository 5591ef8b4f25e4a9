"""Every page and every action asks an anonymous visitor to sign in (never a 405 or a 500).

The routes are read from the URL configuration, so a new route is covered the day it lands.
Public routes (signing in, resetting a password, switching the language) and the admin (its
own sign-in page) are listed and checked separately.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "feeds:feed_ical",  # a calendar application reads it by its secret address (docs/api.md)
    "accounts:invitation_accept",  # the invitee's link (accounts/tests/test_views_people.py)
    "accounts:set_language",
    "set_language",
    "security_txt",  # where to report a vulnerability (RFC 9116)
    "health",  # the probe's 200 or 503 (operations/tests/test_health.py)
    # The JSON API's description and documentation: no data (docs/api.md).
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
}
# The JSON API asks a program for a token, not a person to sign in (docs/api.md): 401 problem.
API_PREFIX = "/api/v1/"
SAMPLE_ARGS = {"int": "1", "str": "x", "slug": "x", "path": "x"}


def _routes(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            inner_ns = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from _routes(entry, prefix + str(entry.pattern), inner_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{ns}{entry.name}", prefix + str(entry.pattern)


def _path(route: str) -> str:
    """A concrete path for ``route`` with sample values in its converters."""
    out = route
    while "<" in out:
        start, end = out.index("<"), out.index(">")
        kind = out[start + 1 : end].split(":")[0] if ":" in out[start:end] else "str"
        out = out[:start] + SAMPLE_ARGS.get(kind, "x") + out[end + 1 :]
    return "/" + out


ROUTES = sorted(set(_routes(get_resolver())))
PRIVATE = [(name, _path(route)) for name, route in ROUTES if name not in PUBLIC]


def test_the_route_list_is_read_from_the_configuration():
    names = {name for name, _ in PRIVATE}
    assert {
        "home",
        "missions:mission_detail",
        "planner:run_accept",
        "roster:release_decide",
    } <= names
    assert len(PRIVATE) > 40


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), PRIVATE, ids=[name for name, _ in PRIVATE])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_sign_in(client, name, path, method):
    response = getattr(client, method)(path)
    if path.startswith(API_PREFIX):
        # 405 when the address never takes the method (ninja answers it before the token),
        # 404 for an address the API does not have (api:not_found).
        assert response.status_code in (401, 404, 405), f"{method.upper()} {path}"
        assert response["Content-Type"] == "application/problem+json"
        return
    assert response.status_code == 302, f"{method.upper()} {path} answered {response.status_code}"
    assert response["Location"].startswith(reverse("accounts:login")), response["Location"]


@pytest.mark.django_db
def test_admin_sends_anonymous_visitor_to_its_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
