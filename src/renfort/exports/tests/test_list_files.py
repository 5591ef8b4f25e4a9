"""Each list page's file holds exactly the rows the page lists with the same filters, across
all its pages, for every role that sees the list; another party's rows are in no one else's
file (docs/performance.md, "Exports": lists)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from renfort.accounts import invitation_views
from renfort.accounts import views as account_views
from renfort.agreements.views import agreements as agreement_views
from renfort.assistance import views as request_views
from renfort.exports.lists import LISTS
from renfort.exports.tests.list_world import OTHER, build, fetch, read
from renfort.missions.models import MissionStatus
from renfort.missions.views import common as mission_views
from renfort.results.views import framework as framework_views
from renfort.roster.views import own as own_views
from renfort.roster.views import pool as pool_views
from renfort.testing import Personas

pytestmark = pytest.mark.django_db


def _one_a_page(mp: pytest.MonkeyPatch, module: Any, name: str) -> None:
    mp.setattr(module, name, 1)


@dataclass(frozen=True)
class Case:
    """A list: its page, how to make its pages one row long, what identifies a row on the
    page and in the file (which column), and the filters tried."""

    name: str
    page: str
    one_a_page: Callable[[pytest.MonkeyPatch], None]
    key: Callable[[Any], str]
    column: int = 0
    query: dict[str, str] = field(default_factory=dict)


def _reference(obj: Any) -> str:
    return str(obj.reference)


CASES = [
    Case(
        "requests",
        "assistance:request_list",
        lambda mp: _one_a_page(mp, request_views, "PAGE_SIZE"),
        _reference,
        query={"status": "accepted"},
    ),
    Case(
        "appraisal",
        "assistance:appraisal_queue",
        lambda mp: _one_a_page(mp, request_views, "QUEUE_PAGE_SIZE"),
        _reference,
    ),
    Case(
        "missions",
        "missions:mission_list",
        lambda mp: _one_a_page(mp, mission_views, "PAGE_SIZE"),
        _reference,
        query={"status": "planned"},
    ),
    Case(
        "my_missions",
        "roster:my_missions",
        lambda mp: _one_a_page(mp, own_views, "MY_MISSIONS_PAGE_SIZE"),
        lambda a: str(a.slot.mission.reference),
    ),
    Case(
        "experts",
        "roster:expert_list",
        lambda mp: _one_a_page(mp, pool_views, "PAGE_SIZE"),
        str,
        query={"q": "a"},
    ),
    Case(
        "agreements",
        "agreements:agreement_list",
        lambda mp: _one_a_page(mp, agreement_views, "PAGE_SIZE"),
        _reference,
        query={"q": "agreement"},
    ),
    Case(
        "objectives",
        "results:objective_list",
        # The page size is the default of the page's helper.
        lambda mp: mp.setattr(framework_views._page, "__defaults__", (1,)),
        lambda o: str(o.title),
        query={"q": "objective"},
    ),
    Case(
        "people",
        "accounts:people",
        lambda mp: _one_a_page(mp, invitation_views, "PAGE_SIZE"),
        lambda u: str(u.username),
        column=1,
        query={"q": "a"},
    ),
    Case(
        "inbox",
        "accounts:inbox",
        lambda mp: _one_a_page(mp, account_views, "INBOX_PAGE_SIZE"),
        lambda n: str(n.subject_text),
        column=1,
        query={"unread": "1"},
    ),
]


def _page_keys(client: Client, case: Case) -> list[str]:
    """The rows of every page of the list, in order."""
    keys: list[str] = []
    number = 1
    while True:
        response = client.get(reverse(case.page), {**case.query, "page": str(number)})
        assert response.status_code == 200
        page = response.context["page"]
        keys += [case.key(item) for item in page.object_list]
        if not page.has_next():
            return keys
        number += 1


# Tested in test_list_pending.py (their worlds are planner runs and field history).
OWN_TESTS = {"planner_runs", "audit"}


def test_every_list_has_a_case() -> None:
    assert {case.name for case in CASES} | OWN_TESTS == set(LISTS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_file_holds_the_rows_of_every_page(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch, case: Case, fmt: str
) -> None:
    build(personas)
    case.one_a_page(monkeypatch)
    spec = LISTS[case.name]
    viewers = [u for u in personas.users().values() if u.role in spec.roles]
    assert viewers
    several_pages = False
    for user in viewers:
        client.force_login(user)
        page_keys = _page_keys(client, case)
        rows = read(fetch(client, user, case.name, fmt, case.query), fmt)
        file_keys = [str(row[case.column]) for row in rows[1:]]
        assert file_keys == page_keys, (user.username, file_keys, page_keys)
        several_pages = several_pages or len(page_keys) > 1
        cells = " ".join(str(cell) for row in rows for cell in row)
        if user not in (personas.secretariat, personas.outsider):
            assert OTHER not in cells, user.username  # another party's rows
    assert several_pages


@pytest.mark.parametrize(
    "name", ["requests", "missions", "agreements", "objectives", "experts", "people"]
)
def test_the_secretariat_has_every_party_s_rows(
    client: Client, personas: Personas, name: str
) -> None:
    build(personas)
    client.force_login(personas.secretariat)
    rows = read(fetch(client, personas.secretariat, name, "csv", {}), "csv")
    assert any(OTHER in cell for row in rows for cell in row)


def test_filters_narrow_the_file(client: Client, personas: Personas) -> None:
    build(personas)
    client.force_login(personas.member)
    every = read(fetch(client, personas.member, "requests", "csv", {}), "csv")
    accepted = read(
        fetch(client, personas.member, "requests", "csv", {"status": "accepted"}), "csv"
    )
    assert 1 < len(accepted) < len(every)
    status = every[0].index("Status")
    assert {row[status] for row in accepted[1:]} == {"Accepted"}


def test_headers_and_words_are_in_the_reader_s_language(client: Client, personas: Personas) -> None:
    build(personas)
    client.force_login(personas.secretariat)
    client.cookies["django_language"] = "fr"
    rows = read(fetch(client, personas.secretariat, "missions", "xlsx", {}), "xlsx")
    assert rows[0][:3] == ["Référence", "Titre", "Statut"]
    with translation.override("fr"):
        planned = str(MissionStatus.PLANNED.label)
    assert planned != "Planned" and planned in {row[2] for row in rows[1:]}


def test_dates_are_dates_and_numbers_are_numbers(client: Client, personas: Personas) -> None:
    build(personas)
    client.force_login(personas.secretariat)
    rows = read(fetch(client, personas.secretariat, "agreements", "xlsx", {}), "xlsx")
    headers, first = rows[0], rows[1]
    assert hasattr(first[headers.index("Start")], "year")
    assert isinstance(first[headers.index("Missions")], int)
    csv_rows = read(fetch(client, personas.secretariat, "agreements", "csv", {}), "csv")
    start = csv_rows[1][headers.index("Start")]
    assert len(start) == 10 and start[4] == "-"  # ISO
