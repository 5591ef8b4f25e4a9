"""Typing helpers for views."""

from __future__ import annotations

from django.http import HttpRequest

from renfort.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a signed-in Renfort user."""

    user: User
