"""Terms of reference: built from the mission's data, fingerprinted, confirmed by every
beneficiary administration before the mission is confirmed; a change asks for a new
confirmation."""

from __future__ import annotations

import pytest
from django.utils import translation

from renfort.accounts.models import Notification, Role, User
from renfort.lib.messages import render
from renfort.missions.models import AssignmentStatus, Mission, MissionStatus
from renfort.missions.services import mission_set_dates, mission_transition, slot_add
from renfort.missions.services.terms import terms_confirm, terms_send
from renfort.missions.terms import terms_of, terms_problems, terms_standing, unconfirmed
from renfort.missions.terms_models import TermsConfirmation
from renfort.results.models import Objective
from renfort.roster.models import Category, ReleaseStatus
from renfort.testing import (
    Personas,
    make_assignment,
    make_member,
    make_request,
    make_user,
    next_year,
    persona_mission,
    refuses,
)

pytestmark = pytest.mark.django_db


def _staffed(p: Personas, **kwargs) -> Mission:
    """A scheduled mission for Senegal whose one slot Ana Lima (France) holds, accepted and
    released: ready to be confirmed but for its terms of reference."""
    mission = persona_mission(
        p,
        status=MissionStatus.SCHEDULED,
        location="Dakar, Senegal",
        slots=[(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})],
        **kwargs,
    )
    make_assignment(
        mission.slots.get(),
        p.expert,
        status=AssignmentStatus.ACCEPTED,
        release_status=ReleaseStatus.GRANTED,
        busy=True,
    )
    return mission


def _regional(p: Personas) -> tuple[Mission, User]:
    """A mission for Senegal and Côte d'Ivoire, each with its focal point."""
    ci = make_member("CI", "WCA", name="Côte d'Ivoire Customs")
    ci_user = make_user(Role.MEMBER_FOCAL_POINT, ci, username="ci")
    requests = [
        make_request(administrations=[p.admin_a], focal_point=p.member),
        make_request(administrations=[ci], focal_point=ci_user),
    ]
    return _staffed(p, requests=requests), ci_user


# --- content --------------------------------------------------------------------------------


def test_terms_are_built_from_requests_objectives_dates_and_experts(personas):
    p = personas
    req = make_request(
        administrations=[p.admin_a],
        focal_point=p.member,
        topics=("risk_management", "aeo"),
        needs="Targeting at the port of Dakar.",
    )
    mission = _staffed(p, requests=[req])
    objective = Objective.objects.create(title="Faster release at the port", level="tactical")
    objective.missions.add(mission)
    terms = terms_of(mission)
    assert [b.name for b in terms.beneficiaries] == ["Senegal Customs"]
    assert [r.reference for r in terms.requests] == [req.reference]
    assert terms.requests[0].needs == "Targeting at the port of Dakar."
    assert {t.code for t in terms.requests[0].topics} == {"risk_management", "aeo"}
    assert terms.objectives == ("Faster release at the port",)
    (slot,) = terms.slots
    assert slot.category == Category.TECHNICAL_OPERATIONAL_EXPERT
    assert [(x.topic.code, x.level) for x in slot.requirements] == [("risk_management", 2)]
    assert slot.expert is not None and slot.expert.expert == p.expert
    assert slot.expert.home == p.admin_b
    # The expert's levels in the topics that matter here: the slot's and the requests'.
    assert [(x.topic.code, x.level) for x in slot.expert.levels] == [
        ("aeo", 2),
        ("risk_management", 3),
    ]
    assert len(terms.fingerprint) == 64


def test_an_expert_appears_once_they_take_part(personas):
    mission = persona_mission(personas, status=MissionStatus.SCHEDULED)
    a = make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED)
    before = terms_of(mission)
    assert before.slots[0].expert is None
    a.status = AssignmentStatus.ACCEPTED
    a.save()
    after = terms_of(mission)
    assert after.slots[0].expert is not None
    assert after.fingerprint != before.fingerprint


def test_the_fingerprint_is_the_same_in_every_language(personas):
    mission = _staffed(personas)
    with translation.override("fr"):
        french = terms_of(mission).fingerprint
    assert terms_of(mission).fingerprint == french


def test_terms_are_read_in_a_bounded_number_of_queries(personas, django_assert_max_num_queries):
    mission = _staffed(personas)
    for _ in range(3):
        slot_add(mission=mission, category=Category.SPECIALIZED_TRAINER, requirements={"aeo": 1})
    mission.requests.add(make_request(administrations=[personas.admin_a]))
    with django_assert_max_num_queries(10):
        terms = terms_of(mission)
        terms_standing(terms)
    assert len(terms.slots) == 4 and len(terms.requests) == 2


# --- confirming the terms -------------------------------------------------------------------


def test_a_beneficiary_focal_point_confirms_the_current_version(personas):
    mission = _staffed(personas)
    confirmation = terms_confirm(mission=mission, by=personas.member)
    assert confirmation.organisation == personas.admin_a
    assert confirmation.fingerprint == terms_of(mission).fingerprint
    assert confirmation.confirmed_by == personas.member
    assert unconfirmed(terms_of(mission)) == []


