"""The experts list's selector: the pages' matching, and the API's (``exact``)."""

from __future__ import annotations

import pytest

from renfort.roster.selectors import experts_filtered
from renfort.testing import Personas, make_expert, topic

pytestmark = pytest.mark.django_db


def test_the_pages_and_the_api_match_as_before(personas: Personas):
    make_expert(home_administration=personas.admin_b, last_name="Upper", languages=("ES",))
    make_expert(home_administration=personas.admin_b, last_name="Two words", languages=("es",))
    user = personas.secretariat

    def names(data, *, exact=False):
        return [e.last_name for e in experts_filtered(user, data, exact=exact)]

    # The pages: a language whatever its case; the API: only as written.
    assert names({"language": "es"}) == ["Two words", "Upper"]
    assert names({"language": "es"}, exact=True) == ["Two words"]
    # The pages trim the search; the API takes it as given.
    assert names({"q": " lima "}) == ["Lima"]
    assert names({"q": " lima "}, exact=True) == []
    assert names({"q": "o w"}, exact=True) == ["Two words"]
    # A topic, as the page's form gives it or by its code (the API).
    assert names({"topic": topic("risk_management")}) == ["Lima", "Two words", "Upper"]
    assert names({"topic_code": "risk_management", "min_level": 4}, exact=True) == []
    assert names({"topic_code": "risk_management", "min_level": 3}, exact=True) == [
        "Lima",
        "Two words",
        "Upper",
    ]
