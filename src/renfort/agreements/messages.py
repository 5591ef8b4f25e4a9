"""What the agreement services write in an agreement's history (``lib.messages``).

Parameters: ``mission`` a mission reference, ``line`` a budget line's name, ``title`` a
document's title, ``amount`` ``[amount, currency]`` (the amount as a decimal string),
``fields`` the codes of the terms that changed (``TERMS``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renfort.lib.messages import DASH, TEXT, Param, register

# The terms of an agreement a change can touch, by code.
TERMS = {
    "title": _("title"),
    "kind": _("kind"),
    "period": _("period"),
    "budget": _("budget"),
    "currency": _("currency"),
    "description": _("description"),
    "parties": _("parties"),
}


def money(amount: Decimal | int | str, currency: str) -> str:
    """``1,250.50 EUR`` / ``1 250,50 EUR``: an amount in the reader's locale."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return f"{amount} {currency}"
    return f"{formats.number_format(value, 2, use_l10n=True, force_grouping=True)} {currency}"


def _amount(value: Any) -> str:
    if not value:
        return DASH
    amount, currency = value
    return money(amount, str(currency))


def _fields(value: Any) -> str:
    return ", ".join(str(TERMS.get(code, code)) for code in value or ()) or gettext("nothing")


AMOUNT = Param(_amount, ["1250.50", "EUR"])
FIELDS = Param(_fields, ["budget", "period"])


def amount_param(amount: Decimal, currency: str) -> list[str]:
    """The stored value of an ``AMOUNT`` parameter."""
    return [str(amount), currency]


register("agreement.terms_changed", body=_("Terms changed: %(fields)s."), fields=FIELDS)
register(
    "agreement.line_added",
    body=_("Budget line “%(line)s” added: %(amount)s."),
    line=TEXT,
    amount=AMOUNT,
)
register(
    "agreement.line_changed",
    body=_("Budget line “%(line)s” set to %(amount)s."),
    line=TEXT,
    amount=AMOUNT,
)
register("agreement.line_removed", body=_("Budget line “%(line)s” removed."), line=TEXT)
register(
    "agreement.mission_funded",
    body=_("Mission %(mission)s funded: %(amount)s from “%(line)s”."),
    mission=TEXT,
    amount=AMOUNT,
    line=TEXT,
)
register(
    "agreement.funding_removed",
    body=_("Funding of mission %(mission)s removed."),
    mission=TEXT,
)
register(
    "agreement.cost_recorded",
    body=_("Actual cost of mission %(mission)s recorded on “%(line)s”: %(amount)s."),
    mission=TEXT,
    line=TEXT,
    amount=AMOUNT,
)
register("agreement.document_added", body=_("Document “%(title)s” added."), title=TEXT)
