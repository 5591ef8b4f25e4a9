"""Every list of the API comes in pages: ``?page=1&page_size=50`` (at most ``MAX_PAGE_SIZE``),
answered as ``{count, page, page_size, results}``. A page past the last is empty (``count``
still says how many there are)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field, create_model

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


class PageQuery(Schema):
    """The paging part of a list's query; a list's filters subclass it."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (1 to 100)."
    )


@cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The schema of a page of ``item`` (named ``<Item>Page`` in the OpenAPI document)."""
    model: type[Schema] = create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, Field(description="Items in the whole list (all pages).")),
        page=(int, ...),
        page_size=(int, ...),
        results=(list[item], ...),  # type: ignore[valid-type]
    )
    return model


def paginate(queryset: QuerySet[Any], query: PageQuery) -> dict[str, Any]:
    """One page of ``queryset`` (ordered by the caller: give it a total order, ending in the
    primary key). ``results`` holds the model instances; the operation's page schema reads
    them."""
    start = (query.page - 1) * query.page_size
    return {
        "count": queryset.count(),
        "page": query.page,
        "page_size": query.page_size,
        "results": list(queryset[start : start + query.page_size]),
    }
