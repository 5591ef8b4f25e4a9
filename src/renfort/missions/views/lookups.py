"""The experts lookup of a slot's assign, swap and exclude forms
(``SearchableSelect("slot_experts", params={"slot": pk})``, lib/widgets.py).

The whole active pool, searched by name as ``lookups:experts`` searches it for the secretariat,
with the experts whose profile fits the slot first (``eligibility.qualified_experts``: the pool
and profile rules in SQL, one subquery) and said to fit. The other rules (availability, the
crew, exclusions) are the service's to check when the expert is proposed. Twenty a page, a
name and the home administration, nothing else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renfort.accounts.http import AuthedRequest
from renfort.accounts.permissions import role_required
from renfort.lib.widgets import lookup_page
from renfort.missions.eligibility import needs_of, qualified_experts
from renfort.missions.models import Slot
from renfort.missions.views.common import SECRETARIAT
from renfort.roster.models import Expert


def _slot(value: Any) -> Slot | None:
    try:
        pk = int(str(value))
    except ValueError:
        return None
    return (
        Slot.objects.select_related("mission")
        .prefetch_related("requirements", "mission__beneficiaries")
        .filter(pk=pk)
        .first()
    )


@role_required(SECRETARIAT)
@require_GET
def slot_experts(request: AuthedRequest) -> HttpResponse:
    """``?slot=<id>&q=<text>&page=<n>``: active experts by name, those who fit the slot first."""
    experts = (
        Expert.objects.filter(active=True)
        .select_related("home_administration")
        .only("pk", "first_name", "last_name", "home_administration__name")
    )
    slot = _slot(request.GET.get("slot", ""))
    if slot is not None:
        fits = qualified_experts(needs_of(slot)).filter(pk=OuterRef("pk"))
        experts = experts.annotate(fits=Exists(fits)).order_by(
            "-fits", "last_name", "first_name", "pk"
        )
    else:
        experts = experts.order_by("last_name", "first_name", "pk")
    fit_words = _("fits the slot's profile")

    def text(expert: Expert) -> str:
        name = f"{expert.first_name} {expert.last_name} ({expert.home_administration.name})"
        return f"{name} · {fit_words}" if getattr(expert, "fits", False) else name

    return lookup_page(request, experts, "slot_experts", text)
