"""What it would take to staff a mission: the counts at once (qualified, free), the
relaxations in the background (each checked by the planner), on the mission and run pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renfort.missions.candidates import slots_pool
from renfort.missions.models import AssignmentStatus, Mission, SlotRequirement
from renfort.planner.solve import solve
from renfort.planning.models import MissionRelaxations, PlannerRun, PlannerRunStatus
from renfort.planning.outlook import mission_outlooks
from renfort.planning.problem import problem_build
from renfort.planning.relaxation_requests import relaxations_request
from renfort.planning.relaxations import mission_relaxations_compute, widened
from renfort.planning.supply import Dates
from renfort.roster.models import Category, Unavailability
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    next_year,
    persona_mission,
)

TECH = Category.TECHNICAL_OPERATIONAL_EXPERT


def _staffed(mission: Mission) -> tuple[bool, set[str]]:
    """Solve the mission alone against everyone's commitments: staffed, and who is proposed."""
    built = problem_build(missions=[mission], time_limit_s=2)
    plan = solve(built.problem, time_limit_s=2)
    entry = next(m for m in plan["missions"] if m["id"] == mission.reference)
    return bool(entry.get("staffed")), {str(a["expert"]) for a in entry.get("assignments") or []}


@pytest.fixture
def world(personas: Personas) -> dict[str, Any]:
    """A windowed mission in French asking risk management 3 that nobody can staff as it is:
    Xavier speaks English only, Yann has level 2, Zoe is away for the whole window; Walter
    qualifies but is held by another mission then; the persona expert is away for months."""
    p = personas
    Unavailability.objects.create(expert=p.expert, start=next_year(1, 1), end=next_year(8, 1))
    de = make_member("DE", languages=("de",))
    mission = persona_mission(
        p,
        window=(next_year(3, 1), next_year(3, 31), 5),
        slots=[(TECH, {"risk_management": 3})],
        language="fr",
    )
    xavier = make_expert(home_administration=de, first_name="Xavier", languages=("en",))
    yann = make_expert(home_administration=de, first_name="Yann", skills={"risk_management": 2})
    zoe = make_expert(home_administration=de, first_name="Zoe")
    Unavailability.objects.create(expert=zoe, start=next_year(2, 20), end=next_year(3, 28))
    walter = make_expert(home_administration=de, first_name="Walter")
    other = persona_mission(p, start=next_year(2, 23), end=next_year(4, 20))
    held = make_assignment(other.slots.get(), walter, status=AssignmentStatus.ACCEPTED)
    return {
        "p": p,
        "mission": mission,
        "xavier": xavier,
        "yann": yann,
        "zoe": zoe,
        "walter": walter,
        "other": other,
        "held": held,
    }


def test_counts_say_who_qualifies_and_who_of_them_is_free(world: dict[str, Any]) -> None:
    mission = persona_mission(
        world["p"],
        start=next_year(3, 2),
        end=next_year(3, 6),
        slots=[(TECH, {"risk_management": 2})],
    )
    outlook = mission_outlooks([mission.pk])[mission.pk]
    (slot,) = outlook.slots
    # Qualified: the persona expert, Yann, Zoe, Walter (Xavier speaks no French).
    assert slot.supply.qualified == {
        world["p"].expert.pk,
        world["yann"].pk,
        world["zoe"].pk,
        world["walter"].pk,
    }
    # Free on those dates: Yann only (the persona expert and Zoe are away, Walter is held).
    assert slot.supply.free == {world["yann"].pk}
    assert (slot.qualified, slot.free) == (4, 1)


def test_counts_from_the_pages_pool_are_the_counts_made_alone(world: dict[str, Any]) -> None:
    """The mission page loads its staffing pool (``slots_pool``) and counts the outlook from
    it: the same experts, three queries fewer."""
    mission = persona_mission(
        world["p"],
        start=next_year(3, 2),
        end=next_year(3, 6),
        slots=[(TECH, {"risk_management": 2}), (TECH, {})],
    )
    alone = mission_outlooks([mission.pk])[mission.pk]
    slots = list(mission.slots.select_related("mission").order_by("position"))
    pool = slots_pool(slots, list(mission.beneficiaries.all()))
    with CaptureQueriesContext(connection) as without_pool:
        mission_outlooks([mission.pk])
    with CaptureQueriesContext(connection) as with_pool:
        counted = mission_outlooks([mission.pk], pool=pool)[mission.pk]
    assert [(s.slot.pk, s.supply) for s in counted.slots] == [
        (s.slot.pk, s.supply) for s in alone.slots
    ]
    assert counted.slots[0].supply.free == {world["yann"].pk}
    assert counted.fingerprint == alone.fingerprint
    assert len(with_pool) == len(without_pool) - 3
    # A pool of other slots is not used: the outlook reads the pool itself.
    other = slots_pool(list(world["other"].slots.select_related("mission")))
    assert mission_outlooks([mission.pk], pool=other)[mission.pk].slots[0].supply == (
        alone.slots[0].supply
    )


