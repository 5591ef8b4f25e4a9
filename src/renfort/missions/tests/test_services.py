from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from renfort.accounts.models import Notification
from renfort.assistance.models import RequestStatus
from renfort.missions.models import (
    Assignment,
    AssignmentStatus,
    MissionStatus,
    MissionStatusChange,
)
from renfort.missions.services import (
    SlotSpec,
    assignment_create,
    assignment_pin,
    assignment_release_decide,
    assignment_swap,
    assignment_transition,
    mission_create,
    mission_from_requests,
    mission_set_dates,
    mission_transition,
    requests_merge,
    slot_add,
    slot_remove,
)
from renfort.results.models import MissionDelivery, MissionReport
from renfort.roster.models import Category, Unavailability
from renfort.testing import (
    Personas,
    confirm_terms,
    make_assignment,
    make_expert,
    make_member,
    make_request,
    next_year,
    persona_mission,
    table_state,
)

TODAY = datetime.date.today()


def create_args(p: Personas, **overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "requests": [make_request(administrations=[p.admin_a], focal_point=p.member, priority=4)],
        "title": "Risk management training",
        "type": "training",
        "level": "operational",
        "language": "fr",
        "start": next_year(3, 2),
        "end": next_year(3, 6),
        "slots": [SlotSpec(Category.TECHNICAL_OPERATIONAL_EXPERT, {"risk_management": 2})],
        "by": p.secretariat,
    }
    args.update(overrides)
    return args


def refuses(call, *, text: str, **kwargs: Any) -> ValidationError:
    """``call(**kwargs)`` is refused with ``text`` in its messages and writes nothing."""
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    assert text in " | ".join(exc.value.messages), exc.value.messages
    assert table_state() == before
    return exc.value


# --- mission_create ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_mission_create_defaults_from_its_requests(personas: Personas) -> None:
    mission = mission_create(**create_args(personas))
    # The year of creation, not of the mission's dates (next year's).
    assert mission.reference == f"M-{timezone.localdate().year}-001"
    assert list(mission.beneficiaries.all()) == [personas.admin_a]
    assert mission.priority == 4
    assert mission.status == MissionStatus.DRAFT
    slot = mission.slots.get()
    assert slot.code == f"{mission.reference}-1"
    assert [(r.topic.code, r.level) for r in slot.requirements.all()] == [("risk_management", 2)]
    assert mission.history.get().to_status == MissionStatus.DRAFT


@pytest.mark.django_db
def test_no_mission_without_a_request(personas: Personas) -> None:
    refuses(
        mission_create,
        text="a mission answers at least one accepted request",
        **create_args(personas, requests=[]),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["submitted", "under_appraisal", "declined", "closed"])
def test_no_mission_for_a_request_that_is_not_accepted(personas: Personas, status: str) -> None:
    req = make_request(administrations=[personas.admin_a], status=status)
    refuses(
        mission_create,
        text=f"{req.reference} is {RequestStatus(status).label}; a mission can only answer an "
        "accepted request",
        **create_args(personas, requests=[req]),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "text"),
    [
        ({"start": None, "end": None}, "give fixed dates, or a window"),
        ({"end": None}, "give both the first and the last day"),
        ({"end": next_year(3, 1)}, "is before the first day"),
        (
            {"start": None, "end": None, "window_start": next_year(3, 1), "window_end": None},
            "Window: give its first day",
        ),
        (
            {
                "start": None,
                "end": None,
                "window_start": next_year(3, 1),
                "window_end": next_year(3, 3),
                "duration_days": 5,
            },
            "5 days do not fit in the window",
        ),
        ({"type": "party"}, "party is not a mission type"),
        ({"level": "x"}, "x is not strategic"),
        ({"language": "fra"}, "fra is not an ISO 639-1 code"),
        ({"title": ""}, "give the mission a title"),
        ({"priority": 0}, "0 is not between 1 and 5"),
        ({"distinct_countries": "always"}, "always is not required"),
        ({"slots": [SlotSpec("wizard", {})]}, "wizard is not an expert category"),
        ({"slots": [SlotSpec(Category.SPECIALIZED_TRAINER, {"alchemy": 1})]}, "unknown topic"),
        ({"slots": [SlotSpec(Category.SPECIALIZED_TRAINER, {"aeo": 7})]}, "between 1 and 4"),
    ],
)
def test_mission_create_refuses_bad_input(personas: Personas, overrides, text) -> None:
    refuses(mission_create, text=text, **create_args(personas, **overrides))


@pytest.mark.django_db
def test_beneficiaries_must_be_member_administrations(personas: Personas) -> None:
    refuses(
        mission_create,
        text="Nordic Development Agency is not a member administration",
        **create_args(personas, beneficiaries=[personas.donor_agency]),
    )


