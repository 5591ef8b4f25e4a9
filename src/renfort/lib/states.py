"""Allowed status transitions, shared by requests, missions and assignments."""

from __future__ import annotations

from collections.abc import Mapping


def transition_error(
    what: str,
    current: str,
    target: str,
    allowed: Mapping[str, frozenset[str]],
    labels: Mapping[str, str],
) -> str | None:
    """The message that refuses ``current -> target``, or None when the change is allowed."""
    if target in allowed.get(current, frozenset()):
        return None
    options = sorted(labels.get(s, s) for s in allowed.get(current, frozenset()))
    nexts = ", ".join(options) if options else "none (final status)"
    return (
        f"{what} cannot go from {labels.get(current, current)} to {labels.get(target, target)}; "
        f"allowed next: {nexts}."
    )
