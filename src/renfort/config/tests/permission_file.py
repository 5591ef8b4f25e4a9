"""The permission file (``config/permissions.csv``) and how it is checked: reading and writing
its lines, the routes of the URL configuration, the answers' vocabulary, and the observer that
asks a route as every viewer of the world (``permission_world``). docs/permissions.md."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from renfort.api.testing import bearer, token_for
from renfort.config.tests.permission_world import VIEWERS, World

API_PREFIX = "/api/v1/"
ROUTES_FILE = Path(__file__).resolve().parents[1] / "permissions.csv"
COLUMNS = ("route", "method", "arguments", *VIEWERS, "note")


@dataclass(frozen=True)
class Row:
    """One line of ``permissions.csv``: a route, a method, the URL arguments tried and the
    expected answer for each viewer."""

    route: str
    method: str
    arguments: str
    cells: dict[str, str]
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.route, self.method)


def read_matrix(path: Path = ROUTES_FILE) -> list[Row]:
    """The rows of the permission file (lines starting with ``#`` are comments)."""
    with path.open(newline="", encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines)
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"{path.name}: the header must be {','.join(COLUMNS)}")
    return [
        Row(
            route=line["route"],
            method=line["method"],
            arguments=line["arguments"] or "",
            cells={viewer: line[viewer] for viewer in VIEWERS},
            note=line["note"] or "",
        )
        for line in reader
    ]


def row_text(row: Row) -> str:
    """``row`` as a line of the permission file, ready to paste."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(
        [row.route, row.method, row.arguments, *(row.cells[v] for v in VIEWERS), row.note]
    )
    return out.getvalue()


def argument(world: World, value: str) -> str:
    """A URL argument: ``@name`` is the primary key of the world's object (the year of a
    delivery plan), anything else is taken as it is."""
    if value.startswith("@"):
        obj = world.objects[value[1:]]
        return str(getattr(obj, "year", None) or obj.pk)
    return value


# For a route not yet in the file: the world's object a ``pk`` most likely names, by
# namespace, and the other parameters. Only a guess, printed for review with the row.
GUESS_PK = {
    "accounts": "@expert_login",
    "assistance": "@open_request",
    "roster": "@expert",
    "missions": "@mission",
    "calendars": "@mission",
    "planner": "@run",
    "agreements": "@agreement",
    "results": "@mission",
    "privacy": "@expert",
    "audit": "@mission",
}
GUESS = {
    "mission_pk": "@mission",
    "line_pk": "@budget_line",
    "funding_pk": "@funding",
    "document_pk": "@document",
    "year": "@delivery_plan",
    "code": "WCA",
    "fmt": "csv",
    "slot": "1",
    "label": "missions.mission",
    "token": "permission-world",
}


def guess_arguments(route: str, pattern: str) -> str:
    """A first ``arguments`` cell for ``route`` (``name=value`` pairs separated by spaces)."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
    namespace = route.split(":", 1)[0] if ":" in route else ""
    pk = GUESS_PK.get(namespace, "@mission")
    return " ".join(f"{name}={GUESS.get(name) or (pk if name == 'pk' else 'x')}" for name in names)


def url_of(world: World, route: str, arguments: str) -> str:
    """The path a row asks for."""
    from django.urls import reverse

    if route == "admin:*":
        return reverse("admin:index")
    kwargs = dict(pair.split("=", 1) for pair in arguments.split())
    return reverse(route, kwargs={k: argument(world, v) for k, v in kwargs.items()})


# --- the routes ---------------------------------------------------------------------------

# Namespaces checked as one family row each (a prefix rule), not route by route.
FAMILIES = ("admin",)