def _apply(mission: Mission, change: dict[str, Any]) -> None:
    """Make the change to the mission itself, as a coordinator would."""
    kind = change["kind"]
    if kind == "topic_level":
        slot = mission.slots.get(position=change["params"]["slot"])
        SlotRequirement.objects.filter(slot=slot, topic__code=change["topic"]).update(
            level=change["params"]["to_level"]
        )
    elif kind == "window":
        d = widened(Dates.of(mission), change["weeks"], timezone.localdate())
        mission.window_start, mission.window_end = d.window_start, d.window_end
        mission.duration_days = d.duration_days
        mission.save()
    elif kind == "language":
        mission.language = change["language"]
        mission.save()
    elif kind == "same_country":
        mission.distinct_countries = "preferred"
        mission.save()


def test_each_relaxation_staffs_the_mission_and_none_takes_another_missions_expert(
    world: dict[str, Any],
) -> None:
    mission = world["mission"]
    assert _staffed(mission)[0] is False
    outlook = mission_outlooks([mission.pk])[mission.pk]
    row = mission_relaxations_compute(mission_id=mission.pk, fingerprint=outlook.fingerprint)
    assert row is not None and row.status == "done"
    kinds = [[c["kind"] for c in r["changes"]] for r in row.relaxations]
    assert ["topic_level"] in kinds and ["window"] in kinds and ["language"] in kinds
    assert row.relaxations[0]["changes"][0]["params"] == {
        "slot": 1,
        "topic": "Risk management",
        "from_level": 3,
        "to_level": 2,
    }
    for relaxation in row.relaxations:
        assert relaxation["experts"] >= 1
        (change,) = relaxation["changes"]
        fresh = Mission.objects.get(pk=mission.pk)
        SlotRequirement.objects.filter(slot__mission=fresh).update(level=3)
        _apply(fresh, change)
        staffed, proposed = _staffed(fresh)
        assert staffed, change
        assert str(world["walter"].pk) not in proposed  # held by the other mission
        Mission.objects.filter(pk=mission.pk).update(
            language="fr", window_start=next_year(3, 1), window_end=next_year(3, 31)
        )
    world["held"].refresh_from_db()
    assert world["held"].status == AssignmentStatus.ACCEPTED


def test_relaxations_come_fewest_changes_first(world: dict[str, Any]) -> None:
    mission = world["mission"]
    # Only Xavier remains (English, level 3): nothing single works once French is a must
    # and the level is 4; lowering the level and changing the language together do.
    SlotRequirement.objects.filter(slot__mission=mission).update(level=4)
    for who in ("yann", "zoe"):
        world[who].delete()
    outlook = mission_outlooks([mission.pk])[mission.pk]
    row = mission_relaxations_compute(mission_id=mission.pk, fingerprint=outlook.fingerprint)
    assert row is not None
    sizes = [len(r["changes"]) for r in row.relaxations]
    assert sizes and sizes == sorted(sizes)
    assert {c["kind"] for c in row.relaxations[0]["changes"]} == {"topic_level", "language"}


def test_a_mission_the_plan_staffs_as_it_is_says_so_first(world: dict[str, Any]) -> None:
    mission = world["mission"]
    Unavailability.objects.filter(expert=world["zoe"]).delete()
    outlook = mission_outlooks([mission.pk])[mission.pk]
    row = mission_relaxations_compute(mission_id=mission.pk, fingerprint=outlook.fingerprint)
    assert row is not None and row.relaxations[0]["changes"] == []


