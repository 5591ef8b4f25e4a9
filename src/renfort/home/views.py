"""The home page: the user's role, what waits for them and their latest unread notices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from renfort.accounts.http import AuthedRequest
from renfort.accounts.inbox import notifications_for
from renfort.home.selectors import waiting_for


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """What waits for the user, each item linked to where they act on it."""
    return render(
        request,
        "home/home.html",
        {
            "waiting": waiting_for(request.user),
            "latest_unread": list(notifications_for(request.user, unread_only=True)[:3]),
        },
    )
