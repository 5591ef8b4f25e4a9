"""Helpers for views that need no app: the one htmx check."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent ``request`` (django-htmx middleware), for a partial of the same page."""
    return bool(getattr(request, "htmx", False))
