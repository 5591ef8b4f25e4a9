"""What every signed-in request passes first: the session's time limits, then the second step
of signing in (docs/security.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.accounts.two_factor import SESSION_KEY, two_factor_pending

SIGNED_IN_AT = "renfort_signed_in_at"
LAST_SEEN = "renfort_last_seen"
# The idle clock is written back at most this often: one session write a minute, not one per
# request (the idle limit is then exact to within this many seconds).
LAST_SEEN_RESOLUTION_S = 60

Handler = Callable[[HttpRequest], HttpResponseBase]


@receiver(user_logged_in, dispatch_uid="renfort_session_start")
def _session_start(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Start the session's clocks and note whether a second step is still to be passed."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[SESSION_KEY] = two_factor_pending(user)


def _send_to(request: HttpRequest, url: str, *, api_status: int, detail: str) -> HttpResponseBase:
    """Send the person to ``url`` (back to this page afterwards); an htmx request gets
    ``HX-Redirect`` so the whole page goes there, the JSON API a status and a sentence."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=api_status)
    if request.headers.get("HX-Request") == "true":
        back = request.headers.get("HX-Current-URL") or request.get_full_path()
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"{url}?{urlencode({'next': back})}"
        return response
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


class SessionTimeoutMiddleware:
    """Sign out a session unused for ``SESSION_IDLE_TIMEOUT_S`` seconds, or older than
    ``SESSION_ABSOLUTE_TIMEOUT_S`` seconds, whatever its use; the person signs in again."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = int(session.get(SIGNED_IN_AT) or now)
            seen = int(session.get(LAST_SEEN) or now)
            if now - started > settings.SESSION_ABSOLUTE_TIMEOUT_S:
                return self._expired(request, absolute=True)
            if now - seen > settings.SESSION_IDLE_TIMEOUT_S:
                return self._expired(request, absolute=False)
            if SIGNED_IN_AT not in session:
                session[SIGNED_IN_AT] = started
            if now - seen >= LAST_SEEN_RESOLUTION_S or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)

    def _expired(self, request: HttpRequest, *, absolute: bool) -> HttpResponseBase:
        logout(request)
        if absolute:
            hours = settings.SESSION_ABSOLUTE_TIMEOUT_S // 3600
            text = _("You were signed in for more than %(hours)d hours: sign in again.") % {
                "hours": hours
            }
        else:
            minutes = settings.SESSION_IDLE_TIMEOUT_S // 60
            text = _(
                "You were signed out after %(minutes)d minutes without activity: sign in again."
            ) % {"minutes": minutes}
        messages.info(request, text)
        return _send_to(
            request, reverse("accounts:login"), api_status=401, detail=_("Sign in again.")
        )


# Pages open before the second step: the step itself, signing out, the language switch.
TWO_FACTOR_OPEN = {
    "accounts:two_factor_verify",
    "accounts:two_factor_enrol",
    "accounts:two_factor_codes",
    "accounts:logout",
    "accounts:set_language",
    "set_language",
}


class TwoFactorMiddleware:
    """Until a signed-in person has passed the second step that their account or role asks
    for, every page sends them to it (to verify a code, or to set up an authenticator)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated:
            session = request.session
            if SESSION_KEY not in session:  # a session from before two-factor sign-in existed
                session[SESSION_KEY] = two_factor_pending(user)
            pending = session[SESSION_KEY]
            if pending and not self._open(request):
                return self._to_step(request, pending)
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        from django.urls import Resolver404, resolve

        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
        if request.path.startswith(static):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in TWO_FACTOR_OPEN

    @staticmethod
    def _to_step(request: HttpRequest, pending: str) -> HttpResponseBase:
        name = "accounts:two_factor_verify" if pending == "verify" else "accounts:two_factor_enrol"
        return _send_to(
            request,
            reverse(name),
            api_status=403,
            detail=_("Pass the second step of signing in first."),
        )
