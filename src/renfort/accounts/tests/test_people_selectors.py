"""The People page's search, shared by the page and its file."""

from __future__ import annotations

import pytest

from renfort.accounts.people_selectors import SEARCH_MAX, accounts_found, people_search
from renfort.testing import Personas

pytestmark = pytest.mark.django_db


def test_the_search_is_trimmed_and_cut():
    assert people_search(None) == ""
    assert people_search("  ana  ") == "ana"
    assert len(people_search("x" * (SEARCH_MAX + 10))) == SEARCH_MAX


def test_each_word_narrows_the_accounts(personas: Personas):
    everyone = list(accounts_found(personas.secretariat, ""))
    assert personas.lender in everyone and personas.donor in everyone
    found = list(
        accounts_found(personas.secretariat, f"{personas.lender.username} {personas.admin_b.name}")
    )
    assert found == [personas.lender]
    assert list(accounts_found(personas.donor, personas.lender.username)) == []
