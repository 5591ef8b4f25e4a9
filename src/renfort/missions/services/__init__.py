"""Writes about missions, their slots and the assignments that staff them, one module an entity.

Every service validates before it writes and refuses with a ``ValidationError`` whose
messages name the broken rule; a refused call writes nothing (each runs in one transaction).
"""

from renfort.missions.rules import assignment_problems
from renfort.missions.services.assignments import (
    assignment_create,
    assignment_pin,
    assignment_swap,
    assignment_transition,
)
from renfort.missions.services.availability import unavailability_add, unavailability_remove
from renfort.missions.services.editing import (
    mission_edit,
    mission_postpone,
    postpone_preview,
)
from renfort.missions.services.exclusions import slot_exclusion_add, slot_exclusion_remove
from renfort.missions.services.mission_status import mission_transition
from renfort.missions.services.missions import (
    mission_create,
    mission_from_requests,
    requests_accept,
    requests_merge,
)
from renfort.missions.services.offers import slot_offer_add, slot_offer_assign
from renfort.missions.services.releases import assignment_release_decide
from renfort.missions.services.schedule import (
    mission_set_dates,
    mission_set_planning_options,
)
from renfort.missions.services.slots import SlotSpec, slot_add, slot_remove

__all__ = [
    "SlotSpec",
    "assignment_create",
    "assignment_pin",
    "assignment_problems",
    "assignment_release_decide",
    "assignment_swap",
    "assignment_transition",
    "mission_create",
    "mission_edit",
    "mission_from_requests",
    "mission_postpone",
    "mission_set_dates",
    "mission_set_planning_options",
    "mission_transition",
    "postpone_preview",
    "requests_accept",
    "requests_merge",
    "slot_add",
    "slot_exclusion_add",
    "slot_exclusion_remove",
    "slot_offer_add",
    "slot_offer_assign",
    "slot_remove",
    "unavailability_add",
    "unavailability_remove",
]
