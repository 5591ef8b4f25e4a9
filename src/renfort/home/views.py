"""The home page: the user's figures and charts, what waits for them, their latest unread
notices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from renfort.accounts.http import AuthedRequest
from renfort.accounts.inbox import notifications_for
from renfort.home.selectors import home_page


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """The role's few figures and charts, each linked to the list it counts, then what waits
    for the user, each item linked to where they act on it."""
    page = home_page(request.user)
    return render(
        request,
        "home/home.html",
        {
            "figures": page.figures,
            "charts": page.charts,
            "waiting": page.waiting,
            "latest_unread": list(notifications_for(request.user, unread_only=True)[:3]),
        },
    )