@pytest.mark.django_db
def test_mission_from_requests_suggests_slots_and_a_window(personas: Personas) -> None:
    req = make_request(
        administrations=[personas.admin_a],
        topics=["risk_management", "aeo"],
        level="strategic",
        preferred_start=next_year(3, 1),
        preferred_end=next_year(3, 31),
    )
    mission = mission_from_requests(requests=[req], by=personas.secretariat)
    assert mission.status == MissionStatus.DRAFT
    assert (mission.window_start, mission.window_end) == (next_year(3, 1), next_year(3, 31))
    assert mission.duration_days == 5 and mission.start is None
    slot = mission.slots.get()
    assert slot.category == Category.MODERNIZATION_ADVISER
    assert {r.topic.code: r.level for r in slot.requirements.all()} == {
        "risk_management": 3,
        "aeo": 3,
    }


@pytest.mark.django_db
def test_requests_merge_makes_one_regional_mission(personas: Personas) -> None:
    gh = make_member("GH", "WCA", languages=("en",))
    ci = make_member("CI", "WCA", languages=("fr",))
    first = make_request(administrations=[personas.admin_a], language="fr")
    second = make_request(administrations=[ci], language="fr", topics=["aeo"])
    mission = requests_merge(requests=[first, second], by=personas.secretariat)
    assert set(mission.beneficiaries.all()) == {personas.admin_a, ci}
    assert set(mission.requests.all()) == {first, second}
    assert mission.slots.count() == 2
    english = make_request(administrations=[gh], language="en")
    refuses(
        requests_merge,
        text="different languages (en, fr)",
        requests=[first, english],
        by=personas.secretariat,
    )
    refuses(requests_merge, text="at least two requests", requests=[first], by=None)


# --- slots ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_slot_add_and_remove(personas: Personas) -> None:
    mission = persona_mission(personas)
    slot = slot_add(mission=mission, category=Category.SPECIALIZED_TRAINER, requirements={"aeo": 2})
    assert slot.position == 2
    slot_remove(slot=slot)
    assert mission.slots.count() == 1


@pytest.mark.django_db
def test_slot_held_by_an_expert_cannot_be_removed(personas: Personas) -> None:
    mission = persona_mission(personas)
    make_assignment(mission.slots.get(), personas.expert)
    refuses(slot_remove, text="is held by Ana Lima", slot=mission.slots.get())


@pytest.mark.django_db
def test_slots_of_a_confirmed_mission_do_not_change(personas: Personas) -> None:
    mission = persona_mission(personas, status="confirmed")
    refuses(
        slot_add,
        text="is Confirmed: its slots can no longer change",
        mission=mission,
        category=Category.SPECIALIZED_TRAINER,
        requirements={},
    )
    refuses(slot_remove, text="its slots can no longer change", slot=mission.slots.get())


# --- mission transitions ----------------------------------------------------------------------


@pytest.mark.django_db
def test_planning_a_mission_plans_its_requests(personas: Personas) -> None:
    mission = persona_mission(personas)
    req = mission.requests.get()
    mission_transition(mission=mission, to_status="planned", by=personas.secretariat)
    req.refresh_from_db()
    assert req.status == RequestStatus.PLANNED
    planned = req.history.get(to_status="planned")
    assert (planned.note, planned.note_code, planned.note_params) == (
        "",
        "request.planned_in_mission",
        {"mission": mission.reference},
    )
    assert planned.note_text == f"Planned in mission {mission.reference}."
    step = MissionStatusChange.objects.get(mission=mission)
    assert (step.from_status, step.to_status, step.by) == ("draft", "planned", personas.secretariat)
    mission_transition(mission=mission, to_status="draft", by=personas.secretariat)
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED


@pytest.mark.django_db
def test_transition_outside_the_table_is_refused(personas: Personas) -> None:
    mission = persona_mission(personas)
    refuses(
        mission_transition,
        text=f"Mission {mission.reference} cannot go from Draft to Confirmed; allowed next: "
        "Cancelled, Planned.",
        mission=mission,
        to_status="confirmed",
    )


@pytest.mark.django_db
def test_a_mission_without_slots_is_not_planned(personas: Personas) -> None:
    mission = persona_mission(personas, slots=[])
    refuses(mission_transition, text="has no expert slot", mission=mission, to_status="planned")


@pytest.mark.django_db
def test_a_mission_whose_request_was_closed_is_not_planned(personas: Personas) -> None:
    mission = persona_mission(personas)
    mission.requests.update(status=RequestStatus.CLOSED)
    refuses(mission_transition, text="no longer accepted", mission=mission, to_status="planned")


