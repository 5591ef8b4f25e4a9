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


def paginate(request: AuthedRequest, qs: Any) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
