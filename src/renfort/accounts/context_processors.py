from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from renfort.accounts.inbox import unread_count
from renfort.accounts.invitations import ACCOUNT_MANAGERS


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's role (for the menu) and their unread notification count.

    ``nav_unread`` is a cached callable, which templates call when they resolve it: at most
    one COUNT query per response, and none on a page that does not show it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": "", "nav_unread": 0, "nav_people": False}
    return {
        "nav_role": getattr(user, "role", ""),
        # The People page: the roles that see accounts (``ACCOUNT_MANAGERS``).
        "nav_people": getattr(user, "role", "") in ACCOUNT_MANAGERS,
        "nav_unread": cache(lambda: unread_count(user)),
    }
