"""Dates read from the address: any value answers the page with a clear message, never a 500.

Review found ``/missions/timeline/?period_from=9999-12-31`` answering 500 to any signed-in
user. Every list filter and calendar that reads a date from the address is tried here with
dates out of the accepted range (docs/rules.md, "Bounds on input"), impossible dates and text.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.testing import Personas

PAGES = [
    ("missions:mission_list", "period_from"),
    ("missions:mission_list", "period_to"),
    ("missions:matrix", "period_from"),
    ("missions:matrix", "period_to"),
    ("calendars:timeline", "period_from"),
    ("calendars:timeline", "period_to"),
    ("calendars:calendar", "month"),
    ("agreements:agreement_list", "active_on"),
]
BAD = ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01", "2026-13-45", "soon"]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "param"), PAGES)
@pytest.mark.parametrize("value", BAD)
def test_a_bad_date_in_the_address_gets_a_message_not_an_error(
    client, personas: Personas, name: str, param: str, value: str
):
    client.force_login(personas.secretariat)
    response = client.get(reverse(name), {param: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html or "messages" in html, f"{name}?{param}={value}: no message shown"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert_user", "member", "donor", "regional"])
def test_the_timeline_takes_any_date_from_any_role(client, personas: Personas, role: str):
    client.force_login(getattr(personas, role))
    for value in ("9999-12-31", "0001-01-01"):
        response = client.get(reverse("calendars:timeline"), {"period_from": value})
        assert response.status_code == 200
