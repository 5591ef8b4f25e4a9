"""Pool gaps of the whole plan: computed from every plannable mission and the pool by the
background refresh, stored, refreshed when an input changes, and read by the page.

Most tests call the refresh themselves. The receivers (off in the test settings) are tested
with real commits (``committing``), where a queued refresh runs at once (the immediate task
backend)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.signals import task_enqueued

from renfort.accounts.models import User
from renfort.missions.models import AssignmentStatus, DistinctCountries
from renfort.planning import gap_refresh
from renfort.planning.gap_refresh import QUEUED_FOR_AT_MOST, pool_gaps_refresh_request
from renfort.planning.gap_snapshots import pool_gaps_refresh
from renfort.planning.models import PoolGap, PoolGapRefresh, PoolGapSnapshot
from renfort.planning.services import planner_run_start
from renfort.roster.models import Category, Unavailability
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    make_slot,
    next_year,
    persona_mission,
)

HOPELESS = (Category.SPECIALIZED_TRAINER, [["valuation", 4]], "fr")


@pytest.fixture
def world(personas: Personas) -> dict:
    """Two missions for Senegal: one the persona expert can staff, one nobody can."""
    p = personas
    staffable = persona_mission(
        p,
        start=next_year(4, 6),
        end=next_year(4, 10),
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})],
    )
    hopeless = persona_mission(
        p,
        window=(next_year(5, 1), next_year(5, 30), 4),
        slots=[(Category.SPECIALIZED_TRAINER, {"valuation": 4})],
    )
    de = make_member("DE", "EUR", languages=("de",))
    # One level short in valuation: a near match for the hopeless mission.
    near = make_expert(
        home_administration=de,
        first_name="Nora",
        categories=(Category.SPECIALIZED_TRAINER,),
        languages=("fr",),
        skills={"valuation": 3},
    )
    return {"p": p, "staffable": staffable, "hopeless": hopeless, "near": near}


@pytest.fixture
def enqueued() -> Iterator[list[str]]:
    """The names of the tasks queued during the test."""
    names: list[str] = []

    def record(sender: object, task_result: object, **_: object) -> None:
        names.append(task_result.task.name)  # type: ignore[attr-defined]

    task_enqueued.connect(record, dispatch_uid="test_gaps.enqueued")
    yield names
    task_enqueued.disconnect(dispatch_uid="test_gaps.enqueued")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def profiles(snapshot: PoolGapSnapshot | None = None) -> list[tuple[object, ...]]:
    snapshot = snapshot or PoolGapSnapshot.objects.get()
    return [
        (g.category, g.requirements, g.language, [ref for _pk, ref in g.missions])
        for g in snapshot.gaps.order_by("rank")
    ]


# --- what the snapshot holds ----------------------------------------------------------------


def test_the_snapshot_ranks_missing_profiles_with_near_matches(world: dict) -> None:
    snapshot = pool_gaps_refresh()
    gap = snapshot.gaps.get()
    assert (gap.category, gap.requirements, gap.language) == HOPELESS
    assert gap.month == f"{next_year().year}-05"
    assert gap.missions == [[world["hopeless"].pk, world["hopeless"].reference]]
    assert gap.qualified == 0
    assert gap.near == [[world["near"].home_administration_id, 1]]
    assert snapshot.mission_count == 2 and len(snapshot.fingerprint) == 64


def test_a_slot_whose_only_qualified_expert_is_away_is_a_gap(world: dict) -> None:
    p = world["p"]
    Unavailability.objects.create(expert=p.expert, start=next_year(4, 1), end=next_year(4, 30))
    gaps = pool_gaps_refresh().gaps.order_by("rank")
    staffable = next(g for g in gaps if g.missions[0][1] == world["staffable"].reference)
    assert staffable.qualified == 1  # in the pool, but away on those dates


def test_a_window_leaves_room_around_the_experts_commitments(world: dict) -> None:
    p = world["p"]
    windowed = persona_mission(p, window=(next_year(6, 1), next_year(6, 20), 3))
    Unavailability.objects.create(expert=p.expert, start=next_year(6, 1), end=next_year(6, 15))
    assert windowed.reference not in str(profiles(pool_gaps_refresh()))  # 16-20 June is free
    Unavailability.objects.create(expert=p.expert, start=next_year(6, 16), end=next_year(6, 20))
    PoolGapSnapshot.objects.all().delete()
    assert windowed.reference in str(profiles(pool_gaps_refresh()))


def test_two_slots_for_one_qualified_expert_leave_a_gap(world: dict) -> None:
    p = world["p"]
    pair = persona_mission(
        p,
        start=next_year(7, 6),
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"aeo": 2})] * 2,
        distinct_countries=DistinctCountries.NONE,
    )
    gap = next(g for g in pool_gaps_refresh().gaps.all() if g.missions[0][1] == pair.reference)
    assert gap.requirements == [["aeo", 2]] and gap.qualified == 1
    # Once the expert holds one slot, the other is open and nobody else qualifies.
    make_assignment(pair.slots.all()[0], p.expert, status=AssignmentStatus.ACCEPTED)
    PoolGapSnapshot.objects.all().delete()
    gap = next(g for g in pool_gaps_refresh().gaps.all() if g.missions[0][1] == pair.reference)
    assert gap.mission_count == 1


def test_near_matches_leave_out_the_beneficiary_administration(world: dict) -> None:
    p = world["p"]
    make_expert(
        home_administration=p.admin_a,  # Senegal benefits from the hopeless mission
        categories=(Category.SPECIALIZED_TRAINER,),
        languages=("fr",),
        skills={"valuation": 3},  # one level short: near, were Senegal not the beneficiary
    )
    assert pool_gaps_refresh().gaps.get().near == [[world["near"].home_administration_id, 1]]


def test_an_unchanged_pool_keeps_the_snapshot_and_moves_its_time(world: dict) -> None:
    first = pool_gaps_refresh()
    PoolGapSnapshot.objects.filter(pk=first.pk).update(
        computed_at=first.computed_at - datetime.timedelta(hours=1)
    )
    second = pool_gaps_refresh()
    assert second.pk == first.pk and second.computed_at >= first.computed_at
    make_slot(world["hopeless"], Category.MODERNIZATION_ADVISER, {"aeo": 4})
    third = pool_gaps_refresh()
    assert third.pk != first.pk and list(PoolGapSnapshot.objects.all()) == [third]


# --- refreshed when an input changes, once --------------------------------------------------


# Real commits: each write of the factories commits on its own and queues a refresh, which
# the immediate backend runs at once; a transaction queues one for all its writes. The test
# settings turn the receivers off but here.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def refresh_on_change(settings) -> None:
    settings.POOL_GAPS_REFRESH_ON_CHANGE = True


@committing
def test_changing_an_input_refreshes_the_snapshot(
    world: dict, refresh_on_change: None, enqueued: list[str]
) -> None:
    pool_gaps_refresh()
    assert profiles() == [(*HOPELESS, [world["hopeless"].reference])]
    # A qualified trainer joins the pool: the hopeless mission is staffable now.
    with transaction.atomic():
        make_expert(
            home_administration=world["near"].home_administration,
            categories=(Category.SPECIALIZED_TRAINER,),
            languages=("fr",),
            skills={"valuation": 4},
        )
    assert enqueued == ["pool_gaps_refresh_task"]
    assert profiles() == []
    assert not PoolGapRefresh.objects.filter(queued_at__isnull=False).exists()
    make_slot(world["staffable"], Category.SPECIALIZED_TRAINER, {"integrity": 4})
    assert profiles() == [
        (Category.SPECIALIZED_TRAINER, [["integrity", 4]], "fr", [world["staffable"].reference])
    ]
    # An unavailable period over the mission's dates, then its removal.
    away = (Category.TECHNICAL_OPERATIONAL_EXPERT, [["risk_management", 2]], "fr")
    period = Unavailability.objects.create(
        expert=world["p"].expert, start=next_year(4, 1), end=next_year(4, 30)
    )
    assert (*away, [world["staffable"].reference]) in profiles()
    period.delete()
    assert [g[:3] for g in profiles()] == [(Category.SPECIALIZED_TRAINER, [["integrity", 4]], "fr")]


@committing
def test_the_snapshot_covers_every_plannable_mission_whatever_run_came_last(
    world: dict, refresh_on_change: None, enqueued: list[str]
) -> None:
    before = pool_gaps_refresh()
    run = planner_run_start(
        by=world["p"].secretariat, missions=[world["staffable"]], time_limit_s=1
    )
    assert all(m["staffed"] for m in run.plan["missions"])  # this run has no gap of its own
    assert enqueued == ["planner_run_task"]  # a run is no input of the gaps
    assert PoolGapSnapshot.objects.get() == before
    assert profiles() == [(*HOPELESS, [world["hopeless"].reference])]
    assert pool_gaps_refresh().fingerprint == before.fingerprint


@committing
def test_a_transaction_queues_one_refresh_however_many_rows_it_changes(
    world: dict, refresh_on_change: None, enqueued: list[str]
) -> None:
    with transaction.atomic():
        for i in range(3):
            make_expert(first_name=f"New{i}", home_administration=world["p"].admin_b)
        make_slot(world["staffable"])
        world["hopeless"].beneficiaries.add(world["p"].admin_c)
    assert enqueued == ["pool_gaps_refresh_task"]
    with transaction.atomic():
        with transaction.atomic():
            make_slot(world["staffable"])
            transaction.set_rollback(True)
        make_slot(world["hopeless"])  # the rolled back savepoint took its callback: a new one
    assert enqueued == ["pool_gaps_refresh_task"] * 2
    with transaction.atomic():
        world["p"].expert.save()
        PoolGapRefresh.objects.update(queued_at=timezone.now())  # one is waiting already
    assert enqueued == ["pool_gaps_refresh_task"] * 2


class BrokenQueue:
    def enqueue(self) -> None:
        raise ConnectionError("the queue is down")


@committing
def test_a_failure_to_queue_is_logged_and_keeps_the_change(
    world: dict, refresh_on_change: None, monkeypatch, caplog
) -> None:
    monkeypatch.setattr(gap_refresh, "pool_gaps_refresh_task", BrokenQueue())
    with transaction.atomic():
        slot = make_slot(world["staffable"])
    assert slot.pk and "the queue is down" in caplog.text
    assert not PoolGapRefresh.objects.filter(queued_at__isnull=False).exists()  # rolled back


def test_no_second_refresh_is_queued_while_one_waits(world: dict, enqueued: list[str]) -> None:
    now = timezone.now()
    PoolGapRefresh.objects.create(pk=PoolGapRefresh.ONLY, queued_at=now)
    assert pool_gaps_refresh_request() is False and enqueued == []
    # A mark that waited too long was lost (the task never started): queue again.
    PoolGapRefresh.objects.update(queued_at=now - QUEUED_FOR_AT_MOST * 2)
    assert pool_gaps_refresh_request() is True and enqueued == ["pool_gaps_refresh_task"]
    # The refresh (run at once here) cleared the mark when it started.
    assert PoolGapRefresh.objects.get().queued_at is None and PoolGapSnapshot.objects.exists()


# --- the page -------------------------------------------------------------------------------


def test_the_page_reads_the_snapshot_without_computing(
    client: Client, world: dict, django_assert_max_num_queries
) -> None:
    p = world["p"]
    for i in range(30):  # more profiles than a page holds
        persona_mission(
            p,
            start=next_year(10, 1),
            slots=[(Category.MODERNIZATION_ADVISER, {"hs_classification": 1 + i % 4})],
            language=["fr", "en", "es", "pt", "ar", "ru", "de", "it"][i // 4],
        )
    snapshot = pool_gaps_refresh()
    assert snapshot.gaps.count() > 25
    login(client, p.regional)
    for page in ("1", "2"):
        with django_assert_max_num_queries(12):
            response = client.get(reverse("planner:gaps"), {"page": page})
        assert response.status_code == 200
    assert len(response.context["found"].rows) == snapshot.gaps.count() - 25
    assert list(PoolGapSnapshot.objects.all()) == [snapshot]
    assert PoolGapSnapshot.objects.get().computed_at == snapshot.computed_at  # not recomputed
    html = client.get(reverse("planner:gaps")).content.decode()
    assert "As of" in html and "being refreshed" not in html


def test_the_page_says_when_a_refresh_is_waiting(client: Client, world: dict) -> None:
    pool_gaps_refresh()
    PoolGapRefresh.objects.create(pk=PoolGapRefresh.ONLY, queued_at=timezone.now())
    login(client, world["p"].donor)
    assert "being refreshed" in client.get(reverse("planner:gaps")).content.decode()


def test_without_a_snapshot_the_page_says_so_and_queues_one(
    client: Client, world: dict, enqueued: list[str]
) -> None:
    login(client, world["p"].member)
    response = client.get(reverse("planner:gaps"))
    assert response.status_code == 200 and response.context["found"].snapshot is None
    assert "not been computed yet" in response.content.decode()
    assert enqueued == ["pool_gaps_refresh_task"]  # the immediate backend ran it already
    assert world["hopeless"].reference in client.get(reverse("planner:gaps")).content.decode()
    assert enqueued == ["pool_gaps_refresh_task"]  # a fresh snapshot queues nothing more


def test_every_role_allowed_sees_the_same_profiles(client: Client, world: dict) -> None:
    p = world["p"]
    kenyan = persona_mission(
        p,
        requests=[],
        beneficiaries=[p.admin_c],
        start=next_year(6, 1),
        slots=[(Category.MODERNIZATION_ADVISER, {"aeo": 4})],
    )
    pool_gaps_refresh()
    both = {world["hopeless"].reference, kenyan.reference}
    senegal = {world["hopeless"].reference}
    # Every profile for all; mission references only where the mission is visible (the donor
    # agency funds both; Kenya's focal point sees only its own mission).
    expected = {
        "secretariat": both,
        "regional": senegal,
        "member": senegal,
        "donor": both,
        "outsider": {kenyan.reference},
    }
    seen = {}
    for role, references in expected.items():
        login(client, p.users()[role])
        rows = client.get(reverse("planner:gaps")).context["found"].rows
        seen[role] = [
            (r.gap.category, r.gap.requirements, r.gap.mission_count, r.near) for r in rows
        ]
        assert {ref for r in rows for _pk, ref, _title in r.missions} == references, role
    assert len({repr(v) for v in seen.values()}) == 1 and len(seen["secretariat"]) == 2


def test_anonymous_is_sent_to_sign_in(client: Client, world: dict) -> None:
    response = client.get(reverse("planner:gaps"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not PoolGapSnapshot.objects.exists()


def test_experts_cannot_see_gaps(client: Client, world: dict, enqueued: list[str]) -> None:
    login(client, world["p"].expert_user)
    assert client.get(reverse("planner:gaps")).status_code == 403
    assert enqueued == [] and not PoolGap.objects.exists()
