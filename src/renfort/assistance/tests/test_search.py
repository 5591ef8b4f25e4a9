"""Text search on the request list: reference, title, needs and requesting administration,
beside the other filters, kept across pages, bounded in queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.assistance.models import RequestStatus
from renfort.assistance.views import PAGE_SIZE
from renfort.testing import make_member, make_request

pytestmark = pytest.mark.django_db
LIST = reverse("assistance:request_list")


def _refs(client, **params) -> set[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {r.reference for r in response.context["page"].object_list}


def test_search_reads_reference_title_needs_and_administration(client, personas) -> None:
    ivory = make_member("CI", "WCA", name="Côte d'Ivoire Customs")
    port = make_request(
        administrations=[personas.admin_a],
        title="Risk profiling at Dakar port",
        needs="Targeting of containers.",
        reference="R-2031-007",
    )
    transit = make_request(
        administrations=[ivory],
        title="Transit corridor",
        needs="Train officers in post-clearance audit.",
        reference="R-2031-008",
    )
    kenya = make_request(administrations=[personas.admin_c], title="Valuation", needs="-")
    client.force_login(personas.secretariat)
    assert _refs(client, q="R-2031-007") == {port.reference}
    assert _refs(client, q="dakar") == {port.reference}  # any case
    assert _refs(client, q="post-clearance") == {transit.reference}  # in the needs
    assert _refs(client, q="ivoire") == {transit.reference}  # the administration's name
    assert _refs(client, q="kenya revenue") == {kenya.reference}  # every word must match
    assert _refs(client, q="dakar transit") == set()
    assert _refs(client, q="") == {port.reference, transit.reference, kenya.reference}


def test_search_combines_with_the_filters_and_the_visibility(client, personas) -> None:
    mine = make_request(
        administrations=[personas.admin_a], title="Port audit", status=RequestStatus.SUBMITTED
    )
    make_request(administrations=[personas.admin_a], title="Port audit, accepted")
    make_request(administrations=[personas.admin_c], title="Port audit in Mombasa")
    client.force_login(personas.member)
    assert _refs(client, q="port audit", status="submitted") == {mine.reference}
    assert len(_refs(client, q="port")) == 2  # Kenya's request stays invisible


def test_search_is_kept_in_the_pagination_links(client, personas) -> None:
    for i in range(PAGE_SIZE + 1):
        make_request(administrations=[personas.admin_a], title=f"Port audit {i}")
    client.force_login(personas.secretariat)
    html = client.get(LIST, {"q": "port audit", "level": "operational"}).content.decode()
    assert "?q=port+audit&amp;level=operational&amp;page=2" in html
    assert 'value="port audit"' in html  # the search box keeps the words
    page2 = client.get(LIST, {"q": "port audit", "page": 2})
    assert len(page2.context["page"].object_list) == 1


def test_search_too_long_is_named_and_ignored(client, personas) -> None:
    make_request(administrations=[personas.admin_a])
    client.force_login(personas.secretariat)
    response = client.get(LIST, {"q": "x" * 201})
    assert "Search: at most 200 characters" in response.content.decode()


def test_an_empty_search_says_what_to_do(client, personas) -> None:
    client.force_login(personas.member)
    html = client.get(LIST, {"q": "nothing like this"}).content.decode()
    assert "No request matches these filters." in html


def test_search_query_count_does_not_grow_with_rows(
    client, personas, django_assert_max_num_queries
) -> None:
    other = make_member("CI", "WCA")
    for i in range(40):
        make_request(
            administrations=[personas.admin_a, other],
            title=f"Port audit {i}",
            topics=("risk_management", "aeo"),
        )
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"q": "port audit"})
    assert len(response.context["page"].object_list) == 40
