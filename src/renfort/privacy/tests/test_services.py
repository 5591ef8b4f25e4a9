"""The privacy services refuse what they must, naming why, and write nothing then."""

from __future__ import annotations

from typing import Any

from renfort.privacy.models import ErasureRequest, ErasureStatus
from renfort.privacy.services import erasure_approve, erasure_ask, erasure_refuse
from renfort.testing import Personas, refuses


def _requests() -> list[Any]:
    return list(ErasureRequest.objects.order_by("pk").values_list("pk", "status", "reason"))


def test_asking_needs_a_reason_and_the_right_person(personas: Personas) -> None:
    refuses(
        erasure_ask,
        text="Reason: required",
        field="reason",
        expert=personas.expert,
        by=personas.lender,
        reason="  ",
    )
    refuses(
        erasure_ask,
        text="Reason: at most 2000",
        field="reason",
        expert=personas.expert,
        by=personas.lender,
        reason="x" * 2001,
    )
    for user in (personas.outsider, personas.member, personas.regional, personas.donor):
        refuses(erasure_ask, text="You cannot ask", expert=personas.expert, by=user, reason="Why.")
    assert _requests() == []


def test_one_open_request_per_expert(personas: Personas) -> None:
    erasure_ask(expert=personas.expert, by=personas.lender, reason="She left.")
    before = _requests()
    refuses(
        erasure_ask,
        text="asked already",
        expert=personas.expert,
        by=personas.expert_user,
        reason="Me too.",
    )
    assert _requests() == before


def test_only_the_secretariat_decides_and_only_once(personas: Personas) -> None:
    erasure = erasure_ask(expert=personas.expert, by=personas.lender, reason="She left.")
    before = _requests()
    refuses(erasure_approve, text="Only the secretariat", erasure_id=erasure.pk, by=personas.lender)
    refuses(
        erasure_refuse,
        text="Reason: required",
        field="reason",
        erasure_id=erasure.pk,
        by=personas.secretariat,
        reason="",
    )
    assert _requests() == before
    erasure_refuse(erasure_id=erasure.pk, by=personas.secretariat, reason="Audit running.")
    after = _requests()
    refuses(erasure_approve, text="decided already", erasure_id=erasure.pk, by=personas.secretariat)
    assert _requests() == after
    assert after[0][1] == ErasureStatus.REFUSED


def test_an_erased_expert_cannot_be_asked_again(personas: Personas) -> None:
    erasure = erasure_ask(expert=personas.expert, by=personas.lender, reason="She left.")
    erasure_approve(erasure_id=erasure.pk, by=personas.secretariat)
    personas.expert.refresh_from_db()
    refuses(
        erasure_ask,
        text="erased already",
        expert=personas.expert,
        by=personas.secretariat,
        reason="Again.",
    )
