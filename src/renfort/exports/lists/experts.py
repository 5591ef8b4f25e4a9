"""The pool of experts (the experts list with its filters), as a file."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from renfort.accounts.models import Role, User
from renfort.exports.lists.base import ListExport, chunked, sheet
from renfort.lib.languages import language_name
from renfort.lib.tabular import Cell, Sheet
from renfort.roster.forms import ExpertFilterForm
from renfort.roster.models import Accreditation, Expert
from renfort.roster.selectors import experts_filtered

HEADERS = (
    _("Expert"),
    _("E-mail address"),
    _("Home administration"),
    _("Categories"),
    _("Topics (level 1–4)"),
    _("Languages"),
    _("Accreditation"),
    _("Released days per year"),
    _("Pool release"),
    _("Active"),
)


def _filtered(user: User, query: QueryDict) -> QuerySet[Expert]:
    """The experts list's query (``roster.selectors.experts_filtered``, as the page asks it)."""
    filters = ExpertFilterForm(query or None)
    return experts_filtered(user, filters.cleaned_data if filters.is_valid() else {})


def _accreditation(acc: Accreditation, today: datetime.date) -> str:
    state = acc.state_on(today)
    if state == "expired":
        shown = _g("Expired")
    elif state == "future":
        shown = _g("Not yet valid")
    else:
        shown = acc.get_status_display()
    until = (
        f" ({acc.granted_on.isoformat()} – {acc.expires_on.isoformat()})" if acc.expires_on else ""
    )
    return f"{acc.topic}: {shown}{until}"


def expert_rows(user: User, query: QueryDict) -> Sheet:
    """The experts list's rows; an e-mail address only where the page shows it (the
    secretariat, and a focal point for its own administration's experts)."""
    today = timezone.localdate()

    def row(e: Expert) -> list[Cell]:
        contact = user.role == Role.SECRETARIAT_COORDINATOR or (
            user.role == Role.MEMBER_FOCAL_POINT
            and e.home_administration_id == user.organisation_id
        )
        return [
            str(e),
            e.email if contact else "",
            str(e.home_administration),
            ", ".join(e.category_labels()),
            ", ".join(f"{s.topic} {s.level}" for s in e.skills.all()),
            ", ".join(language_name(code) for code in e.languages or ()),
            "; ".join(_accreditation(acc, today) for acc in e.accreditations.all()),
            e.released_days_per_year,
            e.get_release_status_display(),
            _g("Yes") if e.active else _g("No"),
        ]

    return sheet(_("Experts"), HEADERS, (row(e) for e in chunked(_filtered(user, query))))


EXPERTS = ListExport(
    name="experts",
    title=_("Experts"),
    page="roster:expert_list",
    roles=tuple(
        str(r)
        for r in (Role.SECRETARIAT_COORDINATOR, Role.REGIONAL_COORDINATOR, Role.MEMBER_FOCAL_POINT)
    ),
    sheet=expert_rows,
)
