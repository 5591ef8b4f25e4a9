"""Two coordinators of one region answer the same consultation at the same moment: one answer
is kept, the other is refused with a message (threads with their own connections, released
together at a barrier; see ``missions/tests/racing.py``)."""

from __future__ import annotations

from functools import partial

import pytest

from renfort.accounts.models import Role
from renfort.assistance.consultation_services import consultation_answer, consultation_ask
from renfort.assistance.models import ConsultationAnswer, Opinion, RequestStatus
from renfort.missions.tests.racing import ROUNDS, Rounds, race
from renfort.testing import Personas, make_personas, make_request, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def p() -> Personas:
    return make_personas()


def test_two_coordinators_answer_one_consultation_at_once(p: Personas) -> None:
    colleague = make_user(Role.REGIONAL_COORDINATOR, p.regional_office, username="colleague")
    rounds = Rounds()
    for n in range(ROUNDS):
        req = make_request(
            administrations=[p.admin_a], focal_point=p.member, status=RequestStatus.SUBMITTED
        )
        consultation = consultation_ask(
            request=req, by=p.secretariat, question=f"Opinion on round {n}?"
        )
        result = race(
            partial(
                consultation_answer,
                consultation=consultation,
                by=p.regional,
                opinion=Opinion.SUPPORT,
            ),
            partial(
                consultation_answer,
                consultation=consultation,
                by=colleague,
                opinion=Opinion.OPPOSE,
                comment="Not this year.",
            ),
        )
        rounds.record(result, successes=1, names="has already given its opinion")
        kept = ConsultationAnswer.objects.filter(consultation=consultation).count()
        rounds.expect(kept == 1, "answers kept", str(kept))
    rounds.assert_clean()
