"""Planner pages that stay the same size however many runs, proposals and missions there are:
the run list reads stored summaries (never a plan), the review shows one page of missions,
the new-run form lists no mission it was not asked for, and old runs go by the rule."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renfort.accounts.models import User
from renfort.missions.models import Mission
from renfort.planning.forms import RunCreateForm
from renfort.planning.models import PlannerRun, PlannerRunStatus, PoolGap, PoolGapSnapshot
from renfort.planning.review_selectors import REVIEW_PAGE_SIZE
from renfort.planning.run_retention import planner_runs_prune
from renfort.planning.run_summary import summary_of
from renfort.planning.services import planner_run_start
from renfort.privacy.retention import retention_counts
from renfort.roster.models import Category
from renfort.testing import Personas, next_year, persona_mission

pytestmark = pytest.mark.django_db


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def fake_plan(missions: int, *, staffed_every: int = 2) -> dict[str, Any]:
    """A plan of ``missions`` entries (missions that do not exist: the review names them by
    reference), every ``staffed_every``-th staffed with two proposals."""
    entries = []
    for i in range(missions):
        staffed = i % staffed_every == 0
        entries.append(
            {
                "id": f"M-2090-{i:04d}",
                "staffed": staffed,
                "start": "2090-03-01",
                "end": "2090-03-05",
                "assignments": [
                    {"slot": f"M-2090-{i:04d}-{k}", "expert": str(900000 + k), "fit": 1.0}
                    for k in (1, 2)
                ]
                if staffed
                else [],
                "reasons": [] if staffed else ["nobody"],
            }
        )
    return {
        "status": "feasible",
        "missions": entries,
        "objective": {"primary": missions, "primary_bound": missions + 3},
        "left_out": [{"mission": f"M-2091-{i:04d}", "code": "x"} for i in range(missions)],
    }


def make_runs(n: int, by: User, *, missions: int = 30, **fields: Any) -> list[PlannerRun]:
    runs = []
    for _i in range(n):
        plan = fake_plan(missions)
        runs.append(
            PlannerRun.objects.create(
                created_by=by,
                status=fields.get("status", PlannerRunStatus.DONE),
                plan=plan,
                problem={"missions": ["x" * 50] * missions},
                finished_at=timezone.now(),
                mission_count=missions,
                **summary_of(plan),
            )
        )
    return runs


# --------------------------------------------------------------------------------------------
# The run list


def test_a_finished_run_stores_its_summary(personas: Personas) -> None:
    p = personas
    mission = persona_mission(p, start=next_year(4, 6), end=next_year(4, 10))
    run = planner_run_start(by=p.secretariat, missions=[mission], time_limit_s=1)
    run.refresh_from_db()
    assert run.status == PlannerRunStatus.DONE, run.error
    expected = summary_of(run.plan)
    assert run.mission_count == 1
    assert {k: getattr(run, k) for k in expected} == expected
    assert run.staffed_count == sum(1 for e in run.plan["missions"] if e["staffed"])
    assert run.plan_status in ("optimal", "feasible")
    assert run.problem_mission_count == len(run.problem["missions"]) == 1
    assert run.problem_expert_count == len(run.problem["experts"])
    assert run.duration_s is not None and run.duration_s >= 0


def test_run_list_reads_no_plan_and_its_queries_do_not_grow(
    client: Client, personas: Personas
) -> None:
    login(client, personas.secretariat)
    url = reverse("planner:run_list")
    make_runs(6, personas.secretariat)
    with CaptureQueriesContext(connection) as small:
        first = client.get(url)
    make_runs(26, personas.secretariat, missions=60)
    with CaptureQueriesContext(connection) as large:
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert len(large) == len(small)
    sql = " ".join(q["sql"] for q in large.captured_queries)
    assert '"plan"' not in sql and '"problem"' not in sql and '"progress"' not in sql
    html = second.content.decode()
    assert html.count("<tr>") == 1 + 25  # the header and one page of runs
    assert "Page 1 of 2" in html
    # The stored summary: 15 of 60 missions staffed... as fake_plan writes them.
    assert ">30<" in html and ">60<" in html and "60 / 63" in html


def test_the_data_migration_fills_the_summary_of_runs_stored_before(personas: Personas) -> None:
    run = make_runs(1, personas.secretariat, missions=10)[0]
    PlannerRun.objects.filter(pk=run.pk).update(
        mission_count=0, staffed_count=None, proposal_count=None, objective=None, plan_status=""
    )
    migration = importlib.import_module("renfort.planning.migrations.0007_plannerrun_summary")
    migration.fill_summaries(apps, None)
    run.refresh_from_db()
    assert (run.staffed_count, run.proposal_count, run.objective, run.objective_bound) == (
        5,
        10,
        10,
        13,
    )
    assert run.plan_status == "feasible" and run.mission_count == 0  # no chosen mission rows


# --------------------------------------------------------------------------------------------
# The review


def review_html(client: Client, run: PlannerRun, query: str = "") -> tuple[str, int]:
    url = reverse("planner:run_detail", args=[run.pk]) + query
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


def test_review_shows_one_page_of_missions_whatever_the_plan(
    client: Client, personas: Personas
) -> None:
    login(client, personas.secretariat)
    small = make_runs(1, personas.secretariat, missions=2 * REVIEW_PAGE_SIZE + 10)[0]
    large = make_runs(1, personas.secretariat, missions=4 * REVIEW_PAGE_SIZE + 20)[0]
    html_small, queries_small = review_html(client, small)
    html_large, queries_large = review_html(client, large)
    assert queries_large == queries_small
    # The same number of rows, so about the same size (references are the same length).
    assert abs(len(html_large) - len(html_small)) < 200
    assert html_large.count("M-2090-") == html_small.count("M-2090-")
    assert "Page 1 of 3 (missions 1–50 of 110)" in html_large  # 110 staffed, 50 a page
    assert "The first 50 of 220 missions left out." in html_large
    # The quality counts the whole plan; the second page shows the next missions.
    assert "Missions staffed: 110 of 220" in html_large
    # Unstaffed missions are the odd ones: their second page starts at the 51st.
    page2, _n = review_html(client, large, "?unstaffed=2")
    assert "M-2090-0101" in page2 and "M-2090-0099" not in page2


def test_the_run_page_does_not_read_the_stored_problem(client: Client, personas: Personas) -> None:
    login(client, personas.secretariat)
    run = make_runs(1, personas.secretariat, missions=10)[0]
    PlannerRun.objects.filter(pk=run.pk).update(
        problem_mission_count=10, problem_expert_count=3000, problem_pinned_count=2
    )
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("planner:run_detail", args=[run.pk])).content.decode()
    assert not any('"problem"' in q["sql"] for q in ctx.captured_queries)
    assert "10 missions, 3000 experts in the pool, 2 slots kept as pinned" in html


def test_review_search_finds_a_mission_by_reference(client: Client, personas: Personas) -> None:
    login(client, personas.secretariat)
    run = make_runs(1, personas.secretariat, missions=120)[0]
    html, _n = review_html(client, run, "?q=M-2090-0117")
    assert "M-2090-0117" in html and "M-2090-0116" not in html
    html, _n = review_html(client, run, "?q=nothing-like-it")
    assert "No staffed mission of this plan matches" in html


# --------------------------------------------------------------------------------------------
# The new-run form


def test_new_run_form_lists_no_mission_past_the_threshold(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    missions = [
        persona_mission(p, start=next_year(4, 1 + i), end=next_year(4, 2 + i)) for i in range(3)
    ]
    widget = RunCreateForm.base_fields["missions"].widget
    monkeypatch.setattr(widget, "threshold", 2)
    login(client, p.secretariat)
    html = client.get(reverse("planner:run_create")).content.decode()
    assert "3 missions can be planned now." in html
    assert all(m.reference not in html for m in missions)
    assert 'data-lookup="/planner/missions/lookup/"' in html
    # Typed text resolves to the mission; the run plans what was chosen.
    response = client.post(
        reverse("planner:run_create"),
        {"missions__search": missions[1].reference, "time_limit_s": "1"},
    )
    assert response.status_code == 302
    run = PlannerRun.objects.get()
    assert list(run.missions.all()) == [missions[1]] and run.mission_count == 1


def test_plannable_missions_lookup_pages_and_is_the_secretariats(
    client: Client, personas: Personas
) -> None:
    p = personas
    mission = persona_mission(p, start=next_year(4, 6), end=next_year(4, 10))
    url = reverse("planner:plannable_missions")
    login(client, p.member)
    assert client.get(url).status_code == 403
    login(client, p.secretariat)
    data = client.get(url, {"q": mission.reference}).json()
    assert [r["id"] for r in data["results"]] == [mission.pk] and data["more"] is False
    assert mission.title in data["results"][0]["text"]


# --------------------------------------------------------------------------------------------
# Old runs


def age(runs: list[PlannerRun], days: int) -> None:
    PlannerRun.objects.filter(pk__in=[r.pk for r in runs]).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_old_runs_go_but_the_newest_and_unfinished_stay(personas: Personas, settings) -> None:
    settings.PLANNER_RUN_RETENTION_DAYS = 90
    settings.PLANNER_RUNS_KEPT = 3
    by = personas.secretariat
    old = make_runs(5, by, missions=2)
    age(old, 200)
    old_running = make_runs(1, by, missions=2, status=PlannerRunStatus.RUNNING)
    age(old_running, 200)
    recent = make_runs(2, by, missions=2)
    # A queued run re-planning the oldest: that one stays until it is built.
    queued = make_runs(1, by, missions=2, status=PlannerRunStatus.QUEUED)[0]
    queued.plan = {"previous_run": old[0].pk}
    queued.save(update_fields=["plan"])
    # Kept: the 3 newest finished (the 2 recent + old[4]), old[0] (re-planned), the unfinished.
    assert retention_counts()["planner_runs"] == 3
    assert planner_runs_prune() == 3
    kept = set(PlannerRun.objects.values_list("pk", flat=True))
    assert kept == {r.pk for r in [*recent, old[4], old[0], *old_running, queued]}
    assert planner_runs_prune() == 0  # safe to run twice


def test_zero_days_keeps_every_run(personas: Personas, settings) -> None:
    settings.PLANNER_RUN_RETENTION_DAYS = 0
    settings.PLANNER_RUNS_KEPT = 0
    age(make_runs(3, personas.secretariat, missions=2), 4000)
    assert planner_runs_prune() == 0 and retention_counts()["planner_runs"] == 0
    assert PlannerRun.objects.count() == 3


def test_a_finished_run_prunes_the_old_ones(personas: Personas, settings) -> None:
    settings.PLANNER_RUNS_KEPT = 1
    old = make_runs(2, personas.secretariat, missions=2)
    age(old, 400)
    mission = persona_mission(personas, start=next_year(4, 6), end=next_year(4, 10))
    run = planner_run_start(by=personas.secretariat, missions=[mission], time_limit_s=1)
    assert list(PlannerRun.objects.values_list("pk", flat=True)) == [run.pk]
    assert Mission.objects.filter(pk=mission.pk).exists()


# --------------------------------------------------------------------------------------------
# Pool gaps


def stored_gaps(gaps: int, missions_each: int) -> None:
    """A snapshot of ``gaps`` profiles, each naming ``missions_each`` missions (not real ones:
    the page shows only those the reader may see, and counts them all)."""
    PoolGapSnapshot.objects.all().delete()
    snapshot = PoolGapSnapshot.objects.create(
        computed_at=timezone.now(), fingerprint="x", mission_count=gaps, expert_count=3000
    )
    PoolGap.objects.bulk_create(
        PoolGap(
            snapshot=snapshot,
            rank=rank,
            category=Category.MODERNIZATION_ADVISER,
            requirements=[["aeo", 3]],
            language="fr",
            month="2090-03",
            mission_count=missions_each,
            missions=[[10_000_000 + k, f"M-2090-{k:04d}"] for k in range(missions_each)],
            qualified=0,
            near=[],
        )
        for rank in range(1, gaps + 1)
    )


def test_pool_gaps_page_reads_one_page_of_the_snapshot_only(
    client: Client, personas: Personas
) -> None:
    login(client, personas.regional)
    url = reverse("planner:gaps")
    sizes = []
    for gaps, missions_each in ((30, 50), (120, 2000)):
        stored_gaps(gaps, missions_each)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        # Never computed here: the pool is not read, only the stored snapshot.
        assert "roster_skill" not in sql and "roster_unavailability" not in sql
        sizes.append((len(ctx), len(response.content)))
        assert "As of" in response.content.decode()
    (q_small, html_small), (q_large, html_large) = sizes
    assert q_large == q_small
    assert abs(html_large - html_small) < 500  # page links and counts only
