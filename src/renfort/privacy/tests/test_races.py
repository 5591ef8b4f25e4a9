"""Two secretariat coordinators decide the same erasure at the same moment: one decision.

On PostgreSQL the expert's row lock, then the request's, serialise the two; on SQLite the
IMMEDIATE transactions do (``missions/tests/racing.py``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from renfort.accounts.models import Role, User
from renfort.missions.tests.racing import race
from renfort.privacy.erasure import pseudonym
from renfort.privacy.models import ErasureStatus
from renfort.privacy.services import erasure_approve, erasure_ask, erasure_refuse
from renfort.roster.models import Expert
from renfort.testing import Personas, make_expert, make_personas, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROUNDS = 5


def _rounds(p: Personas, second_call: Callable[..., object], second: User) -> None:
    for _ in range(ROUNDS):
        expert = make_expert(home_administration=p.admin_b, last_name="Racer")
        erasure = erasure_ask(expert=expert, by=p.lender, reason="She left.")
        result = race(
            partial(erasure_approve, erasure_id=erasure.pk, by=p.secretariat),
            partial(second_call, erasure_id=erasure.pk, by=second),
        )
        assert not result.unexpected, result.unexpected
        assert (len(result.successes), len(result.refusals)) == (1, 1)
        assert "decided already" in " ".join(result.refusals[0].messages)
        erasure.refresh_from_db()
        erased = str(Expert.objects.get(pk=expert.pk)) == pseudonym(expert.pk)
        assert erased == (erasure.status == ErasureStatus.APPROVED)


def test_two_approvals_at_once_erase_once() -> None:
    p = make_personas()
    _rounds(p, erasure_approve, make_user(Role.SECRETARIAT_COORDINATOR, p.secretariat_org))


def test_an_approval_and_a_refusal_at_once_make_one_decision() -> None:
    p = make_personas()
    refuse = partial(erasure_refuse, reason="Audit running.")
    _rounds(p, refuse, make_user(Role.SECRETARIAT_COORDINATOR, p.secretariat_org))
