"""The API's foundation: tokens sign in, errors are problems, lists come in pages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from renfort.api.models import ApiToken
from renfort.api.problems import MEDIA_TYPE
from renfort.api.testing import api_client, bearer, token_for
from renfort.api.tokens import token_hash, token_revoke
from renfort.testing import Personas

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organisations/"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == MEDIA_TYPE
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("http")
    assert body["instance"] == response.wsgi_request.path
    return body


def test_no_token_is_401_problem(personas: Personas):
    response = Client().get(ORGS)
    _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_and_malformed_tokens_are_401(personas: Personas):
    for value in ("Bearer rnf_00000000_nothing", "Bearer x", "Basic abc", "Bearer "):
        _problem(Client(headers={"Authorization": value}).get(ORGS), 401)


def test_a_token_reads_as_its_owner(personas: Personas):
    response = api_client(personas.member).get(ORGS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 5 and body["page"] == 1 and body["page_size"] == 50
    assert {"id", "name", "kind", "country", "region"} <= set(body["results"][0])


def test_the_secret_is_stored_only_as_its_hash(personas: Personas):
    secret = token_for(personas.member)
    token = ApiToken.objects.get()
    assert secret not in {token.hashed, token.prefix, token.name}
    assert token.hashed == token_hash(secret) and secret.startswith(f"rnf_{token.prefix}_")


def test_a_revoked_token_is_401(personas: Personas):
    secret = token_for(personas.member)
    client = Client(headers=bearer(secret))
    assert client.get(ORGS).status_code == 200
    token_revoke(token=ApiToken.objects.get(), by=personas.member)
    _problem(client.get(ORGS), 401)


def test_an_expired_token_is_401(personas: Personas):
    secret = token_for(personas.member, expires_days=1)
    client = Client(headers=bearer(secret))
    assert client.get(ORGS).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _problem(client.get(ORGS), 401)


def test_a_deactivated_owner_token_is_401(personas: Personas):
    client = api_client(personas.member)
    personas.member.is_active = False
    personas.member.save()
    _problem(client.get(ORGS), 401)


def test_last_used_is_noted_at_most_once_a_minute(personas: Personas, django_assert_num_queries):
    client = Client(headers=bearer(token_for(personas.member)))
    assert ApiToken.objects.get().last_used_at is None
    client.get(ORGS)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get(ORGS)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get(ORGS)
    latest = ApiToken.objects.get().last_used_at
    assert latest is not None and latest > first


def test_rate_limit_answers_429_with_retry_after(personas: Personas, settings):
    settings.API_RATE_LIMIT = "3/minute"
    client = api_client(personas.member)
    for _ in range(3):
        assert client.get(ORGS).status_code == 200
    response = client.get(ORGS)
    _problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 61
    # Another token of another person keeps its own count.
    assert api_client(personas.regional).get(ORGS).status_code == 200


def test_pages_are_bounded_and_bad_paging_is_422(personas: Personas):
    client = api_client(personas.secretariat)
    body = client.get(ORGS, {"page_size": 2, "page": 2}).json()
    assert len(body["results"]) == 2 and body["page"] == 2
    far = client.get(ORGS, {"page": 999}).json()
    assert far["results"] == [] and far["count"] == body["count"]
    problem = _problem(client.get(ORGS, {"page_size": 101}), 422)
    assert problem["errors"][0]["field"] == "page_size"
    problem = _problem(client.get(ORGS, {"page": "x"}), 422)
    assert problem["errors"][0]["field"] == "page"


def test_filters(personas: Personas):
    client = api_client(personas.member)
    body = client.get(ORGS, {"kind": "member", "region": "WCA"}).json()
    assert [o["name"] for o in body["results"]] == ["Senegal Customs"]
    assert client.get(ORGS, {"country": "ke"}).json()["count"] == 1
    _problem(client.get(ORGS, {"kind": "nonsense"}), 422)


def test_unknown_object_is_404_problem(personas: Personas):
    _problem(api_client(personas.member).get(f"{ORGS}999999/"), 404)


def test_wrong_method_is_405_problem(personas: Personas):
    response = api_client(personas.member).delete(ORGS)
    _problem(response, 405)
    assert "GET" in response["Allow"]


def test_the_root_says_where_to_start(client):
    body = client.get("/api/v1/").json()
    assert body["openapi"].endswith("/api/v1/openapi.json")


def test_openapi_documents_every_error(client):
    """Every operation declares 401 and 429, and 422 when it takes parameters or a body
    (ninja's validation, ``ObjectId`` bounds); every error is a problem."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "Problem" in schema["components"]["schemas"]
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            wanted = {"401", "429"}
            if operation.get("parameters") or operation.get("requestBody"):
                wanted.add("422")
            if not wanted <= codes:
                missing.append(f"{method.upper()} {path}: declare {sorted(wanted - codes)}")
            for code, answer in operation["responses"].items():
                if int(code) >= 400 and list(answer["content"]) != [MEDIA_TYPE]:
                    missing.append(f"{method.upper()} {path}: {code} is not a problem")
            if not operation.get("security"):
                missing.append(f"{method.upper()} {path}: no security")
    assert not missing, "\n".join(missing)


def test_the_docs_page_works_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "cdn" not in html.lower() and "<script>" not in html
    nonce = response.wsgi_request.csp_nonce
    assert f'nonce="{nonce}"' in html and f"'nonce-{nonce}'" in policy
    assert "data:" in policy.split("img-src", 1)[1].split(";", 1)[0]
    for src in ("ninja/swagger-ui-bundle.js", "api/swagger/start.js"):
        assert src in html


def test_an_unknown_address_is_a_404_problem_even_without_a_slash(personas: Personas):
    client = api_client(personas.member)
    assert "docs" in _problem(client.get("/api/v1/nothing/"), 404)["detail"]
    assert "slash" in _problem(client.post("/api/v1/requests"), 404)["detail"]


def test_a_server_error_is_a_problem_without_a_traceback(personas: Personas, monkeypatch):
    from renfort.api.routers import organisations

    def broken(filters):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(organisations, "organisations_filtered", broken)
    client = Client(raise_request_exception=False, headers=bearer(token_for(personas.member)))
    response = client.get(ORGS)
    body = _problem(response, 500)
    assert "secret internals" not in response.content.decode() and "Traceback" not in body["detail"]


def test_ids_and_dates_out_of_range_are_422_not_500(personas: Personas):
    client = api_client(personas.secretariat)
    assert _problem(client.get(f"{ORGS}{2**70}/"), 422)["errors"][0]["field"] == "pk"
    problem = _problem(client.get("/api/v1/requests/", {"organisation": 2**70}), 422)
    assert problem["errors"][0]["field"] == "organisation"
    problem = _problem(client.get("/api/v1/requests/", {"submitted_since": "0"}), 422)
    assert problem["errors"][0]["field"] == "submitted_since"


def test_a_post_to_an_unknown_address_needs_no_csrf_token(personas: Personas):
    client = Client(enforce_csrf_checks=True, headers=bearer(token_for(personas.member)))
    _problem(client.post("/api/v1/nothing/x,y/accept/"), 404)


def test_the_document_names_each_status_once(client) -> None:
    """Strict readers (YAML parsers, Swagger UI) refuse a status key written twice."""
    import json
    import re

    text = client.get("/api/v1/openapi.json").content.decode()
    json.loads(text, object_pairs_hook=_no_duplicates)
    assert re.search(r'"responses"', text)


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [k for k, _v in pairs]
    assert len(keys) == len(set(keys)), f"duplicated keys: {sorted(keys)}"
    return dict(pairs)


def test_a_nul_character_is_refused_naming_its_field(personas: Personas) -> None:
    """PostgreSQL refuses NUL in text: the API answers 422 before any query reads it."""
    from renfort.testing import table_state

    client = api_client(personas.member)
    response = client.get("/api/v1/organisations/", {"q": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"
    before = table_state()
    response = client.post(
        "/api/v1/requests/", '{"title": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"
    assert table_state() == before


def test_operations_with_a_body_document_the_unreadable_body(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for item in document["paths"].values():
        for operation in item.values():
            if "requestBody" in operation:
                assert "400" in operation["responses"], operation["operationId"]
