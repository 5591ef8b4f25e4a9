"""``JSONListHas`` finds a string among a JSON list's elements, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db.models import F

from renfort.lib.json_lists import JSONListHas
from renfort.roster.models import Expert
from renfort.testing import make_expert


@pytest.mark.django_db
def test_an_element_is_found_and_a_part_of_one_is_not() -> None:
    both = make_expert(languages=("fr", "en"))
    spanish = make_expert(languages=("es",))
    assert set(Expert.objects.filter(JSONListHas(F("languages"), "fr"))) == {both}
    assert set(Expert.objects.exclude(JSONListHas(F("languages"), "fr"))) == {spanish}
    assert not Expert.objects.filter(JSONListHas(F("languages"), "f")).exists()
    assert not Expert.objects.filter(JSONListHas(F("languages"), '"fr"')).exists()
