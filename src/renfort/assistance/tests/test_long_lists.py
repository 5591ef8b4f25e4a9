"""Long lists of requests: the list, the appraisal queue and a request's duplicates weigh the
same (queries and HTML) whatever the number of requests (docs/ui.md, "Long lists")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.assistance.models import RequestStatus
from renfort.missions.tests.growth import assert_same_weight, weigh
from renfort.testing import Personas, make_request

pytestmark = pytest.mark.django_db


def _requests(p: Personas, n: int, status: str = RequestStatus.SUBMITTED) -> list:
    # The same administration, topic and period: each one a possible duplicate of the others.
    return [
        make_request(administrations=[p.admin_a], focal_point=p.member, status=status)
        for _ in range(n)
    ]


@pytest.mark.parametrize("persona", ["secretariat", "member"])
def test_the_requests_list_weighs_one_page_whatever_the_requests(client, personas, persona):
    client.force_login(getattr(personas, persona))
    url = reverse("assistance:request_list")
    _requests(personas, 52)
    before = weigh(client, url)
    _requests(personas, 52, status=RequestStatus.CLOSED)
    after = weigh(client, url)
    assert_same_weight(before, after)
    assert "Page 1 of 3" in client.get(url).content.decode()


def test_the_appraisal_queue_weighs_one_page_whatever_the_queue(client, personas):
    client.force_login(personas.secretariat)
    url = reverse("assistance:appraisal_queue")
    _requests(personas, 52)
    before = weigh(client, url)
    _requests(personas, 52)
    after = weigh(client, url)
    assert_same_weight(before, after)
    body = client.get(url).content.decode()
    assert "Page 1 of 3" in body
    assert "and 100 more" in body  # three named on each row, the others counted


def test_a_requests_page_names_at_most_twenty_possible_duplicates(client, personas):
    first, *_others = _requests(personas, 25)
    client.force_login(personas.secretariat)
    response = client.get(reverse("assistance:request_detail", args=[first.pk]))
    assert len(response.context["duplicates"]) == 20
    assert response.context["more_duplicates"]
    assert "and more: the first ones are listed." in response.content.decode()
