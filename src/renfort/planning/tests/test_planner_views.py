"""The planner from the browser: runs, progress, review, accept, swap, pin, re-run (the pool
gaps page: test_gaps.py)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renfort.accounts.models import Notification, User
from renfort.missions.models import Assignment, AssignmentSource, AssignmentStatus
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.planning.services import planner_run_start
from renfort.planning.solving import planner_run_execute
from renfort.roster.models import Category
from renfort.testing import (
    Personas,
    make_assignment,
    make_expert,
    make_member,
    next_year,
    persona_mission,
    table_state,
)


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
    # Qualified but away during the staffable mission: a swap to them breaks availability.
    away = make_expert(
        home_administration=de,
        first_name="Otto",
        languages=("fr", "de"),
        unavailable=[(next_year(4, 1), next_year(4, 30))],
    )
    # One level short in valuation: a near match for the hopeless mission.
    near = make_expert(
        home_administration=de,
        first_name="Nora",
        categories=(Category.SPECIALIZED_TRAINER,),
        languages=("fr",),
        skills={"valuation": 3},
    )
    return {"p": p, "staffable": staffable, "hopeless": hopeless, "away": away, "near": near}


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def start(world: dict) -> PlannerRun:
    return planner_run_start(
        by=world["p"].secretariat,
        missions=[world["staffable"], world["hopeless"]],
        time_limit_s=1,
    )


def test_run_end_to_end_from_the_form(client: Client, world: dict) -> None:
    p = world["p"]
    login(client, p.secretariat)
    response = client.post(
        reverse("planner:run_create"),
        {"missions": [world["staffable"].pk, world["hopeless"].pk], "time_limit_s": "1"},
    )
    run = PlannerRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "planner:run_detail", args=[run.pk]
    )
    assert run.status == PlannerRunStatus.DONE, run.error
    assert run.progress and {"t", "primary"} <= set(run.progress[-1])
    assert set(run.missions.all()) == {world["staffable"], world["hopeless"]}

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert f"{world['staffable'].reference}-1" in html
    assert "Risk management 3 (needs 2)" in html  # the fit explanation
    # Why the other mission stayed unstaffed, with the topic's name and the best level held.
    assert "Customs valuation at level 4 or more (none of them is above level 3)" in html
    assert "<svg" in html and "<progress" in html


def test_run_form_needs_missions_or_a_period(client: Client, world: dict) -> None:
    login(client, world["p"].secretariat)
    response = client.post(reverse("planner:run_create"), {"time_limit_s": "1"})
    assert response.status_code == 200
    assert "Choose missions, a period, or both." in response.content.decode()
    response = client.post(
        reverse("planner:run_create"),
        {"period_start": next_year(1, 1), "period_end": next_year(1, 2), "time_limit_s": "1"},
    )
    assert "No mission to plan" in response.content.decode()
    assert not PlannerRun.objects.exists()


def test_a_period_picks_missions(client: Client, world: dict) -> None:
    login(client, world["p"].secretariat)
    client.post(
        reverse("planner:run_create"),
        {"period_start": next_year(5, 10), "period_end": next_year(5, 12), "time_limit_s": "1"},
    )
    assert list(PlannerRun.objects.get().missions.all()) == [world["hopeless"]]


def test_failure_is_recorded_on_the_run(world: dict) -> None:
    run = PlannerRun.objects.create(created_by=world["p"].secretariat)  # nothing to plan
    planner_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == PlannerRunStatus.FAILED
    assert run.error_text() == "No mission can go to the planner: the run holds no mission."


def test_progress_partial_polls_while_running_then_refreshes(client: Client, world: dict) -> None:
    run = PlannerRun.objects.create(
        created_by=world["p"].secretariat,
        status=PlannerRunStatus.RUNNING,
        time_limit_s=10,
        progress=[{"t": 1.0, "primary": 2, "bound": 5}, {"t": 2.0, "primary": 3, "bound": 4}],
    )
    login(client, world["p"].secretariat)
    url = reverse("planner:run_detail", args=[run.pk])
    partial = client.get(url, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert 'hx-trigger="every 1s"' in html and "<polyline" in html and "<html" not in html
    full = client.get(url)  # a plain refresh works without JavaScript
    assert 'value="20"' in full.content.decode()
    run.status = PlannerRunStatus.DONE
    run.save()
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_accept_creates_invitations_and_notifications(client: Client, world: dict) -> None:
    p = world["p"]
    run = start(world)
    slot = world["staffable"].slots.get()
    login(client, p.secretariat)
    # The first press asks once more, saying the consequence; nothing is written yet.
    before = (table_state(), Notification.objects.count())
    response = client.post(reverse("planner:run_accept", args=[run.pk]), {"all": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accept 1 proposal?" in page
    assert "1 expert will be invited; the expert and their home administration will be told" in page
    assert 'name="all" value="1"' in page and 'name="confirmed" value="yes"' in page
    french = client.post(
        reverse("planner:run_accept", args=[run.pk]), {"all": "1"}, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Accepter 1 proposition\u00a0?" in french and "1 expert sera invité" in french
    assert (table_state(), Notification.objects.count()) == before
    response = client.post(
        reverse("planner:run_accept", args=[run.pk]), {"all": "1", "confirmed": "yes"}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(slot=slot)
    assert assignment.expert == p.expert
    assert assignment.status == AssignmentStatus.INVITED
    assert assignment.source == AssignmentSource.PLANNER
    assert assignment.explanation == ""  # a code, no sentence (nor the planner's English)
    assert assignment.explanation_code == "assignment.fit"
    assert assignment.explanation_params["skills"] == [
        {"topic": "risk_management", "name": "Risk management", "have": 3, "need": 2}
    ]
    url = reverse("missions:mission_detail", args=[world["staffable"].pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Technical and operational expert; speaks French; Risk management 3 (needs 2)" in english
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert (
        "langue\u00a0: français\u00a0; Gestion des risques 3 (exigé\u00a0: 2)\u00a0; "
        "pays\u00a0: France" in french
    )
    login(client, p.expert_user)  # the invited expert reads why too
    invitations = client.get(reverse("roster:invitations"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Gestion des risques 3 (exigé\u00a0: 2)" in invitations.content.decode()
    login(client, p.secretariat)
    assert Notification.objects.filter(recipient=p.expert_user).exists()
    assert Notification.objects.filter(recipient=p.lender).exists()  # release asked
    # Accepting again refuses without writing.
    client.post(
        reverse("planner:run_accept", args=[run.pk]), {"slots": [slot.code], "confirmed": "yes"}
    )
    assert Assignment.objects.filter(slot=slot).count() == 1


def test_accept_only_the_ticked(client: Client, world: dict) -> None:
    p = world["p"]
    other = persona_mission(p, start=next_year(8, 3), end=next_year(8, 5))
    run = planner_run_start(by=p.secretariat, missions=[world["staffable"], other], time_limit_s=1)
    login(client, p.secretariat)
    code = f"{other.reference}-1"
    client.post(reverse("planner:run_accept", args=[run.pk]), {"slots": [code], "confirmed": "yes"})
    assert list(Assignment.objects.values_list("slot__mission", flat=True)) == [other.pk]


def test_swap_refuses_a_rule_breaking_expert_and_names_the_rule(
    client: Client, world: dict
) -> None:
    run = start(world)
    code = f"{world['staffable'].reference}-1"
    login(client, world["p"].secretariat)
    url = reverse("planner:run_swap", args=[run.pk, code])
    form = client.get(url)
    assert form.status_code == 200 and str(world["away"]) in form.content.decode()
    response = client.post(url, {"expert": world["away"].pk})
    assert response.status_code == 200
    assert "unavailable" in response.content.decode().lower()
    run.refresh_from_db()
    assert run.plan["missions"]  # unchanged
    entry = next(m for m in run.plan["missions"] if m["id"] == world["staffable"].reference)
    assert entry["assignments"][0]["expert"] == str(world["p"].expert.pk)


def test_swap_to_a_free_expert_changes_the_proposal_and_says_who_and_why(
    client: Client, world: dict
) -> None:
    free = make_expert(
        home_administration=make_member("BE", "EUR", languages=("fr",)), first_name="Free"
    )
    run = start(world)
    code = f"{world['staffable'].reference}-1"
    login(client, world["p"].secretariat)
    response = client.post(reverse("planner:run_swap", args=[run.pk, code]), {"expert": free.pk})
    assert response.status_code == 302
    run.refresh_from_db()
    entry = next(m for m in run.plan["missions"] if m["id"] == world["staffable"].reference)
    proposal = entry["assignments"][0]
    assert proposal["expert"] == str(free.pk) and proposal["swapped"] is True
    # Why: a code (who swapped, and how the expert fits), no sentence in anyone's language.
    assert proposal["explanation"] == ""
    assert proposal["explanation_code"] == "assignment.swapped_in_by"
    assert proposal["explanation_params"]["who"] == str(world["p"].secretariat)
    assert proposal["explanation_params"]["fit"]["code"] == "assignment.fit"
    assert proposal["explanation_params"]["fit"]["params"]["country"] == "BE"
    swap_page = client.get(reverse("planner:run_swap", args=[run.pk, code])).content.decode()
    assert f"Current proposal: Swapped in by {world['p'].secretariat}." in swap_page
    # Accepted, the assignment keeps the code; each reader sees it in their language.
    client.post(reverse("planner:run_accept", args=[run.pk]), {"slots": [code], "confirmed": "yes"})
    assignment = Assignment.objects.get(slot=world["staffable"].slots.get(), expert=free)
    assert (assignment.explanation, assignment.explanation_code) == ("", "assignment.swapped_in_by")
    assert assignment.explanation_params == proposal["explanation_params"]
    url = reverse("missions:mission_detail", args=[world["staffable"].pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Swapped in by {world['p'].secretariat}.<br><br>Technical and operational" in english
    assert "speaks French; Risk management 3 (needs 2); from Belgium" in english
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"Proposé à la place par {world['p'].secretariat}." in french
    assert "Gestion des risques 3 (exigé\u00a0: 2)\u00a0; pays\u00a0: Belgique" in french


def test_pin_and_rerun_keep_the_pinned_proposal(client: Client, world: dict) -> None:
    run = start(world)
    code = f"{world['staffable'].reference}-1"
    login(client, world["p"].secretariat)
    client.post(reverse("planner:run_pin", args=[run.pk, code]), {"pinned": "1"})
    run.refresh_from_db()
    entry = next(m for m in run.plan["missions"] if m["id"] == world["staffable"].reference)
    assert entry["assignments"][0]["pinned"] is True
    response = client.post(reverse("planner:run_rerun", args=[run.pk]))
    new = PlannerRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("planner:run_detail", args=[new.pk])
    assert {"slot": code, "expert": str(world["p"].expert.pk)} in new.problem["pinned"]
    assert new.plan["previous_run"] == run.pk
    assert new.status == PlannerRunStatus.DONE


# --- the access ladder ------------------------------------------------------------------------


def run_urls(run: PlannerRun, code: str) -> list[tuple[str, str]]:
    return [
        ("get", reverse("planner:run_list")),
        ("get", reverse("planner:run_create")),
        ("get", reverse("planner:run_detail", args=[run.pk])),
        ("post", reverse("planner:run_accept", args=[run.pk])),
        ("get", reverse("planner:run_swap", args=[run.pk, code])),
        ("post", reverse("planner:run_pin", args=[run.pk, code])),
        ("post", reverse("planner:run_rerun", args=[run.pk])),
    ]


def test_anonymous_is_sent_to_login(client: Client, world: dict) -> None:
    run = start(world)
    code = f"{world['staffable'].reference}-1"
    for method, url in [*run_urls(run, code), ("get", reverse("planner:gaps"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("role", ["regional", "member", "donor", "expert_user", "outsider"])
def test_run_pages_are_the_secretariats(client: Client, world: dict, role: str) -> None:
    run = start(world)
    code = f"{world['staffable'].reference}-1"
    login(client, world["p"].users()[role])
    for method, url in run_urls(run, code):
        assert getattr(client, method)(url).status_code == 403, url
    assert PlannerRun.objects.count() == 1 and not Assignment.objects.exists()


def test_a_run_that_does_not_exist_answers_404(client: Client, world: dict) -> None:
    run = start(world)
    code = f"{world['staffable'].reference}-1"
    login(client, world["p"].secretariat)
    missing = PlannerRun(pk=run.pk + 100)
    for method, url in run_urls(missing, code)[2:]:
        assert getattr(client, method)(url).status_code == 404, url
    # A slot that is not in the plan.
    response = client.get(reverse("planner:run_swap", args=[run.pk, "NOPE-1"]))
    assert response.status_code == 302


# --- query budgets ----------------------------------------------------------------------------


def test_run_list_queries_are_bounded(
    client: Client, world: dict, django_assert_max_num_queries
) -> None:
    for _ in range(3):
        start(world)
    login(client, world["p"].secretariat)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("planner:run_list")).status_code == 200
    for _ in range(5):
        start(world)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("planner:run_list")).status_code == 200


def test_review_page_queries_are_bounded(
    client: Client, world: dict, django_assert_max_num_queries
) -> None:
    p = world["p"]
    extra = [
        persona_mission(p, start=next_year(9, 1 + 5 * i), end=next_year(9, 3 + 5 * i))
        for i in range(4)
    ]
    for i, country in enumerate(["AT", "CH", "DK", "LU"]):
        make_expert(
            home_administration=make_member(country, "EUR", languages=("fr",)),
            first_name=f"E{i}",
        )
    run = planner_run_start(
        by=p.secretariat, missions=[world["staffable"], world["hopeless"], *extra], time_limit_s=1
    )
    assert sum(1 for m in run.plan["missions"] if m["staffed"]) >= 4
    login(client, p.secretariat)
    # Nine more for the unstaffed missions, whatever their number: who could staff them
    # (planning.outlook.mission_outlooks) and what it would take (stored). The plan's
    # quality and open proposals are counted over the whole plan in short columns (+1).
    with django_assert_max_num_queries(22):
        assert client.get(reverse("planner:run_detail", args=[run.pk])).status_code == 200


def test_accepting_a_windowed_mission_fixes_its_dates(client: Client, world: dict) -> None:
    p = world["p"]
    windowed = persona_mission(p, window=(next_year(6, 1), next_year(6, 20), 3))
    run = planner_run_start(by=p.secretariat, missions=[windowed], time_limit_s=1)
    entry = run.plan["missions"][0]
    assert entry["staffed"]
    login(client, p.secretariat)
    client.post(reverse("planner:run_accept", args=[run.pk]), {"all": "1", "confirmed": "yes"})
    windowed.refresh_from_db()
    assert str(windowed.start) == entry["start"]
    assert str(windowed.end) == entry["end"]
    assert Assignment.objects.get(slot__mission=windowed).status == AssignmentStatus.INVITED


def test_a_failed_run_shows_its_error_and_can_be_tried_again(client: Client, world: dict) -> None:
    p = world["p"]
    run = start(world)
    PlannerRun.objects.filter(pk=run.pk).update(
        status=PlannerRunStatus.FAILED, error="The planner stopped with an error (MemoryError)."
    )
    login(client, p.secretariat)
    html = client.get(reverse("planner:run_detail", args=[run.pk])).content.decode()
    assert "MemoryError" in html and "Run the planner again" in html
    response = client.post(reverse("planner:run_rerun", args=[run.pk]))
    new = PlannerRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("planner:run_detail", args=[new.pk])
    assert new.status == PlannerRunStatus.DONE and "previous_run" not in new.plan


def test_a_stalled_run_says_so(client: Client, world: dict) -> None:
    run = PlannerRun.objects.create(created_by=world["p"].secretariat, time_limit_s=5)
    PlannerRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    login(client, world["p"].secretariat)
    html = client.get(reverse("planner:run_detail", args=[run.pk])).content.decode()
    assert "worker is probably not running" in html


def test_review_warns_about_an_expert_who_declined_the_slot(client: Client, world: dict) -> None:
    """A decline after the run flags its proposal; the next run no longer proposes them
    (the slot's ``excluded_experts``)."""
    p = world["p"]
    slot = world["staffable"].slots.get()
    run = start(world)
    entry = next(m for m in run.plan["missions"] if m["id"] == world["staffable"].reference)
    assert entry["assignments"][0]["expert"] == str(p.expert.pk)
    declined = make_assignment(slot, p.expert, status=AssignmentStatus.DECLINED)
    Assignment.objects.filter(pk=declined.pk).update(decline_reason="Busy with an audit")
    login(client, p.secretariat)
    html = client.get(reverse("planner:run_detail", args=[run.pk])).content.decode()
    assert "Declined this slot before:" in html and "Busy with an audit" in html
    again = start(world)
    entry = next(m for m in again.plan["missions"] if m["id"] == world["staffable"].reference)
    assert str(p.expert.pk) not in {a["expert"] for a in entry.get("assignments") or []}


def test_pin_and_swap_of_an_accepted_proposal_act_on_the_assignment(
    client: Client, world: dict
) -> None:
    p = world["p"]
    free = make_expert(
        home_administration=make_member("BE", "EUR", languages=("fr",)), first_name="Free"
    )
    run = start(world)
    slot = world["staffable"].slots.get()
    login(client, p.secretariat)
    client.post(
        reverse("planner:run_accept", args=[run.pk]), {"slots": [slot.code], "confirmed": "yes"}
    )
    client.post(reverse("planner:run_pin", args=[run.pk, slot.code]), {"pinned": "1"})
    assert Assignment.objects.get(slot=slot, expert=p.expert).pinned is True
    client.post(reverse("planner:run_swap", args=[run.pk, slot.code]), {"expert": free.pk})
    assert Assignment.objects.get(slot=slot, expert=p.expert).status == AssignmentStatus.WITHDRAWN
    assert Assignment.objects.get(slot=slot, expert=free).is_active


def test_the_run_list_shows_the_runs_waiting_for_review(client: Client, world: dict) -> None:
    p = world["p"]
    run = start(world)
    login(client, p.secretariat)
    url = reverse("planner:run_list") + "?waiting=1"
    response = client.get(url)
    assert [r.pk for r in response.context["page"].object_list] == [run.pk]
    assert response.context["page"].object_list[0].open_proposals == 1
    slot = world["staffable"].slots.get()
    client.post(
        reverse("planner:run_accept", args=[run.pk]), {"slots": [slot.code], "confirmed": "yes"}
    )
    response = client.get(url)
    assert list(response.context["page"].object_list) == []
    assert "No run waits for review" in response.content.decode()
    # Every run still shows on the whole list, its plan's status in words.
    html = client.get(reverse("planner:run_list")).content.decode()
    assert f"Run #{run.pk}" in html
    assert "best possible plan" in html or "valid plan, not proven best" in html
