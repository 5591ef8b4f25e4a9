"""What the missions' views share: roles and pagination. The experts offered in the assign,
swap and offer forms come from ``missions.candidates``."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator

from renfort.accounts.http import AuthedRequest
from renfort.accounts.models import Role

ALL_ROLES = tuple(Role.values)
SECRETARIAT = Role.SECRETARIAT_COORDINATOR
PAGE_SIZE = 50


def paginate(request: AuthedRequest, qs: Any, count: int | None = None) -> Page[Any]:
    """A page of ``qs``; ``count``, when the caller has it already, spares the COUNT query."""
    paginator = Paginator(qs, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property, set ahead
    return paginator.get_page(request.GET.get("page"))
