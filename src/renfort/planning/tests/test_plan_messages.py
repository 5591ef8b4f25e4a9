"""The planner's reasons, given as data, read in the reader's language: every code the planner
can emit has an English and a French sentence, and the review page puts names (people, topics,
countries, slots) where the planner has ids."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from renfort.lib.messages import kind_of, render
from renfort.planner.explain import REASON_CODES
from renfort.planner.solve import solve
from renfort.planner.tests.test_explain_codes import CASES
from renfort.planning.messages import PlanNames, message_code, planner_message
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.services import planner_run_start
from renfort.roster.models import Category
from renfort.testing import Personas, make_expert, make_member, next_year, persona_mission

# What the planner's ids of the tiny problems name in the database.
NAMES = PlanNames(
    experts={"E1": "Anna Berg", "E2": "Olu Ade", "E3": "Mia Roy"},
    slots={"M1-1": (1, "M-2027-001"), "M1-2": (2, "M-2027-001"), "M2-1": (1, "M-2027-002")},
    topics={"customs_valuation": "Customs valuation"},
)
IDENTIFIERS = re.compile(r"customs_valuation|specialized_trainer|\bE[0-9]\b|\bM[12]-[12]\b|%\(")


@cache
def _planner_reasons() -> dict[str, dict[str, Any]]:
    """One reason of each code, as the planner gives it for the tiny problems."""
    found: dict[str, dict[str, Any]] = {"pins.not_found": {"code": "pins.not_found", "params": {}}}
    for _code, doc in CASES:
        plan = solve(doc, time_limit_s=1)
        given = list(plan.get("error_codes", []))
        for m in plan["missions"]:
            given += m.get("reason_codes", [])
            given += [a["explanation_code"] for a in m["assignments"]]
        for r in given:
            found.setdefault(r["code"], r)
    return found


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A French request leaves French active in the thread: give later tests theirs back."""
    with translation.override(translation.get_language()):
        yield


def test_the_samples_cover_every_code_the_planner_can_emit() -> None:
    assert set(_planner_reasons()) == set(REASON_CODES)


@pytest.mark.parametrize("code", REASON_CODES)
def test_every_planner_code_reads_in_english_and_in_french(code: str, caplog) -> None:
    kind, params = planner_message(_planner_reasons()[code], NAMES)
    assert kind == message_code(code) and kind_of(kind) is not None, f"{code} is not registered"
    caplog.set_level(logging.WARNING, logger="renfort.lib.messages")
    english = str(render(kind, params, "en"))
    french = str(render(kind, params, "fr"))
    assert caplog.records == [], "a parameter is missing or cannot be rendered"
    assert english and french != english
    for text in (english, french):
        assert not IDENTIFIERS.search(text), text
        assert "–" not in text, f"a parameter is missing: {text}"


def test_names_take_the_place_of_ids() -> None:
    kind, params = planner_message(_planner_reasons()["slot.no_topic_levels"], NAMES)
    with translation.override("fr"):
        text = str(render(kind, params))
    assert text == (
        "Poste 1 de la mission M-2027-001\u00a0: aucun expert de la catégorie «\u00a0Formateur "
        "spécialisé\u00a0» parlant la langue de la mission, anglais (1 dans le vivier), n’a les "
        "niveaux exigés\u00a0: "
        "Valeur en douane au niveau 2 ou plus (aucun ne dépasse le niveau 1)."
    )
    kind, params = planner_message(_planner_reasons()["slot.only_beneficiaries"], NAMES)
    assert "(Morocco)" in str(render(kind, params, "en"))
    assert "(Maroc)" in str(render(kind, params, "fr"))
    kind, params = planner_message(_planner_reasons()["pins.overlap"], NAMES)
    assert str(render(kind, params, "en")) == (
        "Anna Berg cannot do both mission M1 and mission M2: their dates overlap or leave fewer "
        "than 1 travel day(s) between them."
    )


def test_released_days_within_a_year_say_which_year() -> None:
    over = {
        "code": "pins.over_released",
        "params": {"expert": "E1", "days": 12, "released": 10, "year": 2027},
    }
    kind, params = planner_message(over, NAMES)
    assert str(render(kind, params, "en")) == (
        "Anna Berg is pinned to 12 mission days in 2027 and released for 10 that year."
    )
    assert str(render(kind, params, "fr")) == (
        "Anna Berg est épinglé sur 12 jours de mission en 2027 et mis à disposition pour 10 "
        "cette année-là."
    )


# --- the review page ---------------------------------------------------------------------------