@pytest.mark.django_db
def test_a_mission_is_scheduled_once_it_has_dates(personas: Personas) -> None:
    mission = persona_mission(
        personas, status="planned", window=(next_year(3, 1), next_year(4, 30), 5)
    )
    refuses(
        mission_transition,
        text=f"Mission {mission.reference} has no dates yet: set its dates or let the planner "
        "choose them.",
        mission=mission,
        to_status="scheduled",
    )
    mission_set_dates(mission=mission, start=next_year(3, 2), end=next_year(3, 6))
    assert mission_transition(mission=mission, to_status="scheduled").status == "scheduled"


@pytest.mark.django_db
def test_confirming_needs_every_slot_accepted_and_released(personas: Personas) -> None:
    mission = persona_mission(personas, status="scheduled")
    slot = mission.slots.get()
    refuses(
        mission_transition,
        text=f"Slot {slot.code} has no expert",
        mission=mission,
        to_status="confirmed",
    )
    a = make_assignment(slot, personas.expert, status="invited")
    refuses(
        mission_transition, text="is Invited, not accepted", mission=mission, to_status="confirmed"
    )
    a.status = "accepted"
    a.save()
    refuses(
        mission_transition,
        text="French Customs has not granted the release of Ana Lima (Pending)",
        mission=mission,
        to_status="confirmed",
    )


@pytest.mark.django_db
def test_confirming_confirms_the_experts_and_tells_everyone(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    mission = persona_mission(personas, status="scheduled")
    a = make_assignment(
        mission.slots.get(), personas.expert, status="accepted", release_status="granted"
    )
    confirm_terms(mission)
    with django_capture_on_commit_callbacks(execute=True):
        mission_transition(mission=mission, to_status="confirmed", by=personas.secretariat)
    a.refresh_from_db()
    assert a.status == AssignmentStatus.CONFIRMED
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"expert", "member"}
    link = reverse("missions:mission_detail", args=[mission.pk])
    assert set(Notification.objects.values_list("link", flat=True)) == {link}
    assert {m.to[0] for m in mailoutbox} == {personas.expert_user.email, personas.member.email}
    assert all(f"Mission {mission.reference} confirmed" == m.subject for m in mailoutbox)
    step = a.history.get()
    assert (step.from_status, step.to_status, step.by, step.note_code) == (
        "accepted",
        "confirmed",
        personas.secretariat,
        "assignment.mission_confirmed",
    )


@pytest.mark.django_db
def test_a_mission_is_delivered_only_after_it_ends(personas: Personas) -> None:
    mission = persona_mission(personas, status="confirmed")
    refuses(
        mission_transition,
        text=f"ends on {mission.end}: it cannot be delivered before then",
        mission=mission,
        to_status="delivered",
    )


@pytest.mark.django_db
def test_delivering_completes_assignments_and_delivers_requests(personas: Personas) -> None:
    mission = persona_mission(
        personas,
        status="confirmed",
        start=TODAY - datetime.timedelta(days=10),
        end=TODAY - datetime.timedelta(days=6),
    )
    mission.requests.update(status=RequestStatus.PLANNED)
    a = make_assignment(
        mission.slots.get(), personas.expert, status="confirmed", release_status="granted"
    )
    # The delivery's actual dates come first (results.services.mission_deliver).
    MissionDelivery.objects.create(
        mission=mission,
        actual_start=TODAY - datetime.timedelta(days=10),
        actual_end=TODAY - datetime.timedelta(days=6),
    )
    mission_transition(mission=mission, to_status="delivered")
    a.refresh_from_db()
    assert a.status == AssignmentStatus.COMPLETED
    assert mission.requests.get().status == RequestStatus.DELIVERED


@pytest.mark.django_db
def test_reported_needs_a_report(personas: Personas) -> None:
    mission = persona_mission(personas, status="delivered")
    refuses(mission_transition, text="has no report yet", mission=mission, to_status="reported")
    MissionReport.objects.create(mission=mission, author=personas.expert, activities="Done.")
    assert mission_transition(mission=mission, to_status="reported").status == "reported"


