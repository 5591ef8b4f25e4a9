"""The health endpoint: 200 with one query when the database answers, 503 when it does not;
anonymous, no session, no redirect to HTTPS (the probe speaks plain HTTP behind the proxy)."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings

from renfort.lib.logs import JsonFormatter


@pytest.mark.django_db
def test_health_answers_ok_with_one_query(client: Client, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies  # no session, no CSRF cookie
    assert "no-cache" in response["Cache-Control"]
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_health_answers_503_when_the_database_fails(client: Client, monkeypatch) -> None:
    def broken(self, *args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_is_not_redirected_to_https(client: Client) -> None:
    assert client.get("/health/").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


@pytest.mark.django_db
def test_health_refuses_a_write(client: Client) -> None:
    assert client.post("/health/").status_code in {403, 405}


@pytest.mark.django_db
def test_each_request_writes_one_json_access_line(client: Client, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="renfort.request"):
        response = client.get("/health/", headers={"X-Request-ID": "probe-1234abcd"})
    assert response["X-Request-ID"] == "probe-1234abcd"
    (record,) = [r for r in caplog.records if r.name == "renfort.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "probe-1234abcd"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/health/", 200)
    assert line["level"] == "INFO" and line["logger"] == "renfort.request"
    assert line["duration_ms"] >= 0 and line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_an_ill_formed_request_id_is_replaced(client: Client) -> None:
    response = client.get("/health/", headers={"X-Request-ID": "<script>"})
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32


def test_json_lines_carry_the_exception() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed here" and "ValueError: boom" in line["exception"]
