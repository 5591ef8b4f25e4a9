"""Each role's home page: its figures and bars agree with the lists they link to, its queries
do not grow with the data, and it reads in French."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renfort.accounts.models import User
from renfort.agreements.models import PartyRole
from renfort.assistance.models import RequestStatus
from renfort.home.selectors import HomePage, home_page
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.roster.models import ReleaseStatus
from renfort.testing import (
    Personas,
    make_agreement,
    make_assignment,
    make_expert,
    make_mission,
    make_request,
    persona_mission,
)

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "regional", "member", "lender", "donor", "expert_user"]


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def build_world(p: Personas, copies: int = 1) -> None:
    """Requests and missions of every kind each role counts: statuses, past and ahead,
    dated and windowed, regional, assignments to answer and releases to decide, a finished
    planner run with proposals left to accept."""
    for _i in range(copies):
        for status in (
            RequestStatus.SUBMITTED,
            RequestStatus.UNDER_APPRAISAL,
            RequestStatus.ACCEPTED,
            RequestStatus.DECLINED,
        ):
            make_request(administrations=[p.admin_a], focal_point=p.member, status=status)
        make_request(administrations=[p.admin_c], status=RequestStatus.SUBMITTED)
        ahead = persona_mission(p, start=_days(40), end=_days(44), status=MissionStatus.SCHEDULED)
        make_assignment(
            ahead.slots.get(),
            p.expert,
            status=AssignmentStatus.ACCEPTED,
            release_status=ReleaseStatus.PENDING,
        )
        invited = persona_mission(p, start=_days(80), end=_days(83), status=MissionStatus.PLANNED)
        make_assignment(invited.slots.get(), p.expert, status=AssignmentStatus.INVITED)
        persona_mission(p, start=_days(-90), end=_days(-86), status=MissionStatus.DELIVERED)
        persona_mission(p, window=(_days(20), _days(120), 4), status=MissionStatus.DRAFT)
        persona_mission(p, start=_days(60), end=_days(62), status=MissionStatus.CANCELLED)
        # A regional mission (Senegal and Kenya) and one of another region only.
        regional = make_mission(
            beneficiaries=[p.admin_a, p.admin_c], start=_days(100), end=_days(104)
        )
        make_agreement(
            parties=[(p.donor_agency, PartyRole.FUNDING), (p.admin_c, PartyRole.BENEFICIARY)],
            missions=[regional],
        )
        make_mission(beneficiaries=[p.admin_c], start=_days(30), end=_days(31))
        other = make_expert(home_administration=p.admin_b, first_name="Zoe")
        staffed = persona_mission(p, start=_days(150), end=_days(152), status=MissionStatus.DRAFT)
        PlannerRun.objects.create(
            status=PlannerRunStatus.DONE,
            finished_at=timezone.now(),
            plan={
                "status": "optimal",
                "missions": [
                    {
                        "id": staffed.reference,
                        "staffed": True,
                        "assignments": [
                            {"slot": staffed.slots.get().code, "expert": str(other.pk)}
                        ],
                    }
                ],
                "objective": {"primary": 3},
            },
        )


def rows_shown(client: Client, url: str) -> int:
    """How many rows the list at ``url`` shows (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    for key in ("page", "pending", "rows"):
        if key in context:
            value = context[key]
            return value.paginator.count if key == "page" else len(value)
    raise AssertionError(f"{url} shows no list the test knows")


def _links(page: HomePage) -> list[tuple[str, str, Any]]:
    """(what, url, count) of every figure, bar and waiting item that counts a list."""
    out: list[tuple[str, str, Any]] = [
        (f.label, f.url, f.count) for f in page.figures if f.count is not None
    ]
    out += [(r.label, r.url, r.value) for c in page.charts if c.counts for r in c.rows]
    out += [(w.label, w.url, w.count) for w in page.waiting if not w.link_label]
    return out


@pytest.mark.parametrize("name", ROLES)
def test_every_figure_and_bar_counts_what_its_list_shows(client, personas, name):
    build_world(personas, copies=2)
    user: User = getattr(personas, name)
    page = home_page(user)
    client.force_login(user)
    links = _links(page)
    assert links, "the page counts nothing"
    assert any(count for _what, _url, count in links), "every figure is zero: the world is empty"
    for what, url, count in links:
        assert rows_shown(client, url) == count, (what, url)


@pytest.mark.parametrize("name", ROLES)
def test_the_page_shows_each_figure_linked(client, personas, name):
    build_world(personas)
    user: User = getattr(personas, name)
    client.force_login(user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    page = home_page(user)
    assert page.figures and page.charts
    for f in page.figures:
        assert f'href="{f.url.replace("&", "&amp;")}"' in html, f.label
    for c in page.charts:
        assert f'id="{c.id}-title"' in html  # the SVG with its title
        for r in c.rows:
            assert f'href="{r.url.replace("&", "&amp;")}"' in html, r.label


def test_the_secretariat_sees_the_runs_waiting_for_review(client, personas):
    build_world(personas)
    done = PlannerRun.objects.get()
    # Re-planned, failed and old runs do not wait.
    PlannerRun.objects.create(status=PlannerRunStatus.FAILED, plan={"previous_run": done.pk})
    old = PlannerRun.objects.create(
        status=PlannerRunStatus.DONE,
        finished_at=timezone.now() - datetime.timedelta(days=40),
        plan=done.plan,
    )
    client.force_login(personas.secretariat)
    html = client.get(reverse("home")).content.decode()
    assert reverse("planner:run_detail", args=[done.pk]) in html
    assert reverse("planner:run_detail", args=[old.pk]) not in html
    assert "1 proposal to accept" in html
    # Once its proposal is held (accepted), the run no longer waits.
    code = done.plan["missions"][0]["assignments"][0]["slot"]
    reference, _sep, position = code.rpartition("-")
    from renfort.missions.models import Slot

    slot = Slot.objects.get(mission__reference=reference, position=int(position))
    make_assignment(slot, make_expert(home_administration=personas.admin_b))
    assert home_page(personas.secretariat).figures[1].count == 0
    # A later run that re-plans it takes its place.
    PlannerRun.objects.create(status=PlannerRunStatus.QUEUED, plan={"previous_run": done.pk})
    assert home_page(personas.secretariat).figures[1].count == 0


def test_the_experts_days_left_agree_with_her_page(client, personas):
    build_world(personas)
    page = home_page(personas.expert_user)
    released = page.figures[2]
    client.force_login(personas.expert_user)
    response = client.get(released.url)
    assert response.status_code == 200
    assert str(response.context["released"][0].left) == released.value


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ROLES)
def test_the_home_page_queries_do_not_grow_with_the_data(
    client, personas, name, django_assert_max_num_queries
):
    user: User = getattr(personas, name)
    client.force_login(user)
    build_world(personas, copies=2)  # past the examples shown: each list counts its rows
    small = _queries(client)
    build_world(personas, copies=3)
    assert _queries(client) == small
    with django_assert_max_num_queries(26):
        client.get(reverse("home"))


def _text(html: str) -> str:
    """What a reader sees: the page without its markup (attributes may rightly hold codes)."""
    main = html.split('<main id="content"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", main))


# English the home page writes itself; each must not reach a French page.
ENGLISH = [
    "Requests by status",
    "Missions by status",
    "under way or ahead",
    "appraisal queue",
    "waiting for review",
    "active agreement",
    "expert places held",
    "spent",
    "released day",
    "What waits",
    "See all",
    "Submitted",
    "window",
]


@pytest.mark.parametrize("name", ROLES)
def test_the_french_home_page_has_no_english_the_application_wrote(client, personas, name):
    build_world(personas)
    user: User = getattr(personas, name)
    client.force_login(user)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    text = _text(html)
    assert "Bienvenue" in text
    for words in ENGLISH:
        assert words not in text, words
    # Dates are written out, months in French; never ISO or numeric.
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", text)
