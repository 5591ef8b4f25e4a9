"""The results pages' figures, kept in the shared cache until their inputs change.

A party's figures (a region's ten years of missions, a donor's agreements, the year in
numbers) are aggregates over its whole history: a few hundred milliseconds of queries with ten
years of data. They are computed once, kept in the shared cache (the database's, or Redis:
docs/deploy.md) under a key naming the page, the party, what the viewer may see and the
language, and reused by every process until an input changes.

Inputs: every model the figures read (``receivers.INPUTS``). A save or delete of one of them
raises the results version (``results:version`` in the same cache) once its transaction
commits; every key carries the version, so the next reader computes afresh. Bulk writes send no
signal: the services write these models one by one (``save``); the demo builder, which writes
in bulk, clears the cache when it ends. ``RESULTS_CACHE_SECONDS`` bounds how long figures are
kept even when nothing changes (default ten minutes: "today" moves, and an input changed
outside Renfort, by hand in the database, shows after that at the latest); 0 turns the cache
off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from renfort.accounts.models import Role, User

T = TypeVar("T")
VERSION_KEY = "results:version"
DEFAULT_SECONDS = 600


def _seconds() -> int:
    return int(getattr(settings, "RESULTS_CACHE_SECONDS", DEFAULT_SECONDS))


def results_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def results_changed() -> None:
    """Raise the results version: every figure computed before is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (a new cache): the first reader starts one
        cache.add(VERSION_KEY, 2, None)


def results_changed_on_commit() -> None:
    """Raise the version once the current transaction commits (at once outside one)."""
    transaction.on_commit(results_changed, robust=True)


def viewer_scope(viewer: User) -> str:
    """What decides which missions the viewer may see (``missions_visible_to``)."""
    if viewer.role == Role.SECRETARIAT_COORDINATOR:
        return "all"
    expert = getattr(viewer, "expert", None) if viewer.role == Role.EXPERT else None
    return f"{viewer.role}:{viewer.organisation_id}:{expert.pk if expert else ''}"


def cached_figures(name: str, viewer: User | None, build: Callable[[], T]) -> T:
    """``build()``'s figures for page ``name`` as ``viewer`` sees them, from the cache when
    nothing they read has changed since they were computed."""
    seconds = _seconds()
    if seconds <= 0:
        return build()
    scope = viewer_scope(viewer) if viewer is not None else "all"
    key = (
        f"results:{results_version()}:{name}:{scope}:{translation.get_language() or ''}"
    ).replace(" ", "_")
    found = cache.get(key)
    if found is not None:
        return cast(T, found)
    figures = build()
    cache.set(key, figures, seconds)
    return figures