@pytest.mark.parametrize("who", ["lender", "outsider", "secretariat", "regional"])
def test_only_a_beneficiary_focal_point_confirms(personas, who):
    mission = _staffed(personas)
    refuses(
        terms_confirm,
        text="only a member focal point of a beneficiary administration can confirm them",
        mission=mission,
        by=getattr(personas, who),
    )


@pytest.mark.parametrize("status", [MissionStatus.DRAFT, MissionStatus.PLANNED])
def test_terms_are_confirmed_while_the_mission_is_scheduled(personas, status):
    mission = _staffed(personas)
    Mission.objects.filter(pk=mission.pk).update(status=status)
    refuses(
        terms_confirm,
        text="its terms of reference are confirmed while it is scheduled",
        mission=mission,
        by=personas.member,
    )


def test_a_version_is_confirmed_once_per_administration(personas):
    mission = _staffed(personas)
    colleague = make_user(Role.MEMBER_FOCAL_POINT, personas.admin_a, username="colleague")
    terms_confirm(mission=mission, by=personas.member)
    refuses(
        terms_confirm,
        text="Senegal Customs has already confirmed this version of the terms of reference.",
        mission=mission,
        by=colleague,
    )


# --- the guard on confirming the mission ----------------------------------------------------


def test_the_mission_is_not_confirmed_before_its_terms_are(personas):
    mission, ci_user = _regional(personas)
    terms_confirm(mission=mission, by=personas.member)
    error = refuses(
        mission_transition,
        text="the terms of reference are not confirmed by Côte d'Ivoire Customs.",
        mission=mission,
        to_status=MissionStatus.CONFIRMED,
        by=personas.secretariat,
    )
    assert "Senegal Customs" not in " ".join(error.messages)
    terms_confirm(mission=mission, by=ci_user)
    assert terms_problems(mission) == []
    mission = mission_transition(
        mission=mission, to_status=MissionStatus.CONFIRMED, by=personas.secretariat
    )
    assert mission.status == MissionStatus.CONFIRMED


def test_changed_dates_ask_for_a_new_confirmation(personas):
    mission = _staffed(personas)
    terms_confirm(mission=mission, by=personas.member)
    mission = mission_set_dates(
        mission=mission, start=next_year(3, 9), end=next_year(3, 12), by=personas.secretariat
    )
    refuses(
        mission_transition,
        text="the terms of reference are not confirmed by Senegal Customs",
        mission=mission,
        to_status=MissionStatus.CONFIRMED,
    )
    (standing,) = terms_standing(terms_of(mission))
    assert standing.current is None and standing.earlier is not None
    terms_confirm(mission=mission, by=personas.member)
    assert TermsConfirmation.objects.filter(mission=mission).count() == 2
    assert mission_transition(mission=mission, to_status=MissionStatus.CONFIRMED).status == (
        MissionStatus.CONFIRMED
    )


def test_a_new_slot_asks_for_a_new_confirmation(personas):
    mission = _staffed(personas)
    terms_confirm(mission=mission, by=personas.member)
    slot_add(mission=mission, category=Category.SPECIALIZED_TRAINER, requirements={"aeo": 1})
    assert [o.name for o in unconfirmed(terms_of(mission))] == ["Senegal Customs"]


# --- notifications --------------------------------------------------------------------------


def test_the_secretariat_sends_the_terms_to_the_focal_points_who_have_not_confirmed(personas):
    mission, ci_user = _regional(personas)
    terms_confirm(mission=mission, by=personas.member)
    sent, nobody = terms_send(mission=mission, by=personas.secretariat)
    assert [n.recipient for n in sent] == [ci_user] and nobody == []
    notice = sent[0]
    assert notice.code == "terms.ready"
    assert notice.link.endswith(f"/missions/{mission.pk}/terms/")
    assert f"Terms of reference to confirm: mission {mission.reference}" in notice.subject_text
    with translation.override("fr"):
        french = render(notice.code, notice.params)
    assert f"Termes de référence à confirmer\u00a0: mission {mission.reference}" in french.subject


def test_sending_is_refused_when_everyone_has_confirmed(personas):
    mission = _staffed(personas)
    terms_confirm(mission=mission, by=personas.member)
    refuses(
        terms_send,
        text="Every beneficiary administration has already confirmed the current terms",
        mission=mission,
        by=personas.secretariat,
    )


def test_sending_is_refused_when_no_focal_point_can_confirm(personas):
    lonely = make_member("ML", "WCA", name="Mali Customs")
    mission = _staffed(personas, beneficiaries=[lonely])
    refuses(
        terms_send,
        text="Mali Customs has no member focal point in Renfort to confirm them",
        mission=mission,
        by=personas.secretariat,
    )


def test_sending_is_for_the_secretariat(personas):
    mission = _staffed(personas)
    refuses(
        terms_send,
        text="only the secretariat sends them for confirmation",
        mission=mission,
        by=personas.member,
    )


def test_the_secretariat_hears_when_the_last_beneficiary_confirms(personas):
    mission, ci_user = _regional(personas)
    terms_confirm(mission=mission, by=personas.member)
    assert not Notification.objects.filter(code="terms.confirmed_by_all").exists()
    terms_confirm(mission=mission, by=ci_user)
    (notice,) = Notification.objects.filter(code="terms.confirmed_by_all")
    assert notice.recipient == personas.secretariat
    assert "the last one Côte d'Ivoire Customs" in notice.body_text