def _visible(html: str) -> str:
    """The page's text as a person reads it (no tags, attributes or URLs)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def plan_world(personas: Personas) -> dict[str, Any]:
    p = personas
    staffable = persona_mission(p, start=next_year(4, 6), end=next_year(4, 10), priority=5)
    # The same profile on the same dates, less important: the persona expert is held.
    clash = persona_mission(p, start=next_year(4, 6), end=next_year(4, 10), priority=1)
    audit = persona_mission(
        p,
        start=next_year(6, 1),
        end=next_year(6, 5),
        slots=[(Category.SPECIALIZED_TRAINER, {"post_clearance_audit": 3})],
    )
    domestic = persona_mission(
        p,
        start=next_year(7, 1),
        end=next_year(7, 5),
        slots=[(Category.MODERNIZATION_ADVISER, {"aeo": 2})],
    )
    make_expert(
        home_administration=make_member("DE", "EUR", languages=("de",)),
        first_name="Nora",
        last_name="Klein",
        categories=(Category.SPECIALIZED_TRAINER,),
        languages=("fr",),
        skills={"post_clearance_audit": 2},
    )
    # Qualified for the advisory mission, but from Senegal, its beneficiary.
    make_expert(
        home_administration=p.admin_a,
        first_name="Awa",
        last_name="Diop",
        categories=(Category.MODERNIZATION_ADVISER,),
        languages=("fr",),
        skills={"aeo": 4},
    )
    run = planner_run_start(
        by=p.secretariat, missions=[staffable, clash, audit, domestic], time_limit_s=1
    )
    assert run.status == PlannerRunStatus.DONE, run.error
    return {"p": p, "run": run, "missions": [staffable, clash, audit, domestic]}


def test_the_review_in_french_says_why_with_names(client: Client, plan_world: dict) -> None:
    run, missions = plan_world["run"], plan_world["missions"]
    entries = {m["id"]: m for m in run.plan["missions"]}
    audit_reason = entries[missions[2].reference]["reason_codes"][0]
    assert audit_reason["code"] == "slot.no_topic_levels"  # stored as the planner's data
    client.force_login(plan_world["p"].secretariat)
    url = reverse("planner:run_detail", args=[run.pk])
    text = _visible(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert (
        f"Poste 1 de la mission {missions[2].reference} : aucun expert de la catégorie "
        "« Formateur spécialisé » parlant la langue de la mission, français (2 dans le vivier), "
        "n’a les niveaux exigés : Contrôle a posteriori au niveau 3 ou plus (aucun ne dépasse le "
        "niveau 2)."
    ) in text
    assert "viennent d’un pays bénéficiaire (Sénégal)" in text
    expert = plan_world["p"].expert
    assert f"sont retenus par mission {missions[0].reference} ({expert})" in text
    assert "Missions pourvues : 1 sur 4" in text and "Experts proposés : 1" in text
    assert "Administrations prêteuses concernées : 1" in text
    assert "pays : France" in text  # why the expert fits, with the country's name
    for identifier in (
        "fit_total",
        "fit_mean",
        "distinct_countries",
        "post_clearance_audit",
        "modernization_adviser",
        "specialized_trainer",
        "E000",
        *(f"{m.reference}-1" for m in missions),
    ):
        assert identifier not in text, identifier
    english = _visible(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Post-clearance audit at level 3 or more (none of them is above level 2)" in english
    assert "comes from a beneficiary country (Senegal)" in english
    assert "Missions staffed: 1 of 4" in english


def test_a_plan_written_before_codes_shows_its_words(client: Client, plan_world: dict) -> None:
    run = plan_world["run"]
    plan = dict(run.plan)
    for entry in plan["missions"]:
        if entry.pop("reason_codes", None) is not None:
            entry["reasons"] = ["the planner's own words"]
    PlannerRun.objects.filter(pk=run.pk).update(plan=plan)
    client.force_login(plan_world["p"].secretariat)
    html = client.get(reverse("planner:run_detail", args=[run.pk])).content.decode()
    assert html.count("the planner&#x27;s own words") == 3


def test_a_failed_run_says_which_pins_clash_in_the_readers_language(
    client: Client, plan_world: dict
) -> None:
    p, missions = plan_world["p"], plan_world["missions"]
    first, second = missions[0].reference, missions[1].reference
    overlap = {
        "code": "pins.overlap",
        "params": {
            "pins": [0, 1],
            "expert": str(p.expert.pk),
            "missions": [first, second],
            "travel_days": 1,
        },
    }
    run = PlannerRun.objects.create(
        created_by=p.secretariat,
        status=PlannerRunStatus.FAILED,
        error="The pinned assignments cannot all hold. (English, when the worker stored it)",
        plan={
            "status": "infeasible",
            "missions": [],
            "errors": ["the pinned assignments cannot all hold together", "…"],
            "error_codes": [{"code": "pins.conflict", "params": {}}, overlap],
        },
    )
    client.force_login(p.secretariat)
    url = reverse("planner:run_detail", args=[run.pk])
    text = _visible(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "Les affectations épinglées ne peuvent pas toutes tenir ensemble." in text
    assert (
        f"{p.expert} ne peut pas faire à la fois la mission {first} et la mission {second}" in text
    )
    assert "English, when the worker stored it" not in text