@pytest.mark.django_db
def test_cancelling_needs_a_reason_withdraws_experts_and_frees_requests(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    mission = persona_mission(personas, status="scheduled")
    mission.requests.update(status=RequestStatus.PLANNED)
    a = make_assignment(mission.slots.get(), personas.expert, status="invited")
    refuses(mission_transition, text="say why mission", mission=mission, to_status="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        mission_transition(mission=mission, to_status="cancelled", note="Port closed.")
    mission.refresh_from_db()
    a.refresh_from_db()
    assert mission.cancel_reason == "Port closed."
    assert a.status == AssignmentStatus.WITHDRAWN
    assert mission.requests.get().status == RequestStatus.ACCEPTED
    assert personas.expert_user.email in {m.to[0] for m in mailoutbox}
    assert any("cancelled" in m.subject and "Port closed." in m.body for m in mailoutbox)
    # The coordinator's words stay theirs; why the assignment ended is ours, as a code.
    assert a.decline_reason == ""
    step = a.history.get()
    assert (step.from_status, step.to_status, step.note, step.note_code) == (
        "invited",
        "withdrawn",
        "Port closed.",
        "assignment.mission_cancelled",
    )


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_moving_a_mission_rechecks_its_experts(personas: Personas) -> None:
    mission = persona_mission(personas, status="scheduled")
    make_assignment(mission.slots.get(), personas.expert, status="invited")
    Unavailability.objects.create(
        expert=personas.expert, start=next_year(6, 1), end=next_year(6, 30)
    )
    refuses(
        mission_set_dates,
        text=f"Expert Ana Lima is unavailable from {next_year(6, 1)} to {next_year(6, 30)}",
        mission=mission,
        start=next_year(6, 10),
        end=next_year(6, 12),
    )


@pytest.mark.django_db
def test_moving_a_mission_tells_invited_experts_and_focal_points(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    mission = persona_mission(personas, status="scheduled")
    make_assignment(mission.slots.get(), personas.expert, status="invited")
    with django_capture_on_commit_callbacks(execute=True):
        mission_set_dates(mission=mission, start=next_year(4, 6), end=next_year(4, 10))
    mission.refresh_from_db()
    assert (mission.start, mission.end) == (next_year(4, 6), next_year(4, 10))
    assert {m.to[0] for m in mailoutbox} == {personas.expert_user.email, personas.member.email}
    assert all("moved" in m.subject for m in mailoutbox)


@pytest.mark.django_db
def test_dates_stay_in_the_window(personas: Personas) -> None:
    mission = persona_mission(personas, window=(next_year(3, 1), next_year(3, 31), 5))
    refuses(
        mission_set_dates,
        text="outside the window",
        mission=mission,
        start=next_year(4, 1),
        end=next_year(4, 5),
    )
    refuses(
        mission_set_dates,
        text="is before the first day",
        mission=mission,
        start=next_year(3, 5),
        end=next_year(3, 4),
    )


# --- assignments ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inviting_tells_the_expert_and_asks_the_release(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    mission = persona_mission(personas)
    with django_capture_on_commit_callbacks(execute=True):
        a = assignment_create(
            slot=mission.slots.get(), expert=personas.expert, status="invited", source="planner"
        )
    assert a.status == AssignmentStatus.INVITED and a.source == "planner"
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[personas.expert_user.email] == f"Invitation: mission {mission.reference}"
    assert (
        subjects[personas.lender.email]
        == f"Release asked: Ana Lima for mission {mission.reference}"
    )
    assert Notification.objects.filter(recipient=personas.lender).count() == 1
    assert Notification.objects.get(recipient=personas.lender).link == reverse("roster:releases")
    assert Notification.objects.get(recipient=personas.expert_user).link == reverse(
        "roster:invitations"
    )


@pytest.mark.django_db
def test_a_new_assignment_is_proposed_or_invited(personas: Personas) -> None:
    mission = persona_mission(personas)
    refuses(
        assignment_create,
        text="a new assignment is proposed or invited, not confirmed",
        slot=mission.slots.get(),
        expert=personas.expert,
        status="confirmed",
    )


@pytest.mark.django_db
def test_invitation_rechecks_the_rules(personas: Personas) -> None:
    mission = persona_mission(personas)
    a = make_assignment(mission.slots.get(), personas.expert)
    personas.expert.languages = ["en"]
    personas.expert.save()
    refuses(
        assignment_transition,
        text="does not speak fr",
        assignment=a,
        to_status="invited",
    )


@pytest.mark.django_db
def test_assignment_transition_outside_the_table(personas: Personas) -> None:
    mission = persona_mission(personas)
    a = make_assignment(mission.slots.get(), personas.expert)
    refuses(
        assignment_transition,
        text="cannot go from Proposed to Confirmed",
        assignment=a,
        to_status="confirmed",
    )


@pytest.mark.django_db
def test_declining_needs_a_reason_and_tells_the_secretariat(
    personas: Personas, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    mission = persona_mission(personas)
    a = make_assignment(mission.slots.get(), personas.expert, status="invited")
    refuses(
        assignment_transition, text="say why Ana Lima declines", assignment=a, to_status="declined"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assignment_transition(
            assignment=a, to_status="declined", reason="On leave.", by=personas.expert_user
        )
    a.refresh_from_db()
    assert a.decline_reason == "On leave."
    assert [m.to[0] for m in mailoutbox] == [personas.secretariat.email]
    assert "On leave." in mailoutbox[0].body


@pytest.mark.django_db
def test_only_the_expert_answers_their_invitation(personas: Personas) -> None:
    other_user = make_expert(home_administration=personas.admin_b, user=None)
    mission = persona_mission(personas)
    a = make_assignment(mission.slots.get(), other_user, status="invited")
    refuses(
        assignment_transition,
        text="can answer their invitation",
        assignment=a,
        to_status="accepted",
        by=personas.expert_user,
    )


@pytest.mark.django_db
def test_confirming_an_assignment_needs_the_release(personas: Personas) -> None:
    mission = persona_mission(personas)
    a = make_assignment(mission.slots.get(), personas.expert, status="accepted")
    refuses(
        assignment_transition,
        text="French Customs has not granted the release of Ana Lima",
        assignment=a,
        to_status="confirmed",
    )
    a.release_status = "granted"
    a.save()
    assert assignment_transition(assignment=a, to_status="confirmed").status == "confirmed"


@pytest.mark.django_db
def test_swap_withdraws_and_proposes(personas: Personas) -> None:
    mission = persona_mission(personas)
    old = make_assignment(mission.slots.get(), personas.expert, pinned=True)
    other = make_expert(home_administration=personas.admin_c, languages=["fr"])
    new = assignment_swap(assignment=old, expert=other, by=personas.secretariat)
    old.refresh_from_db()
    assert old.status == AssignmentStatus.WITHDRAWN
    assert old.decline_reason == ""
    step = old.history.get()
    assert (step.to_status, step.note_code, step.note_params) == (
        "withdrawn",
        "assignment.replaced_by",
        {"expert": str(other)},
    )
    assert step.note_text == f"Replaced by {other}."
    assert [s.to_status for s in new.history.all()] == ["proposed"]
    assert (new.slot, new.expert, new.status, new.pinned) == (old.slot, other, "proposed", True)


@pytest.mark.django_db
def test_swap_to_an_expert_who_breaks_a_rule_is_refused(personas: Personas) -> None:
    mission = persona_mission(personas)
    old = make_assignment(mission.slots.get(), personas.expert)
    senegalese = make_expert(home_administration=personas.admin_a)
    refuses(assignment_swap, text="a beneficiary of mission", assignment=old, expert=senegalese)


@pytest.mark.django_db
def test_pin_only_active_assignments(personas: Personas) -> None:
    mission = persona_mission(personas)
    a = make_assignment(mission.slots.get(), personas.expert, status="withdrawn")
    refuses(assignment_pin, text="only an active one can be pinned", assignment=a, pinned=True)
    b = make_assignment(mission.slots.get(), personas.expert)
    assert assignment_pin(assignment=b, pinned=True).pinned


@pytest.mark.django_db
def test_release_is_decided_by_the_home_administration(
    personas: Personas, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    mission = persona_mission(personas)
    a = make_assignment(mission.slots.get(), personas.expert, status="invited")
    for who in (personas.member, personas.secretariat, personas.outsider):
        refuses(
            assignment_release_decide,
            text="only a member focal point of French Customs",
            assignment=a,
            granted=True,
            by=who,
        )
    with django_capture_on_commit_callbacks(execute=True):
        assignment_release_decide(assignment=a, granted=True, by=personas.lender)
    a.refresh_from_db()
    assert a.release_status == "granted"
    assert {m.to[0] for m in mailoutbox} == {personas.secretariat.email, personas.expert_user.email}


@pytest.mark.django_db
def test_a_refused_release_frees_the_slot(personas: Personas) -> None:
    mission = persona_mission(personas)
    a = make_assignment(mission.slots.get(), personas.expert, status="accepted")
    assignment_release_decide(assignment=a, granted=False, by=personas.lender)
    a.refresh_from_db()
    assert (a.status, a.release_status) == ("withdrawn", "refused")
    assert not Assignment.objects.filter(slot=a.slot, status="proposed").exists()


@pytest.mark.django_db
def test_release_is_decided_while_invited_or_accepted(personas: Personas) -> None:
    mission = persona_mission(personas)
    a = make_assignment(mission.slots.get(), personas.expert, status="proposed")
    refuses(
        assignment_release_decide,
        text="a release is decided while the expert is invited",
        assignment=a,
        granted=True,
        by=personas.lender,
    )