def walk_routes(resolver: Any = None, ns: str = "") -> list[tuple[str, str]]:
    """Every named route of the URL configuration as ``(namespace:name, pattern)``,
    through every include; a route of a family namespace is named ``family:*`` once."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[tuple[str, str]] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            if entry.namespace in FAMILIES and not ns:
                found.append((f"{entry.namespace}:*", str(entry.pattern)))
                continue
            found.extend(
                (name, str(entry.pattern) + pattern) for name, pattern in walk_routes(entry, inner)
            )
        elif isinstance(entry, URLPattern):
            found.append(
                (f"{ns}{entry.name}" if entry.name else f"{ns}<unnamed>", str(entry.pattern))
            )
    return found


# --- the answers --------------------------------------------------------------------------

DENY = {"login", "403", "404"}
METHODS = ("GET", "POST")
TOKENS = {"2xx", "3xx", "login", "deny"}


def valid_cell(expected: str) -> bool:
    """Whether a cell is in the file's vocabulary: HTTP statuses, ``2xx``, ``3xx``,
    ``login``, ``deny``, several of them separated by ``|``."""
    return bool(expected) and all(
        token in TOKENS or (token.isdigit() and len(token) == 3 and token[0] in "2345")
        for token in expected.split("|")
    )


# The JSON API's refusals besides: an unreadable body (400), no token (401), a body that
# breaks a rule (422).
API_REFUSALS = ("400", "401", "422")


def denies(expected: str) -> bool:
    """Whether a cell allows only refusals (sign in, 403, 404, 405; the API's 401, 422)."""
    return all(t in DENY or t in ("deny", "405", *API_REFUSALS) for t in expected.split("|"))


def observed(response: Any) -> str:
    """What a response answered, in the matrix's words: the status code, except a redirect
    to a sign-in page (``login``)."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        path = location.split("?", 1)[0]
        if path.endswith(("/accounts/login/", "/admin/login/")):
            return "login"
    return str(status)


def matches(expected: str, answer: str) -> bool:
    """Whether ``answer`` (from ``observed``) is one the cell allows: a status code, ``2xx``,
    ``3xx`` (a redirect that is not to sign in), ``login``, ``deny`` (login, 403 or 404), or
    several of these separated by ``|``."""
    for token in expected.split("|"):
        token = token.strip()
        if token == answer:
            return True
        if token == "2xx" and answer.startswith("2"):
            return True
        if token == "3xx" and answer.startswith("3"):
            return True
        if token == "deny" and answer in DENY:
            return True
    return False


# --- the observer -------------------------------------------------------------------------


@dataclass
class Answer:
    answer: str
    wrote: bool = False
    error: str = ""
    body: str = ""  # the text of a successful page, file or JSON answer (not a PDF)


class Observer:
    """Asks every route as every viewer of a built world.

    Each request runs in a transaction rolled back afterwards, so an action that works (a
    removal, a status change) leaves the world as it was for the next viewer; a POST is sent
    with an empty form. ``wrote`` says whether a request sent the database any INSERT, UPDATE
    or DELETE (but to the session table): stricter than comparing ``testing.table_state``
    before and after, which sees only the tables services write, and much faster.
    """

    def __init__(self, world: World) -> None:
        from django.conf import settings
        from django.test import Client

        self.world = world
        self.clients: dict[str, Any] = {}
        self.sessions: dict[str, str] = {}
        self.api_headers: dict[str, dict[str, str]] = {}
        for viewer, user in world.users.items():
            client = Client(raise_request_exception=True)
            self.api_headers[viewer] = {}
            if user is not None:
                client.force_login(user)
                self.sessions[viewer] = client.cookies[settings.SESSION_COOKIE_NAME].value
                self.api_headers[viewer] = bearer(token_for(user, name="permission matrix"))
            self.clients[viewer] = client

    def ask(self, viewer: str, method: str, path: str, *, check_writes: bool) -> Answer:
        from django.conf import settings
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext, override_settings

        client = self.clients[viewer]
        # Signing out in an earlier request removed the cookie: put the session back.
        client.cookies.clear()
        # The JSON API: the viewer's token, no session (anonymous: nothing).
        api = path.startswith(API_PREFIX)
        if viewer in self.sessions and not api:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[viewer]
        headers = self.api_headers[viewer] if api else {}
        # The log keeps 9,000 queries and CaptureQueriesContext counts by position in it:
        # empty it, or once full every request would seem to send none.
        connection.queries_log.clear()
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            try:
                with override_settings(API_RATE_LIMIT="1000000/minute"):
                    response = getattr(client, method.lower())(path, headers=headers)
            except Exception as exc:
                transaction.set_rollback(True)
                return Answer("500", error=f"server error {type(exc).__name__}: {exc}"[:300])
            transaction.set_rollback(True)
        wrote = check_writes and any(_writes(q["sql"]) for q in queries.captured_queries)
        return Answer(observed(response), wrote=wrote, body=_text_of(response))

    def path(self, row: Row) -> str:
        return url_of(self.world, row.route, row.arguments)

    def observe(self, route: str, method: str, arguments: str) -> dict[str, Answer]:
        path = url_of(self.world, route, arguments)
        return {
            viewer: self.ask(viewer, method, path, check_writes=method == "POST")
            for viewer in VIEWERS
        }


# Bookkeeping a refused request may write: the session, the API's rate-limit counts (in the
# shared cache table) and its token's last use.
BOOKKEEPING = ("django_session", "renfort_cache", "api_apitoken")


def _writes(sql: str) -> bool:
    words = sql.lstrip().split(None, 3)
    if not words or words[0].upper() not in ("INSERT", "UPDATE", "DELETE"):
        return False
    return not any(table in sql[:200] for table in BOOKKEEPING)


def _text_of(response: Any) -> str:
    kind = response.get("Content-Type", "")
    textual = kind.startswith("text/") or "xml" in kind or "json" in kind
    if response.status_code != 200 or getattr(response, "streaming", False) or not textual:
        return ""
    return str(response.content.decode("utf-8", errors="replace"))


def observed_row(observer: Observer, route: str, method: str, arguments: str) -> Row:
    """A row with what each viewer gets now (any success as ``2xx``, any redirect but to sign
    in as ``3xx``), to be reviewed before it goes into the file."""
    answers = observer.observe(route, method, arguments)
    cells = {}
    for viewer, answer in answers.items():
        value = answer.answer
        if value.startswith(("2", "3")):
            value = value[0] + "xx"
        cells[viewer] = value
    return Row(route=route, method=method, arguments=arguments, cells=cells, note="OBSERVED")
