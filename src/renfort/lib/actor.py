"""Who is changing data now, when no signed-in person is: a task, a command, or a person a
caller names (``acting_as``). Plain context variables, importable before Django is set up
(``renfort`` names each command it runs); ``lib/audit.py`` writes them into the field history.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ACTOR_MAX = 80

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("renfort_audit_actor", default="")
_user: contextvars.ContextVar[Any] = contextvars.ContextVar("renfort_audit_user", default=None)


def current_actor() -> str:
    """The task or command changing data now ("" when a person does)."""
    return _actor.get()


@contextmanager
def acting_as(who: Any) -> Iterator[None]:
    """Name who makes the changes inside the block: a user, or a text for tasks and commands
    (``"task:<name>"``, ``"command:<name>"``). Nested blocks win over outer ones."""
    if isinstance(who, str):
        tokens = (_actor.set(who[:ACTOR_MAX]), _user.set(None))
    else:
        tokens = (_actor.set(""), _user.set(who))
    try:
        yield
    finally:
        _user.reset(tokens[1])
        _actor.reset(tokens[0])
