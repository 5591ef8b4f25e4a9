"""Row locks for the writes that change an expert's commitments, always taken in one order.

The rules of an assignment read more than its own row: the expert's other assignments and
their missions' dates (overlap, travel days, yearly released days), the mission's other
assignments (slot taken, one slot per expert, countries), the release. A write therefore
locks what its rules read, in this order, and only then reads again and checks:

1. the experts concerned, by id;
2. the mission(s), by id;
3. their assignments, by id.

(Requests come after their missions: ``mission_transition`` moves them once it holds the
mission.) Taking the locks in one order means two writers never wait for each other in a
circle. A service may skip a level it does not need (``slot_add`` locks only the mission) but
never goes back up: once it holds a mission it locks no further expert. Services that call
other services lock everything first; the inner calls take the same locks again at no cost.

On PostgreSQL (READ COMMITTED) ``select_for_update`` waits for the holder and then returns the
row as committed, so what a service reads after locking is fresh: the rules are checked on the
objects these functions return, never on the caller's copies. On SQLite ``select_for_update``
does nothing; IMMEDIATE transactions (``config/settings.py``) serialise writers already.
Behind the locks, the busy-range exclusion constraint (``Assignment.busy_from``/``busy_to``,
migration ``missions/0005``) refuses a double booking on PostgreSQL whatever the code does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renfort.missions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    BUSY_CONSTRAINT,
    Assignment,
    Mission,
)
from renfort.roster.models import Expert


def lock_experts(ids: Iterable[int]) -> dict[int, Expert]:
    """Lock the experts ``ids`` (in id order); returns them fresh, by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    experts = (
        Expert.objects.select_for_update(of=("self",))
        .select_related("home_administration", "user")
        .filter(pk__in=wanted)
        .order_by("pk")
    )
    return {e.pk: e for e in experts}


def lock_mission(pk: int) -> Mission:
    """Lock one mission (after its experts); returns it fresh."""
    return Mission.objects.select_for_update().get(pk=pk)


def lock_assignments(
    *, pks: Iterable[int] = (), mission: Mission | None = None
) -> list[Assignment]:
    """Lock assignments (after their experts and missions), in id order: ``pks``, or the
    active ones of ``mission``. Returns them fresh, with their slot, mission and expert."""
    rows = Assignment.objects.select_for_update(of=("self",)).select_related(
        "slot__mission", "expert__user", "expert__home_administration"
    )
    if mission is not None:
        rows = rows.filter(slot__mission=mission, status__in=list(ACTIVE_ASSIGNMENT_STATUSES))
    else:
        rows = rows.filter(pk__in=sorted(set(pks)))
    return list(rows.order_by("pk"))


def mission_expert_ids(mission_pk: int) -> set[int]:
    """The experts holding an active assignment on the mission."""
    return set(
        Assignment.objects.filter(
            slot__mission_id=mission_pk, status__in=list(ACTIVE_ASSIGNMENT_STATUSES)
        ).values_list("expert_id", flat=True)
    )


def lock_assignment_commitments(
    pk: int, *, also: Iterable[int] = ()
) -> tuple[Assignment, dict[int, Expert]]:
    """Lock the assignment's expert (and the experts ``also``), its mission, then the
    assignment itself. Returns the fresh assignment and the locked experts by id.

    An assignment never changes expert or slot, so reading them before locking is safe."""
    expert_id, mission_id = Assignment.objects.values_list("expert_id", "slot__mission_id").get(
        pk=pk
    )
    experts = lock_experts([expert_id, *also])
    lock_mission(mission_id)
    (assignment,) = lock_assignments(pks=[pk])
    return assignment, experts


# Rounds of reading a mission's experts and locking them before giving up.
ATTEMPTS = 10


class _ExpertsChanged(Exception):
    """An expert joined the mission between reading its experts and locking the mission."""


def lock_mission_commitments(
    mission_pk: int, *, also: Iterable[int] = ()
) -> tuple[Mission, dict[int, Expert]]:
    """Lock every expert holding an active assignment on the mission (and the experts
    ``also``), then the mission. Returns the fresh mission and the locked experts by id.

    The mission's experts are read before the lock; if one joined in between (an assignment
    created meanwhile), the locks are given back (savepoint rollback) and taken again with the
    new set, so that no expert is ever locked after the mission. Once the mission is locked no
    expert can join it: ``assignment_create`` needs the mission's lock too.
    """
    extra = set(also)
    for _attempt in range(ATTEMPTS):
        ids = mission_expert_ids(mission_pk) | extra
        try:
            with transaction.atomic():
                experts = lock_experts(ids)
                mission = lock_mission(mission_pk)
                if not mission_expert_ids(mission_pk) <= ids:
                    raise _ExpertsChanged
        except _ExpertsChanged:
            continue
        return mission, experts
    raise ValidationError(
        _("The experts of mission %(mission)s keep changing; reload the page and try again.")
        % {"mission": Mission.objects.get(pk=mission_pk).reference}
    )


@contextmanager
def booking_refused(expert: Expert) -> Iterator[None]:
    """Run a write that books ``expert`` in a savepoint; if the database refuses it as a double
    booking (the busy-range exclusion constraint, PostgreSQL), refuse with a ValidationError
    naming the expert instead of failing with a 500."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if BUSY_CONSTRAINT not in str(exc):
            raise
        raise ValidationError(
            _("%(expert)s was booked on another mission at the same moment; reload and try again.")
            % {"expert": expert}
        ) from exc
