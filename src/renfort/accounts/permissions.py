"""Role checks for views.

``role_required`` stands in front of a view: an anonymous visitor is sent to the login page,
a signed-in user of another role gets the 403 page. Organisation scoping (another party's
object answers 404) stays with the selectors, which know what each user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import resolve_url

from renfort.accounts.models import Role

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def has_role(user: Any, *roles: str) -> bool:
    """Whether ``user`` is signed in with one of ``roles``."""
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", "") in roles


def login_redirect(request: HttpRequest) -> HttpResponseBase:
    """Send an anonymous visitor to the login page and back.

    An htmx request (a session that expired behind an open page) gets ``HX-Redirect`` so the
    whole page goes to the login form instead of the form landing inside a fragment.
    """
    if request.headers.get("HX-Request") == "true":
        referer = request.headers.get("HX-Current-URL") or request.get_full_path()
        response = HttpResponse(status=204)
        response["HX-Redirect"] = redirect_to_login(referer)["Location"]
        return response
    return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))


def role_required(*roles: str | Role) -> Callable[[ViewFunc], ViewFunc]:
    """Let only signed-in users with one of ``roles`` through.

    Anonymous → redirect to login (with ``next``); another role → ``PermissionDenied`` (403).
    Also works on the ``dispatch`` of a class-based view via ``method_decorator``.
    """
    if not roles:
        raise ValueError("role_required needs at least one role")
    allowed = frozenset(str(role) for role in roles)

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return login_redirect(request)
            if getattr(user, "role", "") not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
