"""Budget lines: together never more than the budget; each never below what is funded from it
or spent on it; removed only when nothing hangs on them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from renfort.agreements.models import AgreementStatus
from renfort.agreements.services import (
    agreement_fund_mission,
    budget_line_add,
    budget_line_remove,
    budget_line_update,
)
from renfort.agreements.services.budget import MAX_LINES
from renfort.agreements.tests.factories import funded_agreement
from renfort.testing import Personas, persona_mission, refuses

pytestmark = pytest.mark.django_db


def test_a_line_is_added_and_the_history_says_so(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas, budget="20000")
    line = budget_line_add(
        agreement=agreement, name=" Travel ", amount="2500.50", by=personas.secretariat
    )
    assert (line.name, line.amount, line.position) == ("Travel", Decimal("2500.50"), 3)
    change = agreement.history.filter(note_code="agreement.line_added").last()
    assert change is not None
    assert change.note_text == "Budget line “Travel” added: 2,500.50 EUR."


def test_the_lines_never_exceed_the_budget(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas)  # 10,000: 6,000 + 4,000
    refuses(
        budget_line_add,
        text=(
            f"Amount: the budget lines of {agreement.reference} would reach 10,000.01 EUR, "
            "over 10,000.00 EUR by 0.01 EUR."
        ),
        field="amount",
        agreement=agreement,
        name="Extra",
        amount="0.01",
    )


def test_raising_a_line_past_the_budget_is_refused(personas: Personas) -> None:
    _agreement, (experts, venues) = funded_agreement(personas)
    refuses(
        budget_line_update,
        text="would reach 11,000.00 EUR, over 10,000.00 EUR by 1,000.00 EUR",
        field="amount",
        line=experts,
        name=experts.name,
        amount="7000",
    )
    experts.refresh_from_db()
    assert experts.amount == Decimal("6000")
    lowered = budget_line_update(line=venues, name="Venues and catering", amount="3000")
    assert (lowered.name, lowered.amount) == ("Venues and catering", Decimal("3000"))


def test_a_line_stays_above_what_it_funds(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas)
    mission = persona_mission(personas)
    agreement_fund_mission(agreement=agreement, mission=mission, amount=5000, budget_line=experts)
    refuses(
        budget_line_update,
        text="Amount: 4,000.00 EUR is less than the missions funded from it (5,000.00 EUR).",
        field="amount",
        line=experts,
        name=experts.name,
        amount="4000",
    )
    refuses(
        budget_line_remove,
        text="funds missions or carries costs: move them to another line",
        line=experts,
    )


def test_names_are_unique_and_required(personas: Personas) -> None:
    agreement, _lines = funded_agreement(personas, budget="20000")
    refuses(
        budget_line_add,
        text="has a line “Venues” already",
        field="name",
        agreement=agreement,
        name="Venues",
        amount=1,
    )
    refuses(
        budget_line_add,
        text="Name: required.",
        field="name",
        agreement=agreement,
        name=" ",
        amount=1,
    )
    refuses(
        budget_line_add,
        text="Name: 201 characters, at most 200.",
        field="name",
        agreement=agreement,
        name="n" * 201,
        amount=1,
    )
    refuses(
        budget_line_add,
        text="Amount: -5 is negative.",
        field="amount",
        agreement=agreement,
        name="Other",
        amount=-5,
    )


def test_an_agreement_holds_a_bounded_number_of_lines(personas: Personas) -> None:
    agreement, _lines = funded_agreement(
        personas, lines=(), budget="1000", status=AgreementStatus.DRAFT
    )
    for i in range(MAX_LINES):
        budget_line_add(agreement=agreement, name=f"Line {i}", amount=0)
    refuses(
        budget_line_add,
        text=f"has {MAX_LINES} budget lines already",
        field="name",
        agreement=agreement,
        name="One more",
        amount=0,
    )


def test_an_unused_line_is_removed(personas: Personas) -> None:
    agreement, (_experts, venues) = funded_agreement(personas)
    budget_line_remove(line=venues, by=personas.secretariat)
    assert list(agreement.lines.values_list("name", flat=True)) == ["Expert missions"]
    assert agreement.history.filter(note_code="agreement.line_removed").exists()


def test_a_closed_agreement_keeps_its_lines(personas: Personas) -> None:
    agreement, (experts, _venues) = funded_agreement(personas, status=AgreementStatus.CLOSED)
    refuses(budget_line_add, text="is closed: reopen it", agreement=agreement, name="X", amount=1)
    refuses(budget_line_remove, text="is closed: reopen it", line=experts)


def test_a_line_removed_meanwhile_is_refused_clearly(personas: Personas) -> None:
    _agreement, (_experts, venues) = funded_agreement(personas)
    budget_line_remove(line=venues)
    refuses(budget_line_remove, text="was removed meanwhile; reload the page", line=venues)
    refuses(
        budget_line_update,
        text="was removed meanwhile; reload the page",
        line=venues,
        name="Venues",
        amount=1,
    )
