"""Every list page that can be downloaded as CSV or XLSX, with its filters applied
(docs/performance.md, "Exports": lists). ``LISTS`` maps a list's name to its spec; the export
kind of a list prepared in the background is ``list.<name>``."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from renfort.accounts.models import User
from renfort.exports.lists.agreements import AGREEMENTS, OBJECTIVES
from renfort.exports.lists.audit import AUDIT
from renfort.exports.lists.base import ListExport
from renfort.exports.lists.experts import EXPERTS
from renfort.exports.lists.missions import MISSIONS, MY_MISSIONS
from renfort.exports.lists.people import INBOX, PEOPLE
from renfort.exports.lists.planner_runs import PLANNER_RUNS
from renfort.exports.lists.requests import APPRAISAL, REQUESTS
from renfort.lib.tabular import Sheet, csv_bytes, xlsx_bytes

LISTS: dict[str, ListExport] = {
    spec.name: spec
    for spec in (
        REQUESTS,
        APPRAISAL,
        MISSIONS,
        MY_MISSIONS,
        EXPERTS,
        AGREEMENTS,
        OBJECTIVES,
        PEOPLE,
        INBOX,
        PLANNER_RUNS,
        AUDIT,
    )
}
KINDS = {spec.kind: spec for spec in LISTS.values()}
FORMATS = ("csv", "xlsx")
# A query string longer than this is not a page's filters.
QUERY_MAX = 2000


def may_download(user: User, spec: ListExport) -> bool:
    """Whether ``user`` may open the list's page (and so have its file)."""
    return bool(user.is_active) and getattr(user, "role", "") in spec.roles


def list_sheet(user: User, spec: ListExport, query: str) -> Sheet:
    """The list's rows as ``user`` sees them with the filters of ``query`` (a page's query
    string; its page number is ignored: the file holds every page). A person who may no
    longer open the page gets ``PermissionError``."""
    if not may_download(user, spec):
        raise PermissionError(spec.name)
    filters = QueryDict(query[:QUERY_MAX], mutable=True)
    filters.pop("page", None)
    return spec.sheet(user, filters)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def list_file(user: User, spec: ListExport, fmt: str, query: str) -> tuple[bytes, str, str]:
    """The list's file in ``fmt``: its bytes, its name and its content type."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    sheet = list_sheet(user, spec, query)
    content = csv_bytes([sheet]) if fmt == "csv" else xlsx_bytes([sheet])
    name = f"renfort-{spec.name.replace('_', '-')}-{timezone.localdate().isoformat()}.{fmt}"
    return content, name, CONTENT_TYPES[fmt]
