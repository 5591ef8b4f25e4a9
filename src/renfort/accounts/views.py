from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from renfort.accounts.selectors import waiting_for
from renfort.lib.http import AuthedRequest


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """The user's role and what waits for them."""
    return render(request, "accounts/home.html", {"waiting": waiting_for(request.user)})
