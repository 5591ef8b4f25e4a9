"""What a list export is: the page it mirrors, who may have it, and how its rows are read.

A list's file holds exactly what its page lists with the same filters, across all pages: the
spec reads the page's query string with the page's own filter form and selector, as the person
who asked (docs/performance.md, "Exports": lists)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils.functional import Promise

from renfort.accounts.models import User
from renfort.lib.tabular import Cell, Sheet

# How many objects a query reads at a time while a file is written (prefetches included).
CHUNK = 500

RowsFor = Callable[[User, QueryDict], Sheet]
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class ListExport:
    """One list page that can be downloaded.

    ``name`` is the route's stem (``exports:<name>_file``) and the export's kind
    (``list.<name>``); ``page`` the list page's route; ``roles`` who may open that page;
    ``background``: whether the file grows with an organisation's or the network's history
    (prepared by a task) or is bounded by one person (a direct download)."""

    name: str
    title: str | Promise
    page: str
    roles: tuple[str, ...]
    sheet: RowsFor
    background: bool = True

    @property
    def kind(self) -> str:
        return f"list.{self.name}"


def names(items: Iterable[object]) -> str:
    """Related objects as one cell: their names, comma-separated."""
    return ", ".join(str(item) for item in items)


def org_name(org: object) -> str:
    """An organisation as the lists show it: its short name, else its name."""
    return str(getattr(org, "short_name", "") or getattr(org, "name", ""))


def chunked(qs: QuerySet[M]) -> Iterator[M]:
    """The rows of ``qs``, read ``CHUNK`` at a time (with their prefetches)."""
    return qs.iterator(chunk_size=CHUNK)


def sheet(
    title: str | Promise, headers: Iterable[str | Promise], rows: Iterable[Sequence[Cell]]
) -> Sheet:
    """A sheet with its title and headers in the active language."""
    return Sheet(title=str(title), headers=[str(h) for h in headers], rows=list(rows))
