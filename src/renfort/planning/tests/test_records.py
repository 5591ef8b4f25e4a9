"""The experts' record feeds the planner: beneficiaries' ratings on a topic and earlier work
with a beneficiary go into the problem (``ratings``, ``worked_with``), and the review says so
when they weighed in, with names, in English and in French."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from renfort.accounts.models import Role
from renfort.lib.messages import render
from renfort.missions.models import Assignment, AssignmentStatus, MissionStatus
from renfort.planning.messages import PlanNames, planner_message
from renfort.planning.models import PlannerRunStatus
from renfort.planning.problem import problem_build
from renfort.planning.records import records_add
from renfort.planning.services import planner_run_start, proposals_accept
from renfort.results.models import Evaluation, ExpertRating
from renfort.roster.models import Category, Expert
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    make_mission,
    make_user,
    next_year,
)

TOE = Category.TECHNICAL_OPERATIONAL_EXPERT


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A French request leaves French active in the thread: give later tests theirs back."""
    with translation.override(translation.get_language()):
        yield


def _delivered(beneficiary: Any, expert: Expert, slots: dict[str, int], **kwargs: Any) -> Any:
    """A delivered mission for ``beneficiary`` last year, in which ``expert`` held the only
    slot (asking for ``slots`` topic levels) to the end."""
    kwargs.setdefault("status", MissionStatus.DELIVERED)
    mission = make_mission(
        beneficiaries=[beneficiary],
        start=next_year(3, 2).replace(year=next_year().year - 2),
        slots=[(TOE, slots)],
        **kwargs,
    )
    make_assignment(mission.slots.get(), expert, status=AssignmentStatus.COMPLETED)
    return mission


def _evaluated(mission: Any, beneficiary: Any, ratings: dict[Expert, int]) -> Evaluation:
    """The beneficiary's evaluation of ``mission``, rating each expert."""
    by = make_user(Role.MEMBER_FOCAL_POINT, beneficiary)
    evaluation = Evaluation.objects.create(
        mission=mission, organisation=beneficiary, by=by, rating=4
    )
    for expert, rating in ratings.items():
        ExpertRating.objects.create(evaluation=evaluation, expert=expert, rating=rating)
    return evaluation


@pytest.fixture
def record(personas: Personas) -> dict[str, Any]:
    """Ana (the persona expert, risk management 3, AEO 2) served Kenya and Senegal, rated 5
    and 4 on risk management; Nora, equally qualified and listed first, has no record. A new
    mission for Kenya asks for risk management 2."""
    p = personas
    ana = p.expert
    # Listed before Ana (a lower pk): first-fit, without the record, would take her.
    de = make_member("DE", "EUR", languages=("de",))
    kenya = _delivered(p.admin_c, ana, {"risk_management": 2, "post_clearance_audit": 2})
    _evaluated(kenya, p.admin_c, {ana: 5})
    senegal = _delivered(p.admin_a, ana, {"risk_management": 3}, status=MissionStatus.CLOSED)
    _evaluated(senegal, p.admin_a, {ana: 4})
    nora = make_expert(
        home_administration=de,
        first_name="Nora",
        last_name="Klein",
        languages=("fr", "en"),
        skills={"risk_management": 3, "aeo": 2},
    )
    new = make_mission(
        beneficiaries=[p.admin_c],
        start=next_year(5, 3),
        end=next_year(5, 7),
        slots=[(TOE, {"risk_management": 2})],
    )
    return {"p": p, "ana": ana, "nora": nora, "new": new, "kenya": kenya, "senegal": senegal}


def _entry(problem: dict[str, Any], expert: Expert) -> dict[str, Any]:
    return next(e for e in problem["experts"] if e["id"] == str(expert.pk))


def test_the_problem_carries_the_experts_record(record: dict[str, Any]) -> None:
    problem = problem_build(missions=[record["new"]]).problem
    ana = _entry(problem, record["ana"])
    # The mean of 5 (Kenya) and 4 (Senegal) on risk management; post-clearance audit, asked
    # on the Kenyan mission, is no topic Ana holds, so it does not count.
    assert ana["ratings"] == {"risk_management": 4.5}
    # Kenya is the new mission's beneficiary; Senegal, served too, is none of this run's.
    assert ana["worked_with"] == ["KE"]
    nora = _entry(problem, record["nora"])
    assert "ratings" not in nora and "worked_with" not in nora


