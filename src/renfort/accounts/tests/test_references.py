"""References come from a counter per prefix and year of creation (races: test_races.py in
assistance/tests)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from renfort.accounts.models import ReferenceCounter
from renfort.accounts.references import next_reference
from renfort.assistance.models import Request
from renfort.missions.models import Mission
from renfort.testing import make_request

pytestmark = pytest.mark.django_db


def test_the_year_is_the_year_of_creation() -> None:
    year = timezone.localdate().year
    assert next_reference(Request, "R") == f"R-{year}-001"
    assert next_reference(Request, "R") == f"R-{year}-002"
    assert next_reference(Mission, "M") == f"M-{year}-001"  # one counter per prefix
    assert ReferenceCounter.objects.get(prefix="R", year=year).last == 2


def test_a_new_counter_starts_after_the_references_already_written() -> None:
    year = timezone.localdate().year
    make_request(reference=f"R-{year}-041")
    make_request(reference=f"R-{year}-9")
    make_request(reference=f"R-{year - 1}-300")
    assert next_reference(Request, "R") == f"R-{year}-042"


def test_a_reference_written_by_other_means_is_not_drawn_again() -> None:
    year = timezone.localdate().year
    assert next_reference(Request, "R") == f"R-{year}-001"
    make_request(reference=f"R-{year}-002")
    assert next_reference(Request, "R") == f"R-{year}-003"


def test_a_new_year_starts_again_at_one() -> None:
    this_year = timezone.localdate().year
    next_reference(Request, "R")
    new_year = datetime.date(this_year + 1, 1, 1)
    with mock.patch("renfort.accounts.references.timezone.localdate", return_value=new_year):
        assert next_reference(Request, "R") == f"R-{this_year + 1}-001"
