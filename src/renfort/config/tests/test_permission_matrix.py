"""Deny by default, written down: ``config/permissions.csv`` gives, for every route and both
methods, the answer each viewer must get (docs/permissions.md).

The routes are read from the URL configuration: a route missing from the file fails, with the
answers observed today printed as a line ready to paste (after review); a line naming no route
fails too. Then every cell is asked of a small world (``permission_world.build_world``, built
once for the module): each answer must match, no request may fail with a server error, a POST
that is refused must leave every table as it was, and no page a viewer may open shows the
title of an object whose own page that viewer may not open.

To print the observed lines of some routes (or ``all``)::

    RENFORT_OBSERVE=missions:mission_detail,results:year .venv/bin/pytest -q -s \\
        src/renfort/config/tests/test_permission_matrix.py -k observe
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from renfort.config.tests.permission_file import (
    METHODS,
    Answer,
    Observer,
    Row,
    denies,
    guess_arguments,
    matches,
    observed_row,
    read_matrix,
    row_text,
    url_of,
    valid_cell,
    walk_routes,
)
from renfort.config.tests.permission_world import SECRETS, VIEWERS, build_world

ROWS = read_matrix()
ROUTES = dict(walk_routes())
PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:set_language",
    "feeds:feed_ical",  # a calendar application reads it by its secret address (docs/api.md)
    "accounts:invitation_accept",
    "set_language",
    "security_txt",
    "health",
    # The API's description and its interactive page: no data (docs/api.md).
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
}


def _missing() -> list[tuple[str, str]]:
    written = {row.key for row in ROWS}
    return [
        (route, method)
        for route in sorted(ROUTES)
        for method in METHODS
        if (route, method) not in written
    ]


@dataclass
class Survey:
    """Every cell of the file asked once, and what each viewer may not open."""

    answers: dict[tuple[str, str, str], Answer] = field(default_factory=dict)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    hidden: dict[str, list[str]] = field(default_factory=dict)  # viewer -> titles
    missing: list[str] = field(default_factory=list)  # observed lines of missing routes
    detector: bool = False  # whether a POST known to write was seen writing, after the rest


@pytest.fixture(scope="module")
def survey(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Survey]:
    result = Survey()
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        observer = Observer(world)
        for row in ROWS:
            if row.route not in ROUTES:
                continue
            try:
                path = observer.path(row)
            except (KeyError, ValueError, NoReverseMatch) as exc:
                result.paths[row.key] = f"<no URL for {row.arguments!r}>"
                error = Answer("-", error=f"the arguments give no URL: {exc!r}")
                result.answers.update({(*row.key, viewer): error for viewer in VIEWERS})
                continue
            result.paths[row.key] = path
            for viewer in VIEWERS:
                check = row.method == "POST" and denies(row.cells[viewer])
                result.answers[(*row.key, viewer)] = observer.ask(
                    viewer, row.method, path, check_writes=check
                )
        for viewer in VIEWERS:
            result.hidden[viewer] = [
                title
                for title, (route, arguments) in SECRETS.items()
                if observer.ask(
                    viewer, "GET", url_of(world, route, arguments), check_writes=False
                ).answer.startswith(("3", "4", "l"))  # redirected, sign in, 403, 404
            ]
        result.missing = [
            row_text(observed_row(observer, route, method, guess_arguments(route, ROUTES[route])))
            for route, method in _missing()
        ]
        # The member marks their notification read: a write the survey must see.
        mark = observer.ask("member", "POST", reverse("accounts:inbox_read_all"), check_writes=True)
        result.detector = mark.wrote
        transaction.set_rollback(True)
    yield result


def test_every_route_is_in_the_file(survey: Survey):
    assert not survey.missing, (
        "Routes missing from config/permissions.csv. The answers observed today follow: check "
        "each cell against what the product should allow (docs/permissions.md), fix the view "
        "where a 2xx should not be, check the arguments, then add the lines:\n"
        + "\n".join(survey.missing)
    )


def test_every_line_names_a_route_once_with_known_answers():
    problems = [f"{row.route}: no such route" for row in ROWS if row.route not in ROUTES]
    problems += [
        f"{route} {method}: written {n} times"
        for (route, method), n in Counter(row.key for row in ROWS).items()
        if n > 1
    ]
    problems += [f"{row.route}: method {row.method!r}" for row in ROWS if row.method not in METHODS]
    problems += [
        f"{row.route} {row.method} {viewer}: {row.cells[viewer]!r}"
        for row in ROWS
        for viewer in VIEWERS
        if not valid_cell(row.cells[viewer])
    ]
    problems += [
        f"{row.route} {row.method}: still marked OBSERVED (review it)"
        for row in ROWS
        if "OBSERVED" in row.note
    ]
    assert not problems, "\n".join(problems)


def test_anonymous_is_asked_to_sign_in_except_on_public_routes():
    # The JSON API asks for a token instead: 401 (405 for a method the address never takes,
    # 404 for an address it does not have).
    public = {
        row.route
        for row in ROWS
        if row.cells["anonymous"] != "login"
        and not (row.route.startswith("api:") and row.cells["anonymous"] in ("401", "404", "405"))
    }
    assert public <= PUBLIC, public - PUBLIC


def _problems(survey: Survey, row: Row) -> list[str]:
    problems = []
    for viewer in VIEWERS:
        expected = row.cells[viewer]
        got = survey.answers[(*row.key, viewer)]
        where = f"{row.method} {survey.paths[row.key]} ({row.route}) as {viewer}"
        if got.error:
            problems.append(f"{where}: {got.error}")
        elif not matches(expected, got.answer):
            problems.append(f"{where}: expected {expected}, got {got.answer}")
        if got.wrote:
            problems.append(f"{where}: refused ({got.answer}) but changed the tables")
    return problems


def test_the_survey_sees_a_write(survey: Survey):
    assert survey.detector


def test_every_cell_of_the_file(survey: Survey):
    problems = [p for row in ROWS if row.route in ROUTES for p in _problems(survey, row)]
    assert not problems, f"{len(problems)} cells differ:\n" + "\n".join(problems)


def test_the_world_hides_something_from_each_outsider(survey: Survey):
    """The page test below means something only if each outsider has titles to miss."""
    for viewer in ("regional_other", "member_other", "donor_other", "expert_other", "expert"):
        assert survey.hidden[viewer], viewer
    assert not survey.hidden["secretariat"]


# Pages that publish, by design, what they quote (docs/permissions.md, "Titles"): the terms of
# reference quote the requests and objectives behind their mission for everyone on it, the
# Experts' Requirement Matrix is the call for experts every member administration reads, and
# an expert's personal data is everything held about them (a proposal for Kenya's mission too).
PUBLISHED = {
    ("privacy:my_data", "SECRET Kenya mission"),
    ("privacy:expert_data", "SECRET Kenya mission"),
    ("privacy:expert_data_json", "SECRET Kenya mission"),
    ("missions:terms", "SECRET accepted request"),
    ("missions:terms", "SECRET objective"),
    ("missions:terms_pdf", "SECRET accepted request"),
    ("missions:terms_pdf", "SECRET objective"),
    ("missions:mission_pack", "SECRET accepted request"),
    ("missions:mission_pack", "SECRET objective"),
    ("missions:matrix", "SECRET planned mission"),
    ("missions:matrix_offer", "SECRET planned mission"),
}


def test_no_page_shows_the_title_of_what_the_viewer_may_not_open(survey: Survey):
    leaks = [
        f"{route} {method} {survey.paths[(route, method)]} as {viewer} shows {title!r}"
        for (route, method, viewer), answer in survey.answers.items()
        for title in survey.hidden[viewer]
        if title in answer.body and (route, title) not in PUBLISHED
    ]
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("RENFORT_OBSERVE"), reason="set RENFORT_OBSERVE")
def test_observe():
    """Print the observed lines of the routes named in ``RENFORT_OBSERVE`` (or ``all``)."""
    wanted = os.environ["RENFORT_OBSERVE"].split(",")
    written = {row.key: row for row in ROWS}
    keys = [
        (route, method)
        for route in sorted(ROUTES)
        for method in METHODS
        if "all" in wanted or route in wanted
    ]
    observer = Observer(build_world())
    for route, method in keys:
        known = written.get((route, method))
        arguments = known.arguments if known else guess_arguments(route, ROUTES[route])
        print(row_text(observed_row(observer, route, method, arguments)))


def test_the_cells_vocabulary():
    assert matches("2xx", "200") and matches("3xx", "302") and not matches("3xx", "login")
    assert matches("deny", "login") and matches("deny", "404") and not matches("deny", "405")
    assert matches("403|404", "404") and not matches("403|404", "200")
    assert valid_cell("login|405") and not valid_cell("ok") and not valid_cell("")
    assert denies("deny|405") and not denies("2xx|403")
    line = Row("missions:terms", "GET", "pk=@mission", dict.fromkeys(VIEWERS, "deny"), "a, b")
    assert row_text(line) == "missions:terms,GET,pk=@mission," + "deny," * 10 + '"a, b"'
