"""Many people submit or accept requests at the same moment: every one gets its own reference.

Threads (one connection each) start together at a barrier, ``ROUNDS`` times; see
``missions/tests/racing.py``.
"""

from __future__ import annotations

from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from renfort.assistance.models import Request, RequestStatus
from renfort.assistance.services import request_submit
from renfort.missions.models import Mission
from renfort.missions.tests.racing import ROUNDS, Rounds, race
from renfort.testing import Personas, make_personas, make_request, next_year, topic

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AT_ONCE = 5


@pytest.fixture
def p() -> Personas:
    return make_personas()


def test_simultaneous_submissions_each_get_a_reference(p: Personas) -> None:
    risk = topic("risk_management")
    rounds = Rounds()
    for n in range(ROUNDS):
        result = race(
            *(
                partial(
                    request_submit,
                    by=p.member,
                    title=f"Request {n}.{i}",
                    administrations=[p.admin_a],
                    topics=[risk],
                    level="operational",
                    needs="Targeting at the port.",
                    preferred_start=next_year(3, 1),
                    preferred_end=next_year(5, 31),
                    language="fr",
                )
                for i in range(AT_ONCE)
            )
        )
        rounds.record(result, successes=AT_ONCE)
    rounds.assert_clean()
    references = list(Request.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == ROUNDS * AT_ONCE


def test_simultaneous_accepts_each_make_a_mission(p: Personas) -> None:
    clients = []
    for _ in range(AT_ONCE):
        client = Client()
        client.force_login(p.secretariat)
        clients.append(client)
    rounds = Rounds()
    for _ in range(ROUNDS):
        waiting = [
            make_request(
                administrations=[p.admin_a],
                focal_point=p.member,
                status=RequestStatus.UNDER_APPRAISAL,
            )
            for _ in range(AT_ONCE)
        ]
        result = race(
            *(
                partial(c.post, reverse("assistance:request_accept", args=[r.pk]))
                for c, r in zip(clients, waiting, strict=True)
            )
        )
        rounds.record(result, successes=AT_ONCE)
        # A refused accept redirects too: count the missions made.
        answered = Mission.objects.filter(requests__in=waiting).count()
        rounds.expect(answered == AT_ONCE, "accept without mission", f"{answered}/{AT_ONCE}")
    rounds.assert_clean()
    references = list(Mission.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == ROUNDS * AT_ONCE
