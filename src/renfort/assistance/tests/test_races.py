"""Many people submit or accept requests at the same moment: every one gets its own reference;
a member changes or withdraws a request while the secretariat accepts it: one comes first.

Threads (one connection each) start together at a barrier, ``ROUNDS`` times; see
``missions/tests/racing.py``.
"""

from __future__ import annotations

from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from renfort.assistance.change_services import request_update, request_withdraw
from renfort.assistance.models import Request, RequestStatus
from renfort.assistance.services import request_submit
from renfort.missions.models import Mission
from renfort.missions.services import requests_accept
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
                partial(
                    c.post, reverse("assistance:request_accept", args=[r.pk]), {"confirmed": "yes"}
                )
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


def _waiting(p: Personas) -> Request:
    return make_request(
        administrations=[p.admin_a],
        focal_point=p.member,
        status=RequestStatus.UNDER_APPRAISAL,
        title="Before the change",
    )


def test_a_withdrawal_racing_an_accept_never_leaves_a_withdrawn_request_with_a_mission(
    p: Personas,
) -> None:
    rounds = Rounds()
    outcomes = set()
    for _ in range(ROUNDS):
        req = _waiting(p)  # both read it before either writes
        result = race(
            partial(request_withdraw, request=req, by=p.member, reason="No longer needed."),
            partial(requests_accept, requests=[req], by=p.secretariat),
        )
        rounds.record(result, successes=1, names=req.reference)
        req.refresh_from_db()
        missions = Mission.objects.filter(requests=req).count()
        outcomes.add(req.status)
        rounds.expect(
            (req.status, missions) in {(RequestStatus.WITHDRAWN, 0), (RequestStatus.ACCEPTED, 1)},
            "forbidden request state",
            f"{req.reference}: {req.status} with {missions} mission(s)",
        )
        steps = list(req.history.values_list("to_status", flat=True))
        rounds.expect(steps == [req.status], "history", f"{req.reference}: {steps}")
    rounds.assert_clean()
    assert outcomes <= {RequestStatus.WITHDRAWN, RequestStatus.ACCEPTED}


def test_a_change_racing_an_accept_lands_before_it_or_is_refused(p: Personas) -> None:
    rounds = Rounds()
    for _ in range(ROUNDS):
        req = _waiting(p)
        change = partial(
            request_update,
            request=req,
            by=p.member,
            title="After the change",
            administrations=[p.admin_a],
            topics=list(req.topics.all()),
            level=req.level,
            needs=req.needs,
            preferred_start=req.preferred_start,
            preferred_end=req.preferred_end,
            language=req.language,
            priority=req.priority,
        )
        result = race(change, partial(requests_accept, requests=[req], by=p.secretariat))
        rounds.record(result, successes=None, names=req.reference)
        changed, accepted = (not isinstance(r, BaseException) for r in result.results)
        rounds.expect(accepted, "accept refused", str(result.results[1]))
        req.refresh_from_db()
        mission = Mission.objects.filter(requests=req).first()
        # A change that went through came first: the mission was made from the changed request.
        expected = "After the change" if changed else "Before the change"
        rounds.expect(req.title == expected, "lost change", f"{req.reference}: {req.title}")
        rounds.expect(
            mission is not None and mission.title == expected,
            "mission made from a stale request",
            f"{req.reference}: {mission.title if mission else None}",
        )
    rounds.assert_clean()
