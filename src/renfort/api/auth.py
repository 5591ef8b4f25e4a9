"""Who calls the API: ``Authorization: Bearer <token>`` (a personal token, ``tokens.py``),
then a rate limit per token shared by every process (the Django cache, which the settings
make shared: the database cache table or Redis).

After ``TokenAuth`` the request carries the token's owner as ``request.user`` and
``request.auth``, so the operations call the same selectors and services as the pages, and the
field history (simple_history) names the owner as the author of each change.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from renfort.accounts.models import User
from renfort.api.problems import RateLimited
from renfort.api.tokens import token_authenticate

DEFAULT_RATE = "120/minute"
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


def rate_limit() -> tuple[int, int]:
    """``(requests, seconds)`` from ``settings.API_RATE_LIMIT`` (``"120/minute"``)."""
    text = str(getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE))
    match = RATE.match(text)
    if not match:
        raise ValueError(f"API_RATE_LIMIT: {text!r} is not like '120/minute'")
    return int(match.group(1)), PERIODS[match.group(2)]


def rate_check(key: str, *, now: float | None = None) -> None:
    """Count one request for ``key`` in the current fixed window; past the limit, raise
    ``RateLimited`` with the seconds until the window ends. The count lives in the shared
    cache, so every process counts together (on the database cache two processes may both
    read the same count and undercount by one; Redis counts exactly)."""
    limit, period = rate_limit()
    now = time.time() if now is None else now
    window = int(now // period)
    name = f"api-rate:{key}:{window}"
    cache.add(name, 0, timeout=period + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=period + 1)
        count = 1
    if count > limit:
        raise RateLimited(max(1, int((window + 1) * period - now) + 1))


def refuse_nul(request: HttpRequest) -> None:
    """A NUL character in a filter or a body: 422 naming it, before any query (PostgreSQL
    refuses NUL in text, and no Renfort text holds one)."""
    message = _("A text may not hold a NUL character.")
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise ValidationError({name.replace("\x00", ""): message})
    if request.method in {"POST", "PUT", "PATCH"} and (
        b"\\u0000" in request.body or b"\x00" in request.body
    ):
        try:
            body = json.loads(request.body)
        except ValueError:
            return  # not JSON: the operation answers 400
        raise ValidationError({_nul_field(body) or "body": message})


def _nul_field(value: Any, path: str = "") -> str:
    """The dotted name of the first text of a JSON body holding a NUL character."""
    if isinstance(value, str):
        return path if "\x00" in value else ""
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, item in items:
        found = _nul_field(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return ""


class TokenAuth(HttpBearer):
    """A personal API token in ``Authorization: Bearer``; anything else answers 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_authenticate(token)
        if found is None:
            return None
        rate_check(f"token:{found.pk}")
        refuse_nul(request)
        user: Any = found.owner
        request.user = user
        return user
