"""The secretariat's audit search, as a file: one line per field changed (the page's form and
search; the same cap as the page's last page)."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Role, User
from renfort.exports.lists.base import ListExport, sheet
from renfort.home import audit_views
from renfort.home.audit_views import AuditSearchForm
from renfort.lib.audit_trail import HistoryEntry, Search, search_history
from renfort.lib.tabular import Cell, Sheet

ACTIONS = {"created": _("created"), "deleted": _("deleted"), "changed": _("changed")}


def _lines(entry: HistoryEntry) -> list[list[Cell]]:
    at = timezone.localtime(entry.at)
    head: list[Cell] = [
        at.date(),
        at.strftime("%H:%M:%S"),
        entry.who,
        entry.what,
        str(ACTIONS.get(entry.kind, entry.kind)),
    ]
    if not entry.changes:
        return [[*head, "", "", ""]]
    return [[*head, c.name, c.before, c.after] for c in entry.changes]


def audit_rows(user: User, query: QueryDict) -> Sheet:
    """The changes the audit search finds for the query's filters (none when they are
    invalid, as on the page), newest first, as far as the page's last page goes."""
    form = AuditSearchForm(query or None)
    entries: list[HistoryEntry] = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        search = Search(
            kind=data.get("kind", ""),
            who=data.get("who", "").strip(),
            since=data.get("since"),
            until=data.get("until"),
            reference=data.get("reference", "").strip(),
        )
        entries = search_history(search, limit=audit_views.LAST_PAGE * audit_views.PAGE_SIZE)
    headers = (
        _("Date"),
        _("Time"),
        _("Changed by"),
        _("Object"),
        _("Change"),
        _("Field"),
        _("Before"),
        _("After"),
    )
    return sheet(_g("Audit trail"), headers, (line for e in entries for line in _lines(e)))


AUDIT = ListExport(
    name="audit",
    title=_("Audit trail"),
    page="audit_search",
    roles=(str(Role.SECRETARIAT_COORDINATOR),),
    sheet=audit_rows,
)