def test_only_work_on_delivered_missions_and_the_slots_held_count(
    record: dict[str, Any],
) -> None:
    p, nora = record["p"], record["nora"]
    # Nora withdrew from a delivered Kenyan mission, and is booked on a confirmed one.
    withdrawn = _delivered(p.admin_c, nora, {"risk_management": 2})
    Assignment.objects.filter(slot__mission=withdrawn).update(status=AssignmentStatus.WITHDRAWN)
    ahead = make_mission(
        beneficiaries=[p.admin_c],
        start=next_year(9, 1),
        status=MissionStatus.CONFIRMED,
        slots=[(TOE, {"risk_management": 2})],
    )
    make_assignment(ahead.slots.get(), nora, status=AssignmentStatus.CONFIRMED)
    # Rated on a mission where she held a slot with no topic: no topic to credit.
    bare = _delivered(p.admin_a, nora, {})
    _evaluated(bare, p.admin_a, {nora: 1})
    problem = problem_build(missions=[record["new"]]).problem
    entry = _entry(problem, nora)
    assert "ratings" not in entry and "worked_with" not in entry


def test_the_record_takes_two_queries_whatever_the_pool(
    record: dict[str, Any], django_assert_num_queries
) -> None:
    missions = [{"beneficiaries": ["KE", "SN"]}]
    few = [{"id": str(record["ana"].pk), "skills": {"risk_management": 3}}]
    with django_assert_num_queries(2):
        records_add(few, missions)
    for i in range(12):
        make_expert(first_name=f"E{i}", skills={"risk_management": 2})
    many = [{"id": str(e.pk), "skills": {"risk_management": 3}} for e in Expert.objects.all()]
    with django_assert_num_queries(2):
        records_add(many, missions)
    assert few[0]["ratings"] == {"risk_management": 4.5}
    assert few[0]["worked_with"] == ["KE", "SN"]


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_review_says_the_record_counted_in_english_and_french(
    client: Client, record: dict[str, Any]
) -> None:
    p, ana = record["p"], record["ana"]
    run = planner_run_start(by=p.secretariat, missions=[record["new"]], time_limit_s=1)
    assert run.status == PlannerRunStatus.DONE, run.error
    (proposal,) = run.plan["missions"][0]["assignments"]
    # Nora is as qualified and listed first; the record chose Ana.
    assert proposal["expert"] == str(ana.pk)
    assert proposal["explanation_code"] == "assignment.fit_record"
    client.force_login(p.secretariat)
    url = reverse("planner:run_detail", args=[run.pk])
    english = _visible(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert (
        "Risk management 3 (needs 2); from France; rated by beneficiaries 4.5/5 on Risk "
        "management; has worked with Kenya Revenue Authority before"
    ) in english
    french = _visible(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert (
        "Gestion des risques 3 (exigé : 2) ; pays : France ; note des bénéficiaires : 4,5/5 en "
        "Gestion des risques ; a déjà travaillé avec Kenya Revenue Authority"
    ) in french
    for text in (english, french):
        assert "risk_management" not in text and "KE" not in text.split()
    # Accepting keeps the sentence on the assignment.
    created, refused = proposals_accept(run=run, slot_codes=[proposal["slot"]], by=p.secretariat)
    assert refused == {} and len(created) == 1
    held = Assignment.objects.open().get(slot__mission=record["new"])
    assert held.explanation_code == "assignment.fit_record"
    with translation.override("fr"):
        assert "a déjà travaillé avec Kenya Revenue Authority" in held.explanation_text


def test_a_fit_without_a_record_stays_the_plain_fit() -> None:
    fit: dict[str, Any] = {
        "code": "assignment.fit",
        "params": {
            "category": TOE,
            "language": "en",
            "topics": [{"topic": "risk_management", "need": 2, "have": 3}],
            "country": "FR",
            "released_days": None,
        },
    }
    names = PlanNames(topics={"risk_management": "Risk management"})
    kind, params = planner_message(fit, names)
    assert kind == "assignment.fit" and "record" not in params
    fit["params"]["worked_with"] = ["SN"]  # a beneficiary the database no longer names
    kind, params = planner_message(fit, names)
    assert kind == "assignment.fit_record"
    assert str(render(kind, params, "en")).endswith("; has worked with Senegal before")
    assert str(render(kind, params, "fr")).endswith("\u00a0; a déjà travaillé avec Sénégal")
