"""An expert's page (profile, skills, accreditation, released days, missions, calendar) and
the expert's own withdrawal after accepting, through the real views."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renfort.accounts.models import Role
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.roster.models import Accreditation, AccreditationStatus, Unavailability
from renfort.roster.selectors import shows_contact_details
from renfort.testing import (
    make_assignment,
    make_expert,
    make_user,
    next_year,
    persona_mission,
    table_state,
    topic,
)

pytestmark = pytest.mark.django_db


def _page(expert) -> str:
    return reverse("roster:expert_detail", args=[expert.pk])


def test_expert_page_ladder(client, personas):
    url = _page(personas.expert)  # Ana Lima, lent by France (Europe)
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(personas.donor)
    assert client.get(url).status_code == 403
    # Another administration's expert, or another region's: 404, as if she did not exist.
    for user in (personas.member, personas.outsider, personas.regional):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(make_user(Role.EXPERT, personas.admin_b))
    assert client.get(url).status_code == 404
    for user in (personas.secretariat, personas.lender, personas.expert_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Ana Lima" in response.content.decode()


def test_regional_coordinator_sees_experts_of_the_region(client, personas):
    senegalese = make_expert(home_administration=personas.admin_a, last_name="Diop")
    client.force_login(personas.regional)
    html = client.get(_page(senegalese)).content.decode()
    assert "Diop" in html


def test_contact_details_only_to_those_who_contact_the_expert(client, personas):
    expert = personas.expert
    assert shows_contact_details(personas.secretariat, expert)
    assert shows_contact_details(personas.lender, expert)
    assert shows_contact_details(personas.expert_user, expert)
    assert not shows_contact_details(personas.regional, expert)
    assert not shows_contact_details(personas.member, expert)
    senegalese = make_expert(
        home_administration=personas.admin_a, last_name="Diop", email="diop@example.org"
    )
    client.force_login(personas.regional)
    assert "diop@example.org" not in client.get(_page(senegalese)).content.decode()
    assert "diop@example.org" not in client.get(reverse("roster:expert_list")).content.decode()
    client.force_login(personas.secretariat)
    assert "diop@example.org" in client.get(_page(senegalese)).content.decode()


def test_page_shows_names_not_codes(client, personas):
    client.force_login(personas.secretariat)
    html = client.get(_page(personas.expert)).content.decode()
    assert "France" in html and "French, English" in html
    assert "Risk management, level 3" in html
    assert '"fr"' not in html.split("<main", 1)[1].replace('lang="fr"', "")


def test_expired_accreditation_never_shows_as_current(client, personas):
    today = timezone.localdate()
    Accreditation.objects.create(
        expert=personas.expert,
        topic=topic("aeo"),
        status=AccreditationStatus.ACCREDITED,
        granted_on=today - datetime.timedelta(days=800),
        expires_on=today - datetime.timedelta(days=1),
    )
    Accreditation.objects.create(
        expert=personas.expert,
        topic=topic("risk_management"),
        status=AccreditationStatus.RECOGNISED,
        granted_on=today - datetime.timedelta(days=10),
        expires_on=None,
    )
    for user, url in (
        (personas.secretariat, _page(personas.expert)),
        (personas.lender, reverse("roster:expert_list")),
        (personas.expert_user, reverse("roster:my_profile")),
    ):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert '<span class="status expired">Expired</span>' in html, url
        assert '<span class="status granted">Accredited</span>' not in html, url
        assert '<span class="status granted">Recognised</span>' in html, url


def test_accreditation_state_on_its_last_day_and_after():
    acc = Accreditation(
        status=AccreditationStatus.ACCREDITED,
        granted_on=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2026, 12, 31),
    )
    assert acc.state_on(datetime.date(2025, 12, 31)) == "future"
    assert acc.state_on(datetime.date(2026, 12, 31)) == "current"
    assert acc.state_on(datetime.date(2027, 1, 1)) == "expired"


def test_released_days_used_and_left_this_year_and_next(client, personas):
    year = timezone.localdate().year + 1
    mission = persona_mission(
        personas,
        start=datetime.date(year, 3, 2),
        end=datetime.date(year, 3, 6),
        status=MissionStatus.CONFIRMED,
    )
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.CONFIRMED)
    client.force_login(personas.lender)
    response = client.get(_page(personas.expert))
    rows = {r.year: (r.released, r.used, r.left) for r in response.context["released"]}
    assert rows == {year - 1: (30, 0, 30), year: (30, 5, 25)}


def test_missions_newest_first_and_paginated(client, personas):
    for month in range(1, 13):
        mission = persona_mission(
            personas, start=next_year(month, 3), title=f"Workshop {month:02d}"
        )
        make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.ACCEPTED)
    client.force_login(personas.secretariat)
    response = client.get(_page(personas.expert))
    titles = [a.slot.mission.title for a in response.context["missions"]]
    assert titles[:2] == ["Workshop 12", "Workshop 11"] and len(titles) == 10
    older = client.get(_page(personas.expert), {"page": 2}).context["missions"]
    assert [a.slot.mission.title for a in older] == ["Workshop 02", "Workshop 01"]


def test_lender_does_not_see_proposals_of_its_expert(client, personas):
    proposed = persona_mission(personas, title="Proposed only")
    make_assignment(proposed.slots.get(), personas.expert, status=AssignmentStatus.PROPOSED)
    client.force_login(personas.lender)
    assert "Proposed only" not in client.get(_page(personas.expert)).content.decode()
    client.force_login(personas.secretariat)
    assert "Proposed only" in client.get(_page(personas.expert)).content.decode()


def test_expert_page_queries_do_not_grow_with_missions(
    client, personas, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            mission = persona_mission(personas, start=next_year(1 + i % 12, 1 + i // 12 * 8))
            make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.ACCEPTED)

    add(3)  # January to March: the month shown has a mission already (an empty month asks less)
    client.force_login(personas.secretariat)
    url = _page(personas.expert) + f"?month={next_year().year}-03"
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_unavailability_on_the_expert_calendar_and_page(client, personas):
    Unavailability.objects.create(
        expert=personas.expert,
        start=next_year(3, 10),
        end=next_year(3, 12),
        reason="Family wedding",
    )
    month = f"{next_year().year}-03"
    client.force_login(personas.expert_user)
    html = client.get(reverse("calendars:calendar"), {"month": month}).content.decode()
    assert html.count('<li class="unavailable"') == 3
    assert "Family wedding" in html  # her own words, for her eyes
    assert "Unavailable (cannot travel)" in html  # the legend
    client.force_login(personas.lender)
    html = client.get(_page(personas.expert), {"month": month}).content.decode()
    assert html.count('<li class="unavailable"') == 3
    assert "Family wedding" not in html
    # The month calendar of everyone else shows nobody's unavailability.
    html = client.get(reverse("calendars:calendar"), {"month": month}).content.decode()
    assert '<li class="unavailable"' not in html


def test_expert_list_links_to_the_expert_page(client, personas):
    client.force_login(personas.lender)
    assert _page(personas.expert) in client.get(reverse("roster:expert_list")).content.decode()


# --- withdrawing after accepting ------------------------------------------------------------


def _accepted(personas, **kwargs):
    mission = persona_mission(personas, status=MissionStatus.SCHEDULED, **kwargs)
    return make_assignment(
        mission.slots.get(), personas.expert, status=AssignmentStatus.ACCEPTED, busy=True
    )


def _withdraw(assignment) -> str:
    return reverse("roster:assignment_withdraw", args=[assignment.pk])


def test_expert_withdraws_after_accepting_with_a_reason(client, personas):
    assignment = _accepted(personas, title="Transit workshop")
    client.force_login(personas.expert_user)
    html = client.get(reverse("roster:my_missions")).content.decode()
    assert _withdraw(assignment) in html
    before = table_state()
    response = client.post(_withdraw(assignment))
    assert response.status_code == 200
    assert "The secretariat and your home administration will be told" in response.content.decode()
    assert table_state() == before
    response = client.post(_withdraw(assignment), {"confirmed": "yes", "reason": ""})
    assert response.status_code == 400
    assert table_state() == before
    response = client.post(
        _withdraw(assignment), {"confirmed": "yes", "reason": "Called to an audit."}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN
    assert assignment.decline_reason == "Called to an audit."


@pytest.mark.parametrize("status", [MissionStatus.DELIVERED, MissionStatus.CANCELLED])
def test_withdrawal_refused_once_the_mission_is_over(client, personas, status):
    assignment = _accepted(personas)
    mission = assignment.slot.mission
    mission.status = status
    mission.save(update_fields=["status"])
    client.force_login(personas.expert_user)
    assert _withdraw(assignment) not in client.get(reverse("roster:my_missions")).content.decode()
    before = table_state()
    response = client.post(
        _withdraw(assignment), {"confirmed": "yes", "reason": "Too late?"}, follow=True
    )
    assert "too late to withdraw" in response.content.decode()
    assert table_state() == before


def test_withdrawal_refused_before_accepting(client, personas):
    mission = persona_mission(personas)
    assignment = make_assignment(
        mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED
    )
    client.force_login(personas.expert_user)
    before = table_state()
    response = client.post(
        _withdraw(assignment), {"confirmed": "yes", "reason": "Changed my mind."}, follow=True
    )
    assert "decline the invitation instead" in response.content.decode()
    assert table_state() == before


def test_withdrawal_ladder(client, personas):
    assignment = _accepted(personas)
    other = make_expert(home_administration=personas.admin_b)
    others = make_assignment(
        persona_mission(personas).slots.get(), other, status=AssignmentStatus.ACCEPTED
    )
    data = {"confirmed": "yes", "reason": "No."}
    before = table_state()
    response = client.post(_withdraw(assignment), data)
    assert response.status_code == 302 and "login" in response["Location"]
    for user in (personas.secretariat, personas.lender, personas.member, personas.donor):
        client.force_login(user)
        assert client.post(_withdraw(assignment), data).status_code == 403
    client.force_login(personas.expert_user)
    assert client.post(_withdraw(others), data).status_code == 404
    assert client.get(_withdraw(assignment)).status_code == 405
    assert table_state() == before


def test_expert_page_reads_in_french(client, personas):
    client.force_login(personas.secretariat)
    client.cookies["django_language"] = "fr"
    response = client.get(_page(personas.expert), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert "Compétences" in html and "Jours libérés" in html
    assert "Calendrier\u00a0:" in html
    assert "Released days" not in html and "Skills" not in html
