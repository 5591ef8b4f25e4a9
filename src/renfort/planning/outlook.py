"""What it would take to staff a mission, as pages read it: for each slot how many experts
qualify and how many of those are free (``supply``, at once), and the relaxations computed in
the background (``relaxations``, stored on ``MissionRelaxations`` per inputs fingerprint).

``mission_outlooks(ids)`` reads any number of missions in a fixed number of queries. The
fingerprint is a digest of what the mission asks (dates or window, language, distinct
countries, beneficiaries, slots and levels), its held slots, the day, and each slot's counts
(so that a change of the pool that matters to the mission, someone new or someone booked,
asks for new relaxations). ``relaxation_requests`` queues the computation.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from renfort.lib.messages import render
from renfort.missions.candidates import Pool
from renfort.missions.eligibility import Needs, needs_of
from renfort.missions.models import Assignment, Mission, Slot
from renfort.planning.models import MissionRelaxations, RelaxationsStatus
from renfort.planning.problem import missions_with_details
from renfort.planning.supply import Ask, Supply, supply


@dataclass
class SlotOutlook:
    slot: Slot
    needs: Needs
    held: bool
    supply: Supply

    @property
    def qualified(self) -> int:
        return len(self.supply.qualified)

    @property
    def free(self) -> int:
        return len(self.supply.free)


@dataclass
class Relaxation:
    """One way to staff the mission: its changes in the reader's language."""

    texts: list[str]
    experts: int


@dataclass
class Outlook:
    mission: Mission
    slots: list[SlotOutlook]
    fingerprint: str
    row: MissionRelaxations | None = None
    relaxations: list[Relaxation] = field(default_factory=list)

    @property
    def open(self) -> bool:
        """A slot is still open: relaxations are worth asking for."""
        return any(not s.held for s in self.slots)

    @property
    def computing(self) -> bool:
        return self.row is not None and self.row.status == RelaxationsStatus.COMPUTING

    @property
    def ready(self) -> bool:
        return self.row is not None and self.row.status == RelaxationsStatus.DONE


def fingerprint(mission: Mission, slots: Iterable[SlotOutlook], today: datetime.date) -> str:
    """A digest of everything the relaxations depend on that a page can read cheaply."""
    data = {
        "today": today,
        "mission": [
            mission.status,
            mission.start,
            mission.end,
            mission.window_start,
            mission.window_end,
            mission.duration_days,
            mission.language,
            mission.distinct_countries,
            mission.location,
            mission.type,
            sorted([b.pk, b.country] for b in mission.beneficiaries.all()),
        ],
        "slots": [
            [
                s.slot.pk,
                s.slot.category,
                sorted([str(k), v] for k, v in s.needs.levels.items()),
                s.held,
                s.qualified,
                s.free,
            ]
            for s in slots
        ],
    }
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _relaxations(row: MissionRelaxations) -> list[Relaxation]:
    return [
        Relaxation(
            texts=[str(render(c["code"], c.get("params") or {})) for c in r.get("changes", [])],
            experts=int(r.get("experts", 0)),
        )
        for r in row.relaxations
    ]


def mission_outlooks(
    ids: Iterable[int], *, today: datetime.date | None = None, pool: Pool | None = None
) -> dict[int, Outlook]:
    """Mission id → its outlook: nine queries, whatever the missions, slots and pool; three
    fewer with the ``pool`` a page has loaded for the missions' slots (``slots_pool``)."""
    today = today or timezone.localdate()
    missions = missions_with_details(ids)
    held: dict[int, set[int]] = defaultdict(set)
    for mission_id, slot_id in (
        Assignment.objects.active()
        .filter(slot__mission__in=missions)
        .values_list("slot__mission_id", "slot_id")
    ):
        held[mission_id].add(slot_id)
    pairs = []
    for mission in missions:
        beneficiaries = list(mission.beneficiaries.all())
        for slot in mission.slots.all():
            pairs.append((mission, slot, needs_of(slot, beneficiaries)))
    found = supply([Ask(m, n, slot_id=slot.pk) for m, slot, n in pairs], today=today, pool=pool)
    outlooks: dict[int, Outlook] = {
        m.pk: Outlook(mission=m, slots=[], fingerprint="") for m in missions
    }
    for (mission, slot, needs), counted in zip(pairs, found, strict=True):
        outlooks[mission.pk].slots.append(
            SlotOutlook(slot, needs, slot.pk in held[mission.pk], counted)
        )
    for outlook in outlooks.values():
        outlook.fingerprint = fingerprint(outlook.mission, outlook.slots, today)
    rows = MissionRelaxations.objects.filter(
        mission_id__in=list(outlooks), fingerprint__in=[o.fingerprint for o in outlooks.values()]
    )
    for row in rows:
        outlook = outlooks[row.mission_id]
        if row.fingerprint == outlook.fingerprint:
            outlook.row = row
            outlook.relaxations = _relaxations(row) if row.status == RelaxationsStatus.DONE else []
    return outlooks