def test_requests_coalesce_per_fingerprint(world: dict[str, Any]) -> None:
    mission = world["mission"]
    outlook = mission_outlooks([mission.pk])[mission.pk]
    assert relaxations_request(outlook) is True  # the immediate backend computes it now
    again = mission_outlooks([mission.pk])[mission.pk]
    assert again.ready and again.relaxations
    assert relaxations_request(again) is False
    assert MissionRelaxations.objects.filter(mission=mission).count() == 1
    # A change of the mission's inputs is a new fingerprint.
    SlotRequirement.objects.filter(slot__mission=mission).update(level=2)
    assert mission_outlooks([mission.pk])[mission.pk].fingerprint != outlook.fingerprint


def test_mission_page_shows_counts_and_relaxations_to_the_roles_that_see_it(
    client: Client, world: dict[str, Any]
) -> None:
    p, mission = world["p"], world["mission"]
    outlook = mission_outlooks([mission.pk])[mission.pk]
    mission_relaxations_compute(mission_id=mission.pk, fingerprint=outlook.fingerprint)
    url = reverse("missions:mission_detail", args=[mission.pk])
    for user in (p.secretariat, p.member, p.regional, p.donor):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert "Who could staff it" in body and "experts qualify" in body, user
        assert "Risk management at level 2 instead of 3" in body
    make_assignment(mission.slots.get(), p.expert, status=AssignmentStatus.INVITED)
    client.force_login(p.expert_user)
    response = client.get(url)
    assert response.status_code == 200 and "Who could staff it" not in response.content.decode()
    client.force_login(p.outsider)
    assert client.get(url).status_code == 404


def test_mission_page_in_french(client: Client, world: dict[str, Any]) -> None:
    p, mission = world["p"], world["mission"]
    outlook = mission_outlooks([mission.pk])[mission.pk]
    mission_relaxations_compute(mission_id=mission.pk, fingerprint=outlook.fingerprint)
    p.secretariat.language = "fr"
    p.secretariat.save()
    client.force_login(p.secretariat)
    url = reverse("missions:mission_detail", args=[mission.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Qui pourrait la pourvoir" in body and "Gestion des risques au niveau 2" in body
    assert "Élargir" in body and "Tenir la mission en anglais" in body


def test_only_the_secretariat_asks(client: Client, world: dict[str, Any]) -> None:
    p, mission = world["p"], world["mission"]
    url = reverse("planner:mission_relaxations", args=[mission.pk])
    assert client.post(url).status_code == 302 and not MissionRelaxations.objects.exists()
    for user in (p.member, p.regional, p.donor, p.expert_user, p.outsider):
        client.force_login(user)
        assert client.post(url).status_code == 403
    client.force_login(p.secretariat)
    response = client.post(url)
    assert response["Location"] == reverse("missions:mission_detail", args=[mission.pk])
    assert MissionRelaxations.objects.get(mission=mission).status == "done"


def test_run_review_shows_them_for_unstaffed_missions(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any, settings: Any
) -> None:
    p, mission = world["p"], world["mission"]
    run = PlannerRun.objects.create(created_by=p.secretariat, status=PlannerRunStatus.DONE)
    run.plan = {
        "status": "optimal",
        "objective": {"primary": 0},
        "missions": [{"id": mission.reference, "staffed": False, "assignments": []}],
    }
    run.finished_at = timezone.now()
    run.save()
    outlook = mission_outlooks([mission.pk])[mission.pk]
    mission_relaxations_compute(mission_id=mission.pk, fingerprint=outlook.fingerprint)
    client.force_login(p.secretariat)
    with django_assert_max_num_queries(30):
        body = client.get(reverse("planner:run_detail", args=[run.pk])).content.decode()
    assert "What it would take" in body and "instead of 3" in body
    client.force_login(p.member)
    assert client.get(reverse("planner:run_detail", args=[run.pk])).status_code == 403


def test_mission_page_queries_stay_bounded_whatever_the_pool(
    client: Client, world: dict[str, Any]
) -> None:
    p, mission = world["p"], world["mission"]
    url = reverse("missions:mission_detail", args=[mission.pk])
    client.force_login(p.member)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(15):
        make_expert(home_administration=world["xavier"].home_administration)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_dates_widen_from_today_at_the_earliest() -> None:
    today = datetime.date(2030, 3, 1)
    d = widened(
        Dates(datetime.date(2030, 3, 4), datetime.date(2030, 3, 8), None, None, None), 2, today
    )
    assert (d.window_start, d.window_end, d.duration_days) == (
        today,
        datetime.date(2030, 3, 22),
        5,
    )
