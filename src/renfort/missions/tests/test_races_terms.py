"""Terms of reference at the same moment as other writes: two focal points of one
administration confirm at once (one confirmation is kept, the other refused); a focal point
confirms while the secretariat moves the dates (the mission is confirmed only on terms that
were confirmed as they stand). Threads with their own connections, released together."""

from __future__ import annotations

import datetime
from functools import partial

import pytest
from django.core.exceptions import ValidationError

from renfort.accounts.models import Role
from renfort.missions.models import AssignmentStatus, Mission, MissionStatus
from renfort.missions.services import mission_set_dates, mission_transition
from renfort.missions.services.terms import terms_confirm
from renfort.missions.terms import terms_of, unconfirmed
from renfort.missions.terms_models import TermsConfirmation
from renfort.missions.tests.racing import ROUNDS, Rounds, race
from renfort.roster.models import ReleaseStatus
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_personas,
    make_user,
    next_year,
    persona_mission,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _mission(p: Personas, start: datetime.date) -> Mission:
    mission = persona_mission(p, start=start, status=MissionStatus.SCHEDULED)
    make_assignment(
        mission.slots.get(),
        make_expert(home_administration=p.admin_b),
        status=AssignmentStatus.ACCEPTED,
        release_status=ReleaseStatus.GRANTED,
        busy=True,
    )
    return mission


def test_two_focal_points_confirm_the_same_version_at_once(p: Personas) -> None:
    colleague = make_user(Role.MEMBER_FOCAL_POINT, p.admin_a, username="colleague")
    rounds = Rounds()
    for n in range(ROUNDS):
        mission = _mission(p, next_year(2, 1) + datetime.timedelta(days=10 * n))
        result = race(
            partial(terms_confirm, mission=mission, by=p.member),
            partial(terms_confirm, mission=mission, by=colleague),
        )
        rounds.record(result, successes=1, names="has already confirmed this version")
        kept = TermsConfirmation.objects.filter(mission=mission).count()
        rounds.expect(kept == 1, "confirmations kept", str(kept))
    rounds.assert_clean()


def test_confirming_the_terms_while_the_dates_move(p: Personas) -> None:
    rounds = Rounds()
    for n in range(ROUNDS):
        start = next_year(2, 1) + datetime.timedelta(days=10 * n)
        mission = _mission(p, start)
        moved = start + datetime.timedelta(days=3)
        result = race(
            partial(terms_confirm, mission=mission, by=p.member),
            partial(
                mission_set_dates,
                mission=mission,
                start=moved,
                end=moved + datetime.timedelta(days=4),
                by=p.secretariat,
            ),
        )
        rounds.record(result, successes=2)
        fresh = Mission.objects.get(pk=mission.pk)
        # Whatever the order, the confirmation is of the terms before or after the move,
        # and counts only if it is of the terms as they stand now.
        confirmed = list(TermsConfirmation.objects.filter(mission=mission))
        current = terms_of(fresh)
        stands = any(c.fingerprint == current.fingerprint for c in confirmed)
        rounds.expect(stands == (not unconfirmed(current)), "standing", fresh.reference)
        if not stands:
            try:
                mission_transition(mission=fresh, to_status=MissionStatus.CONFIRMED)
            except ValidationError as exc:  # refused: the terms of the new dates are not confirmed
                rounds.expect("not confirmed by" in str(exc), "refusal", str(exc)[:200])
            else:
                rounds.expect(False, "confirmed on stale terms", fresh.reference)
    rounds.assert_clean()
