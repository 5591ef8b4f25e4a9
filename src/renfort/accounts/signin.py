"""Sign-in protection: failed sign-ins counted per account and per address (django-axes),
the lockout page, and the secretariat's list of lockouts and its unlock.

django-axes records every failed sign-in (``AccessAttempt``: username, address, count, last
time). A sign-in is refused, even with the right password, while the account has failed
``AXES_FAILURE_LIMIT`` times, or its address ``SIGNIN_ADDRESS_FAILURE_LIMIT`` times (whatever
the accounts), within the cool-off (``AXES_COOLOFF_TIME``) before the last failure. The lock
lifts by itself when the cool-off has passed, or when the secretariat unlocks
(``lockout_release``).
"""

from __future__ import annotations

import datetime
import logging
import math
from dataclasses import dataclass
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renfort.accounts.models import Role, User

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str | None:
    """The address the request comes from.

    Without a trusted proxy (``RENFORT_TRUSTED_PROXIES = 0``) it is the connection's own
    ``REMOTE_ADDR``: any ``X-Forwarded-For`` is the client's word and is ignored. Behind N
    trusted proxies, each appends the address it received the request from, so the client is
    the N-th address from the right; what stands left of it is again the client's word.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = int(getattr(settings, "RENFORT_TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def cool_off() -> datetime.timedelta:
    value = settings.AXES_COOLOFF_TIME
    return value if isinstance(value, datetime.timedelta) else datetime.timedelta(minutes=30)


def _recent(since: datetime.datetime | None = None) -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(attempt_time__gte=since or timezone.now() - cool_off())


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class SignInAttemptHandler(AxesDatabaseHandler):
    """django-axes's database handler with a limit of its own for an address.

    Axes compares one count to one limit: the count of the address is scaled to the account's
    limit, so that ``SIGNIN_ADDRESS_FAILURE_LIMIT`` failures from an address weigh as much as
    ``AXES_FAILURE_LIMIT`` failures of one account.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        since = request.axes_attempt_time - cool_off()  # type: ignore[attr-defined]
        recent = _recent(since)
        username = get_client_username(request, credentials)
        account = _failures(recent.filter(username=username)) if username else 0
        address_ip = getattr(request, "axes_ip_address", None)
        address = _failures(recent.filter(ip_address=address_ip)) if address_ip else 0
        limit = int(settings.AXES_FAILURE_LIMIT)
        address_limit = max(1, int(settings.SIGNIN_ADDRESS_FAILURE_LIMIT))
        return max(account, address * limit // address_limit)


class TestClientLockoutBackend(AxesStandaloneBackend):
    """The tests' first backend: django-axes's, except that a call without a request (Django's
    test ``Client.login()``) goes on to the next backend instead of failing. Never in
    production settings: every sign-in page passes its request."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


# --- the lockout page ----------------------------------------------------------------------


def locked_until(*, username: str = "", ip_address: str | None = None) -> datetime.datetime | None:
    """When the lock on ``username`` or ``ip_address`` lifts by itself (the last failure plus
    the cool-off), or None if neither has failed recently."""
    recent = _recent()
    last = [
        recent.filter(**{field: value}).aggregate(t=Max("attempt_time"))["t"]
        for field, value in (("username", username), ("ip_address", ip_address))
        if value
    ]
    times = [t for t in last if t is not None]
    return max(times) + cool_off() if times else None


def lockout_message(until: datetime.datetime | None) -> str:
    """What the sign-in page says to someone locked out, in the active language."""
    if until is None:
        return _(
            "Too many failed sign-ins for this account or from this address: signing in is "
            "blocked for a while. Try again later, or ask the secretariat to unlock it."
        )
    left = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return ngettext(
        "Too many failed sign-ins for this account or from this address: signing in is "
        "blocked for %(minutes)d more minute (until %(time)s). Try again then, or ask the "
        "secretariat to unlock it.",
        "Too many failed sign-ins for this account or from this address: signing in is "
        "blocked for %(minutes)d more minutes (until %(time)s). Try again then, or ask the "
        "secretariat to unlock it.",
        left,
    ) % {"minutes": left, "time": formats.time_format(timezone.localtime(until), "H:i")}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The sign-in page again (HTTP 429) with the lockout message as its error: django-axes
    calls this when it refuses a sign-in (``AXES_LOCKOUT_CALLABLE``). The form is not bound:
    binding it would try the password once more."""
    username = get_client_username(request, credentials) or ""
    until = locked_until(username=username, ip_address=getattr(request, "axes_ip_address", None))
    form = AuthenticationForm(request, initial={"username": username})
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    form.cleaned_data = {}
    form.add_error(None, ValidationError(lockout_message(until), code="locked_out"))
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", ""), "locked_out": True},
        status=429,
    )


# --- the secretariat's list and unlock -----------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    """An account or an address that may not sign in now, and until when."""

    kind: str  # "account" or "address"
    value: str
    failures: int
    until: datetime.datetime


def lockouts() -> list[Lockout]:
    """The accounts and the addresses locked out now, the most recent first."""
    recent = _recent()
    limit = int(settings.AXES_FAILURE_LIMIT)
    address_limit = int(settings.SIGNIN_ADDRESS_FAILURE_LIMIT)
    found: list[Lockout] = []
    for kind, field, at_least in (
        ("account", "username", limit),
        ("address", "ip_address", address_limit),
    ):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(n__gte=at_least)
        )
        found += [
            Lockout(kind, str(row[field]), int(row["n"]), row["last"] + cool_off()) for row in rows
        ]
    return sorted(found, key=lambda x: x.until, reverse=True)


@transaction.atomic
def lockout_release(*, actor: User, kind: str, value: str) -> int:
    """Let an account (``kind="account"``, a username) or an address sign in again at once:
    its failed sign-ins are forgotten. Only the secretariat may."""
    if actor.role != Role.SECRETARIAT_COORDINATOR:
        raise ValidationError(_("Only the secretariat can unlock a sign-in."), code="forbidden")
    field = {"account": "username", "address": "ip_address"}.get(kind)
    if field is None or not value:
        raise ValidationError(_("Choose an account or an address to unlock."), code="unknown")
    count, _by_model = AccessAttempt.objects.filter(**{field: value}).delete()
    logger.warning("Sign-in unlocked by %s: %s %s", actor.username, kind, value)
    return int(count)
