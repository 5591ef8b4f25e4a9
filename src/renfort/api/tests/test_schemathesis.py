"""The API against its own OpenAPI document (issue 13, "Done when"): schemathesis generates
requests for every operation of ``/api/v1/openapi.json`` (so a new router is fuzzed with no
change here) and sends each, through the Django WSGI application in the test database, with a
token of each role (secretariat, regional, member, donor, expert) on the permission file's
world (``config/tests/permission_world.py``). Path ids are the world's objects (one of the
right kind, so reads and writes reach real rows) as well as the generated ones (mostly 404).

Checked for every response: no server error; the status is one the operation documents; the
content type and the body match what it documents. Writes run against the world (each test
rolls back); a planner run gets the smallest time limit its schema allows.

Bounded: a few derandomized examples per operation, no shrinking, no deadline.
``SCHEMATHESIS_EXAMPLES=50 SCHEMATHESIS_COVERAGE=1`` (boundary and invalid values of every
parameter too) makes a longer, deeper run.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from renfort.api.main import api
from renfort.api.models import ApiToken
from renfort.api.problems import MEDIA_TYPE
from renfort.api.testing import token_for
from renfort.config.tests.permission_world import World, build_world

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
COVERAGE = os.environ.get("SCHEMATHESIS_COVERAGE", "") == "1"
ROLES = ("secretariat", "regional", "member", "donor", "expert")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# The world's object that a path's ``{pk}`` names, by the first part of the path that matches.
PATH_OBJECTS = (
    ("/results/objectives/", "objective"),
    ("/results/indicators/", "indicator"),
    ("/results/reports/", "report"),
    ("/results/missions/", "delivered_mission"),
    ("/agreements/", "agreement"),
    ("/requests/", "request"),
    ("/missions/", "mission"),
    ("/experts/", "expert"),
    ("/organisations/", "member_org"),
    ("/invitations/", "assignment"),
    ("/planner/", "run"),
    ("/tokens/", "api_token"),
)
# Body fields that bound how long a request runs: sent as small as the schema allows.
TIME_LIMIT = re.compile(r"time_limit|seconds|timeout", re.IGNORECASE)


def _schema() -> Any:
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    loaded = schemathesis.openapi.from_dict(document)
    loaded.config.generation.update(max_examples=EXAMPLES, deterministic=True, no_shrink=True)
    # The coverage phase (boundary and invalid values of every parameter, dozens of requests
    # an operation) runs when asked: SCHEMATHESIS_COVERAGE=1.
    loaded.config.phases.coverage.enabled = COVERAGE
    return loaded


schema = _schema()


class InProcess:
    """Django's WSGI application, called within the test's transaction: the connection is not
    closed at the start and end of each request (the test client does the same)."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.handler(environ, start_response)


@pytest.fixture
def wsgi_app(settings: Any) -> Iterator[InProcess]:
    settings.API_RATE_LIMIT = "1000000/minute"
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield InProcess()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def tokens(world: World) -> dict[str, str]:
    return {role: token_for(world.users[role]) for role in ROLES}  # type: ignore[arg-type]


def _world_pk(path: str, world: World) -> int | None:
    for prefix, key in PATH_OBJECTS:
        if prefix in path and key in world.objects:
            return int(world.objects[key].pk)
    return None


def _smallest(case: Any) -> None:
    """Time limits in a body at their minimum (a planner run must not run for long)."""
    if not isinstance(case.body, dict):
        return
    properties = (
        case.operation.definition.raw.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
    )
    for name in list(case.body):
        if TIME_LIMIT.search(name) and isinstance(case.body[name], (int, float)):
            case.body[name] = _minimum(properties, name)


def _minimum(body_schema: dict[str, Any], name: str) -> int:
    ref = body_schema.get("$ref", "")
    if ref:
        body_schema = schema.raw_schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    field = body_schema.get("properties", {}).get(name, {})
    return int(field.get("minimum", field.get("exclusiveMinimum", 0) + 1))


def _send(case: Any, app: InProcess, secret: str) -> None:
    response = case.call(app=app, headers={"Authorization": f"Bearer {secret}"})
    if response.status_code == 400 and _unreadable(case):
        # A body that is no JSON at all: ninja answers 400 before any operation runs (a problem,
        # not documented per operation: see the report to the lead).
        assert response.headers["content-type"][0].startswith(MEDIA_TYPE)
        return
    case.validate_response(response, checks=CHECKS)


def _unreadable(case: Any) -> bool:
    if not isinstance(case.body, (str, bytes)):
        return False
    try:
        json.loads(case.body)
    except ValueError:
        return True
    return False


def _ids(case: Any, world: World | None) -> None:
    """Path ids as integers (a generated non-integer id misses the API's routes altogether and
    gets the site's own 404); the world's object of the path's kind when ``world`` is given."""
    params = dict(case.path_parameters or {})
    for name, value in params.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            params[name] = 0
    if world is not None and "pk" in params:
        pk = _world_pk(case.path, world)
        if pk is not None:
            params["pk"] = pk
    case.path_parameters = params


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@hypothesis_settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_schema(
    case: Any, wsgi_app: InProcess, world: World, tokens: dict[str, str]
) -> None:
    """Each generated request as every role, on the generated ids and on the world's own."""
    _smallest(case)
    if case.path_parameters:
        _ids(case, None)
        _send(case, wsgi_app, tokens["secretariat"])
        _ids(case, world)
    for role in ROLES:
        _send(case, wsgi_app, tokens[role])


def test_the_served_document_is_the_one_fuzzed(client: Any) -> None:
    """What /api/v1/openapi.json serves is the document the fuzzing reads."""
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json()["paths"].keys() == schema.raw_schema["paths"].keys()
    assert settings.ROOT_URLCONF


def _every_operation(world: World) -> Iterator[Any]:
    """A case of each operation of the document, on the world's objects (no body: the token
    is checked before the body is read)."""
    for result in schema.get_all_operations():
        operation = result.ok()
        params = {p.name: 0 for p in operation.path_parameters}
        case = operation.Case(path_parameters=params, media_type="application/json")
        _ids(case, world)
        yield case


def test_an_expired_token_gets_the_documented_401_everywhere(
    wsgi_app: InProcess, world: World, tokens: dict[str, str]
) -> None:
    """401 is documented by every operation but no generated request carries a bad token."""
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for case in _every_operation(world):
        response = case.call(app=wsgi_app, headers={"Authorization": f"Bearer {tokens['member']}"})
        assert response.status_code == 401, case.path
        case.validate_response(response, checks=CHECKS)


def test_a_spent_rate_gets_the_documented_429_everywhere(
    wsgi_app: InProcess, world: World, tokens: dict[str, str], settings: Any
) -> None:
    """429 (with Retry-After) is documented by every operation; fuzzing runs unlimited."""
    settings.API_RATE_LIMIT = "1/minute"
    headers = {"Authorization": f"Bearer {tokens['donor']}"}
    for case in _every_operation(world):
        response = case.call(app=wsgi_app, headers=headers)
        if response.status_code != 429:  # the one request the minute allows
            continue
        assert int(response.headers["retry-after"][0]) >= 1, case.path
        case.validate_response(response, checks=CHECKS)
    assert response.status_code == 429
