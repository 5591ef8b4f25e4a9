"""Typing helpers for views."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from renfort.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a signed-in Renfort user, and
    ``htmx`` tells whether htmx sent it (django-htmx middleware)."""

    user: User
    htmx: HtmxDetails
