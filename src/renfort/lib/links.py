"""Links put in notifications, resilient to a URL not (yet) being routed."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse


def link_to(name: str, *args: Any, fallback: str) -> str:
    """The path of URL ``name``; ``fallback`` when the name is not routed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback
