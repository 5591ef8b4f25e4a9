"""Allowed status transitions, shared by requests, missions and assignments."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _


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
    options = sorted(str(labels.get(s, s)) for s in allowed.get(current, frozenset()))
    return _("%(what)s cannot go from %(current)s to %(target)s; allowed next: %(next)s.") % {
        "what": what,
        "current": labels.get(current, current),
        "target": labels.get(target, target),
        "next": ", ".join(options) if options else _("none (final status)"),
    }
