"""Structured logs: one JSON object a line (docs/deploy.md, "Logs").

``LOG_FORMAT=json`` (the default when DEBUG is off) formats every record with ``JsonFormatter``:
time, level, logger, message, and the request's id when the record was written while serving
one. ``RequestLogMiddleware`` writes the access log: one ``renfort.request`` record per request
with its method, path, status and duration, and answers the request id in ``X-Request-ID``
(the proxy's own when it sent a well-formed one, so that both logs join).
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
access_log = logging.getLogger("renfort.request")
_WELL_FORMED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# What a record carries beside its message, copied to the line when present.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "worker", "task")


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC, ISO 8601), level, logger, message, the
    request id, the extra fields named in ``EXTRA_FIELDS``, and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            line["request_id"] = rid
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    """The access log, and the request id every record written meanwhile carries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _WELL_FORMED_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        began = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": rid,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - began) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


def logging_config(*, json_lines: bool, level: str) -> dict[str, Any]:
    """The LOGGING setting: everything to standard error, as JSON lines or plain text; the
    access log at INFO whatever the root level in JSON (what an operator reads); in plain
    text, as in development, the development server prints its own."""
    formatter = (
        {"()": "renfort.lib.logs.JsonFormatter"}
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "renfort.request": {"level": "INFO" if json_lines else "WARNING"},
            "renfort.worker": {"level": "INFO"},
            "renfort.operations": {"level": "INFO"},
            # The access log is ours: Django's own request warnings would say it twice.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "ERROR"},
            # gunicorn stops its logger from propagating: it gets the handler itself.
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }
