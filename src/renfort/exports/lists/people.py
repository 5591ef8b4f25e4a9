"""The People page's accounts (with its search) and a person's inbox, as files."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from renfort.accounts.inbox import notifications_for
from renfort.accounts.invitations import ACCOUNT_MANAGERS, ALL
from renfort.accounts.models import Role, User
from renfort.accounts.people_selectors import PEOPLE_ROLES, accounts_found, people_search
from renfort.exports.lists.base import ListExport, chunked, sheet
from renfort.lib.tabular import Cell, Sheet


def people_rows(user: User, query: QueryDict) -> Sheet:
    """The accounts the People page lists for ``q`` (each word in a name, username, e-mail
    address or organisation), by name."""
    accounts = accounts_found(user, people_search(query.get("q")))
    sees_all = ACCOUNT_MANAGERS.get(user.role) == ALL
    headers = [_("Name"), _("Username"), _("E-mail address"), _("Organisation")]
    if sees_all:
        headers.append(_("Kind of organisation"))
    headers += [_("Role"), _("Account")]

    def row(account: User) -> list[Cell]:
        org = account.organisation
        cells: list[Cell] = [str(account), account.username, account.email, str(org or "")]
        if sees_all:
            cells.append(org.get_kind_display() if org else "")
        return [
            *cells,
            account.get_role_display(),
            _g("Active") if account.is_active else _g("Deactivated"),
        ]

    return sheet(_("People"), headers, (row(a) for a in chunked(accounts)))


def inbox_rows(user: User, query: QueryDict) -> Sheet:
    """The person's notifications, newest first, in the reader's language; ``unread=1`` as on
    the inbox."""
    notifications = notifications_for(user, unread_only=query.get("unread") == "1")
    headers = (_("Sent on"), _("Subject"), _("Message"), _("Link"), _("Read on"))
    rows = (
        [
            timezone.localdate(n.created_at),
            n.subject_text,
            n.body_text,
            n.link,
            timezone.localdate(n.read_at) if n.read_at else None,
        ]
        for n in chunked(notifications)
    )
    return sheet(_("Notifications"), headers, rows)


PEOPLE = ListExport(
    name="people",
    title=_("People"),
    page="accounts:people",
    roles=tuple(str(r) for r in PEOPLE_ROLES),
    sheet=people_rows,
)
INBOX = ListExport(
    name="inbox",
    title=_("Notifications"),
    page="accounts:inbox",
    roles=tuple(Role.values),
    sheet=inbox_rows,
)
