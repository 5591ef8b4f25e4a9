"""What the load benchmark asks: the main pages and lists, which roles walk them, and the
mix of simulated people (docs/performance.md, "Load")."""

from __future__ import annotations

from dataclasses import dataclass

# The targets of issue 12 at 20 people: p95 under 200 ms for every list and detail page (and
# form), under 500 ms for analyses (pages that compute over the pool or the history).
TARGET_MS = {"list": 200, "detail": 200, "form": 200, "analysis": 500}


@dataclass(frozen=True)
class Page:
    """A page to ask. A detail page has no ``path``: the person opens one of the links that
    ``link_from`` (a list page) showed them, found with ``link_pattern``."""

    name: str
    kind: str
    path: str | None = None
    link_from: str | None = None
    link_pattern: str | None = None

    @property
    def target_ms(self) -> int:
        return TARGET_MS[self.kind]


_PAGES = [
    Page("home", "list", "/"),
    Page("requests list", "list", "/requests/"),
    Page("request detail", "detail", None, "requests list", r'href="(/requests/\d+/)"'),
    Page("appraisal queue", "list", "/requests/appraisal/"),
    Page("mission list", "list", "/missions/"),
    Page("mission detail", "detail", None, "mission list", r'href="(/missions/\d+/)"'),
    Page("pool", "list", "/experts/"),
    Page("expert page", "detail", None, "pool", r'href="(/experts/\d+/)"'),
    Page("calendar", "list", "/missions/calendar/"),
    Page("timeline", "list", "/missions/timeline/"),
    Page("planner runs", "list", "/planner/"),
    Page("run review", "analysis", None, "planner runs", r'href="(/planner/\d+/)"'),
    Page("new-run form", "form", "/planner/new/"),
    Page("pool gaps", "analysis", "/planner/gaps/"),
    Page("agreements", "list", "/agreements/"),
    Page("results", "analysis", "/results/"),
    Page("results of the year", "analysis", "/results/year/"),
    Page("inbox", "list", "/accounts/inbox/"),
    Page("my missions", "list", "/experts/me/missions/"),
    Page("my invitations", "list", "/experts/me/invitations/"),
    Page("my profile", "detail", "/experts/me/"),
    Page("my mission detail", "detail", None, "my missions", r'href="(/missions/\d+/)"'),
]
PAGES: dict[str, Page] = {page.name: page for page in _PAGES}

# Each role's walk, in the order a person clicks through (a detail page after its list).
ROLE_WALKS: dict[str, tuple[str, ...]] = {
    "secretariat": (
        "home",
        "requests list",
        "request detail",
        "appraisal queue",
        "mission list",
        "mission detail",
        "pool",
        "expert page",
        "calendar",
        "timeline",
        "planner runs",
        "run review",
        "new-run form",
        "pool gaps",
        "agreements",
        "results",
        "results of the year",
        "inbox",
    ),
    "regional": (
        "home",
        "requests list",
        "request detail",
        "mission list",
        "mission detail",
        "pool",
        "expert page",
        "calendar",
        "timeline",
        "agreements",
        "results",
        "inbox",
    ),
    "member": (
        "home",
        "requests list",
        "request detail",
        "mission list",
        "mission detail",
        "pool",
        "expert page",
        "calendar",
        "timeline",
        "agreements",
        "results",
        "inbox",
    ),
    "donor": (
        "home",
        "requests list",
        "mission list",
        "mission detail",
        "calendar",
        "timeline",
        "agreements",
        "results",
        "inbox",
    ),
    "expert": (
        "home",
        "my invitations",
        "my missions",
        "my mission detail",
        "my profile",
        "calendar",
        "inbox",
    ),
}

# Who the 20 simulated people are (demo username, role), in the order they are added: the
# secretariat works in Renfort all day, the other roles come and go.
PEOPLE_MIX: tuple[tuple[str, str], ...] = (
    ("secretariat", "secretariat"),
    ("member", "member"),
    ("admin", "secretariat"),
    ("expert", "expert"),
    ("regional", "regional"),
    ("lender", "member"),
    ("donor", "donor"),
    ("secretariat", "secretariat"),
    ("member", "member"),
    ("admin", "secretariat"),
    ("expert", "expert"),
    ("secretariat", "secretariat"),
    ("lender", "member"),
    ("regional", "regional"),
    ("admin", "secretariat"),
    ("member", "member"),
    ("donor", "donor"),
    ("secretariat", "secretariat"),
    ("expert", "expert"),
    ("admin", "secretariat"),
)


def role_pages(role: str) -> list[Page]:
    """The pages ``role`` walks, in order."""
    return [PAGES[name] for name in ROLE_WALKS[role]]


def people(count: int) -> list[tuple[str, str]]:
    """The first ``count`` people of the mix (repeated past its length)."""
    return [PEOPLE_MIX[n % len(PEOPLE_MIX)] for n in range(count)]
