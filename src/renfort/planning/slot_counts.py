"""How many experts a slot would find while it is being defined on the mission's page: how
many qualify for its category and topic levels (with the mission's language and beneficiaries)
and how many of those are free in the mission's dates or window.

The counting is the one the outlook of a mission makes for its saved slots (``supply``:
``eligibility.qualified_experts`` in SQL, then ``availability_misses`` on the qualified
experts only), so the add-slot form and the outlook under the slots always agree. A fixed
number of queries whatever the pool: the mission's beneficiaries, the topics named, and the
three of ``supply``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from renfort.missions.eligibility import Needs
from renfort.missions.models import Mission
from renfort.planning.supply import Ask, supply
from renfort.roster.models import Topic


@dataclass(frozen=True)
class SlotCounts:
    """The experts a slot with these needs would find on its mission."""

    qualified: int
    free: int
    language: str  # the mission's, an ISO 639-1 code


def slot_counts(
    *,
    mission: Mission,
    category: str,
    requirements: Mapping[str, int],
    today: datetime.date | None = None,
) -> SlotCounts:
    """The counts for a slot of ``category`` asking ``requirements`` (topic code -> minimum
    level) on ``mission``. A topic code that names no topic leaves nobody qualified."""
    topics = dict(Topic.objects.filter(code__in=list(requirements)).values_list("code", "pk"))
    beneficiaries = list(mission.beneficiaries.all())
    # The needs a saved slot gets from ``eligibility.needs_of`` (its requirements rows), built
    # from the form's values instead.
    needs = Needs(
        category=category,
        language=mission.language,
        levels={topics.get(code, -1): level for code, level in requirements.items()},
        beneficiaries=frozenset(b.pk for b in beneficiaries),
        beneficiary_countries=frozenset(b.country for b in beneficiaries if b.country),
    )
    found = supply([Ask(mission, needs)], today=today)[0]
    return SlotCounts(len(found.qualified), len(found.free), mission.language)


class SlotNeedsForm(Protocol):
    """The add-slot form (``missions.forms.SlotForm``) as read here."""

    cleaned_data: dict[str, Any]

    def is_valid(self) -> bool: ...

    def requirements(self) -> dict[str, int]: ...


def slot_form_counts(mission: Mission, form: SlotNeedsForm) -> SlotCounts | None:
    """The counts for what the bound add-slot form holds so far (its valid fields: a topic
    row left blank or invalid asks nothing), or None before a category is chosen."""
    form.is_valid()
    category = form.cleaned_data.get("category")
    if not category:
        return None
    return slot_counts(mission=mission, category=category, requirements=form.requirements())
