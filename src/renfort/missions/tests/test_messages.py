"""What the application writes for people is stored as codes: after the main flows, no
notification, history note, decline reason or assignment explanation holds a sentence the
application wrote; every assignment status change left a history row; readers see it all in
their own language."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from renfort.accounts.models import Notification, Role
from renfort.assistance.models import RequestStatusChange
from renfort.assistance.services import request_submit, request_transition
from renfort.lib import messages
from renfort.missions.models import (
    Assignment,
    AssignmentStatusChange,
    MissionStatusChange,
    SlotOffer,
)
from renfort.missions.services import (
    assignment_create,
    assignment_release_decide,
    assignment_swap,
    assignment_transition,
    mission_from_requests,
    mission_set_dates,
    mission_transition,
)
from renfort.missions.services.terms import terms_confirm, terms_send
from renfort.planning.selectors import proposal_for_slot
from renfort.planning.services import planner_run_start, proposal_swap, proposals_accept
from renfort.roster.models import Category
from renfort.testing import (
    Personas,
    make_expert,
    make_member,
    make_user,
    next_year,
    persona_mission,
    topic,
)

# The only sentences people typed in the flows below.
OWN_WORDS = {"", "Looks sound.", "On leave.", "Port closed."}


def _main_flows(p: Personas) -> None:
    """Submit, appraise, accept, plan, invite, accept, refuse the release, decline, swap,
    grant, confirm, cancel; the actors speak French, whose words must not be stored. An
    expert whose release was refused for a mission, or who declined it, is not placed in it
    again: Ana declines another mission, and others staff the first."""
    start = next_year(3, 1)
    req = request_submit(
        by=p.member,
        title="Risk audit",
        administrations=[p.admin_a],
        topics=[topic("risk_management")],
        level="operational",
        needs="Train officers.",
        preferred_start=start,
        preferred_end=start + datetime.timedelta(days=60),
        language="fr",
    )
    request_transition(
        request=req, to_status="under_appraisal", by=p.secretariat, note="Looks sound."
    )
    req = request_transition(request=req, to_status="accepted", by=p.secretariat)
    mission = mission_from_requests(requests=[req], by=p.secretariat)
    slot = mission.slots.get()
    mission_set_dates(mission=mission, start=start, end=start + datetime.timedelta(days=4))
    mission_transition(mission=mission, to_status="planned", by=p.secretariat)

    a = assignment_create(slot=slot, expert=p.expert, status="invited", by=p.secretariat)
    assignment_transition(assignment=a, to_status="accepted", by=p.expert_user)
    assignment_release_decide(assignment=a, granted=False, by=p.lender)
    elsewhere = persona_mission(p, start=next_year(5, 4)).slots.get()
    a = assignment_create(slot=elsewhere, expert=p.expert, status="invited", by=p.secretariat)
    assignment_transition(assignment=a, to_status="declined", by=p.expert_user, reason="On leave.")
    other = make_expert(
        home_administration=p.admin_c,
        categories=["specialized_trainer"],
        languages=["fr"],
        skills={"risk_management": 3},
    )
    a = assignment_create(slot=slot, expert=other, by=p.secretariat)
    bruno_user = make_user(Role.EXPERT, p.admin_b, username="bruno", language="fr")
    bruno = make_expert(
        home_administration=p.admin_b,
        first_name="Bruno",
        categories=["specialized_trainer"],
        languages=["fr"],
        user=bruno_user,
    )
    a = assignment_swap(assignment=a, expert=bruno, by=p.secretariat)
    assignment_transition(assignment=a, to_status="invited", by=p.secretariat)
    assignment_transition(assignment=a, to_status="accepted", by=bruno_user)
    assignment_release_decide(assignment=a, granted=True, by=p.lender)
    mission_transition(mission=mission, to_status="scheduled", by=p.secretariat)
    terms_send(mission=mission, by=p.secretariat)
    terms_confirm(mission=mission, by=p.member)
    mission_transition(mission=mission, to_status="confirmed", by=p.secretariat)
    mission_transition(
        mission=mission, to_status="cancelled", by=p.secretariat, note="Port closed."
    )


def _explanation_flows(p: Personas, client: Client) -> None:
    """Why experts fit, written in French: a lender offers its expert through the matrix; the
    planner proposes two experts, the secretariat swaps one, and accepts the plan."""
    offered = persona_mission(p, start=next_year(6, 1))
    client.force_login(p.lender)
    response = client.post(
        reverse("missions:matrix_offer", args=[offered.slots.get().pk]),
        {"expert": p.expert.pk},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    # The secretariat assigns the offered expert from the matrix, in one click.
    client.force_login(p.secretariat)
    offer = SlotOffer.objects.get(slot__mission=offered)
    response = client.post(reverse("missions:matrix_assign", args=[offer.pk]))
    assert response.status_code == 302
    need = (Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})
    planned = persona_mission(p, start=next_year(9, 1), slots=[need, need])
    pool = [
        make_expert(home_administration=make_member(c, "EUR", languages=("fr",)), first_name=c)
        for c in ("DE", "BE")
    ]
    run = planner_run_start(by=p.secretariat, missions=[planned], time_limit_s=1)
    slot = f"{planned.reference}-1"
    proposed = {a["expert"] for e in run.plan["missions"] for a in e["assignments"]}
    unused = next(x for x in [p.expert, *pool] if str(x.pk) not in proposed)
    run = proposal_swap(run=run, slot_code=slot, expert=unused, by=p.secretariat)
    assert proposal_for_slot(run, slot)[1]["expert"] == str(unused.pk)
    created, refused = proposals_accept(
        run=run, slot_codes=[f"{planned.reference}-1", f"{planned.reference}-2"], by=p.secretariat
    )
    assert len(created) == 2 and not refused


@pytest.mark.django_db
def test_no_service_stores_a_sentence(personas: Personas, client: Client) -> None:
    with translation.override("fr"):
        _main_flows(personas)
        _explanation_flows(personas, client)

    notifications = list(Notification.objects.all())
    assert len({n.code for n in notifications}) >= 8
    for n in notifications:
        assert n.code and (n.subject, n.body) == ("", ""), n.code
        messages.check(n.code, n.params)

    rows = [
        *RequestStatusChange.objects.all(),
        *MissionStatusChange.objects.all(),
        *AssignmentStatusChange.objects.all(),
    ]
    assert {r.note_code for r in rows} >= {
        "request.planned_in_mission",
        "request.unplanned",
        "assignment.release_refused",
        "assignment.replaced_by",
        "assignment.mission_confirmed",
        "assignment.mission_cancelled",
    }
    for row in rows:
        assert row.note in OWN_WORDS, row.note
        if row.note_code:
            messages.check(row.note_code, row.note_params)
    assert set(Assignment.objects.values_list("decline_reason", flat=True)) <= OWN_WORDS

    assignments = list(Assignment.objects.all())
    assert {a.explanation_code for a in assignments} >= {
        "assignment.offered_by_member",
        "assignment.fit",
        "assignment.swapped_in_by",
    }
    for a in assignments:
        assert a.explanation == "", a.explanation
        if a.explanation_code:
            messages.check(a.explanation_code, a.explanation_params)


@pytest.mark.django_db
def test_every_assignment_status_change_leaves_a_history_row(personas: Personas) -> None:
    _main_flows(personas)
    for a in Assignment.objects.prefetch_related("history"):
        steps = [(s.from_status, s.to_status) for s in a.history.all()]
        assert steps[0][0] == "" and steps[-1][1] == a.status, steps
        assert all(prev[1] == nxt[0] for prev, nxt in itertools.pairwise(steps))
    withdrawn = AssignmentStatusChange.objects.get(note_code="assignment.release_refused")
    assert (withdrawn.from_status, withdrawn.to_status, withdrawn.by) == (
        "accepted",
        "withdrawn",
        personas.lender,
    )


@pytest.mark.django_db
def test_a_french_reader_sees_french_what_an_english_action_wrote(client, personas) -> None:
    with translation.override("en"):
        _main_flows(personas)
    client.force_login(personas.member)
    french = client.get(reverse("accounts:inbox"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # French typography puts a (narrow) non-breaking space before ":"; compare the words.
    french = french.replace("\u00a0", " ").replace("\u202f", " ").replace("&nbsp;", " ")
    english = client.get(reverse("accounts:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "est désormais : Planifiée." in french and "Planifiée dans la mission" in french
    assert "annulée" in french and "Port closed." in french
    assert "is now Planned." in english and "Planned in mission" in english
    assert "est désormais" not in english


@pytest.mark.django_db
def test_an_english_reader_sees_english_what_a_french_action_wrote(client, personas) -> None:
    personas.expert_user.language = "fr"
    personas.expert_user.save()
    with translation.override("fr"):
        _main_flows(personas)
    client.force_login(personas.secretariat)
    html = client.get(reverse("accounts:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ana Lima: Declined for mission" in html and "On leave." in html
    assert "Release refused: Ana Lima for mission" in html
    assert "Refusée" not in html and "Mise à disposition" not in html


@pytest.mark.django_db
def test_the_mission_page_shows_each_assignment_history_in_the_readers_language(
    client, personas, django_assert_max_num_queries
) -> None:
    _main_flows(personas)
    mission = Assignment.objects.filter(expert=personas.expert)[0].slot.mission
    client.force_login(personas.secretariat)
    url = reverse("missions:mission_detail", args=[mission.pk])
    with django_assert_max_num_queries(31):  # + the slots' offers, + the field history (9)
        french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Historique" in french
    assert "Mise à disposition refusée par French Customs." in french
    assert "Remplacé par" in french and f"La mission {mission.reference} est annulée." in french
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Release refused by French Customs." in english
    assert f"Mission {mission.reference} is cancelled." in english
