"""An expert's own pages through the real views: profile, unavailable periods, invitations
and missions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.accounts.models import Role
from renfort.missions.models import AssignmentStatus
from renfort.roster.models import Accreditation, AccreditationStatus, Unavailability
from renfort.testing import (
    make_assignment,
    make_expert,
    make_user,
    next_year,
    persona_mission,
    topic,
)

PROFILE = reverse("roster:my_profile")
ADD_PERIOD = reverse("roster:unavailability_add")
INVITATIONS = reverse("roster:invitations")
MY_MISSIONS = reverse("roster:my_missions")
EXPERT_PAGES = [PROFILE, INVITATIONS, MY_MISSIONS]


@pytest.mark.parametrize("url", EXPERT_PAGES)
def test_expert_pages_ladder(client, personas, url):
    assert client.get(url).status_code == 302
    for user in (personas.secretariat, personas.member, personas.donor, personas.regional):
        client.force_login(user)
        assert client.get(url).status_code == 403
    # An expert login with no profile in the pool has nothing to show.
    client.force_login(make_user(Role.EXPERT, personas.admin_b))
    assert client.get(url).status_code == 404
    client.force_login(personas.expert_user)
    assert client.get(url).status_code == 200


def test_profile_shows_topics_languages_and_accreditation(client, personas):
    Accreditation.objects.create(
        expert=personas.expert,
        topic=topic("risk_management"),
        status=AccreditationStatus.RECOGNISED,
        granted_on=next_year(1, 1).replace(year=next_year().year - 2),
        expires_on=next_year(12, 31),
    )
    client.force_login(personas.expert_user)
    html = client.get(PROFILE).content.decode()
    assert "Recognised" in html
    assert "French, English" in html
    assert "(fr)" not in html
    assert "French Customs" in html


def test_expert_edits_languages_and_email(client, personas):
    client.force_login(personas.expert_user)
    response = client.post(
        PROFILE,
        {"language_1": "en", "language_2": "es", "language_3": "pt", "language_4": "es"}
        | {"email": "ana@example.net"},
    )
    assert response.status_code == 302
    personas.expert.refresh_from_db()
    assert personas.expert.languages == ["en", "es", "pt"]
    assert personas.expert.email == "ana@example.net"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"language_1": "xx", "email": ""}, "language_1", "choose a language from the list"),
        ({"language_1": "", "language_2": "en"}, "language_1", "the language you work in best"),
        ({"language_1": "en", "language_2": "english"}, "language_2", "from the list"),
        ({"language_1": "en", "email": "not-an-address"}, "email", "valid email"),
    ],
)
def test_bad_profile_input_is_shown_next_to_its_field(client, personas, data, field, message):
    client.force_login(personas.expert_user)
    response = client.post(PROFILE, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["profile_form"].errors[field])
    personas.expert.refresh_from_db()
    assert personas.expert.languages == ["fr", "en"]


def test_expert_adds_and_removes_an_unavailable_period(client, personas):
    client.force_login(personas.expert_user)
    response = client.post(
        ADD_PERIOD,
        {
            "start": next_year(7, 1).isoformat(),
            "end": next_year(7, 20).isoformat(),
            "reason": "Leave",
        },
    )
    assert response.status_code == 302
    period = Unavailability.objects.get(expert=personas.expert)
    assert "Leave" in client.get(PROFILE).content.decode()
    remove = reverse("roster:unavailability_remove", args=[period.pk])
    assert client.post(remove).status_code == 302
    # Withdrawn, not deleted: kept for the audit trail, left out of every availability read.
    assert not Unavailability.objects.exists()
    kept = Unavailability.all_objects.get(pk=period.pk)
    assert kept.withdrawn_at is not None
    assert kept.withdrawn_by == personas.expert_user


def test_unavailable_period_ending_before_it_starts_is_refused(client, personas):
    client.force_login(personas.expert_user)
    response = client.post(
        ADD_PERIOD, {"start": next_year(7, 20).isoformat(), "end": next_year(7, 1).isoformat()}
    )
    assert response.status_code == 200
    assert "on or after the first day" in " ".join(
        response.context["unavailability_form"].errors["end"]
    )
    assert not Unavailability.objects.exists()


def test_unavailable_period_over_a_commitment_is_refused_by_the_service(client, personas):
    mission = persona_mission(personas, start=next_year(7, 5))
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.ACCEPTED)
    client.force_login(personas.expert_user)
    response = client.post(
        ADD_PERIOD, {"start": next_year(7, 1).isoformat(), "end": next_year(7, 20).isoformat()}
    )
    assert response.status_code == 200
    assert mission.reference in response.content.decode()
    assert not Unavailability.objects.exists()


def test_unavailable_period_of_another_expert_answers_404(client, personas):
    other = make_expert(home_administration=personas.admin_b)
    period = Unavailability.objects.create(expert=other, start=next_year(1, 5), end=next_year(1, 9))
    client.force_login(personas.expert_user)
    url = reverse("roster:unavailability_remove", args=[period.pk])
    assert client.post(url).status_code == 404
    client.force_login(personas.lender)
    assert client.post(url).status_code == 403
    assert Unavailability.objects.filter(pk=period.pk).exists()


def _invitation(personas, expert=None, **kwargs):
    mission = persona_mission(personas, **kwargs)
    return make_assignment(
        mission.slots.get(), expert or personas.expert, status=AssignmentStatus.INVITED
    )


def test_expert_accepts_an_invitation(client, personas):
    assignment = _invitation(personas, title="AEO validation workshop")
    client.force_login(personas.expert_user)
    html = client.get(INVITATIONS).content.decode()
    assert "AEO validation workshop" in html
    url = reverse("roster:invitation_answer", args=[assignment.pk])
    response = client.post(url, {f"a{assignment.pk}-answer": "accept"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED
    assert "AEO validation workshop" in client.get(MY_MISSIONS).content.decode()


def test_declining_needs_a_reason(client, personas):
    assignment = _invitation(personas)
    client.force_login(personas.expert_user)
    url = reverse("roster:invitation_answer", args=[assignment.pk])
    response = client.post(url, {f"a{assignment.pk}-answer": "decline"})
    assert response.status_code == 200
    assert "Give a reason to decline the invitation." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.INVITED


def test_expert_declines_with_a_reason_via_htmx(client, personas):
    assignment = _invitation(personas)
    client.force_login(personas.expert_user)
    url = reverse("roster:invitation_answer", args=[assignment.pk])
    response = client.post(
        url,
        {f"a{assignment.pk}-answer": "decline", f"a{assignment.pk}-reason": "Surgery that week."},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="card" id="invitation-{assignment.pk}"')
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLINED
    assert assignment.decline_reason == "Surgery that week."


def test_invitation_of_another_expert_answers_404(client, personas):
    other = make_expert(home_administration=personas.admin_b)
    assignment = _invitation(personas, expert=other)
    client.force_login(personas.expert_user)
    url = reverse("roster:invitation_answer", args=[assignment.pk])
    assert client.post(url, {f"a{assignment.pk}-answer": "accept"}).status_code == 404
    client.force_login(personas.lender)
    assert client.post(url, {f"a{assignment.pk}-answer": "accept"}).status_code == 403
    assert client.get(url).status_code == 403
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.INVITED


@pytest.mark.parametrize("url", [INVITATIONS, MY_MISSIONS])
def test_expert_lists_query_count_does_not_grow_with_rows(
    client, personas, django_assert_max_num_queries, url
):
    for month in range(1, 13):
        _invitation(personas, start=next_year(month, 3))
    client.force_login(personas.expert_user)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 12


def test_expert_posts_ladder(client, personas):
    """Anonymous visitors go to the login page, other roles get 403, on every expert action."""
    period = Unavailability.objects.create(
        expert=personas.expert, start=next_year(1, 5), end=next_year(1, 9)
    )
    assignment = _invitation(personas)
    posts = {
        PROFILE: {"language_1": "en", "email": ""},
        ADD_PERIOD: {"start": next_year(8, 1).isoformat(), "end": next_year(8, 2).isoformat()},
        reverse("roster:unavailability_remove", args=[period.pk]): {},
        reverse("roster:invitation_answer", args=[assignment.pk]): {
            f"a{assignment.pk}-answer": "accept"
        },
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 302 and "login" in response["Location"]
    for user in (personas.secretariat, personas.member, personas.lender, personas.donor):
        client.force_login(user)
        for url, data in posts.items():
            assert client.post(url, data).status_code == 403
    personas.expert.refresh_from_db()
    assert personas.expert.languages == ["fr", "en"]
    assert Unavailability.objects.filter(expert=personas.expert).count() == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.INVITED


def test_unavailable_periods_with_htmx_swap_their_section(client, personas):
    client.force_login(personas.expert_user)
    response = client.post(
        ADD_PERIOD,
        {"start": next_year(9, 1).isoformat(), "end": next_year(9, 5).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="unavailable"')
    assert "Unavailable period added." in html and "<html" not in html
    period = Unavailability.objects.get()
    response = client.post(
        ADD_PERIOD,
        {"start": next_year(9, 9).isoformat(), "end": next_year(9, 1).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert "on or after the first day" in response.content.decode()
    response = client.post(
        reverse("roster:unavailability_remove", args=[period.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Unavailable period removed." in response.content.decode()
    assert not Unavailability.objects.exists()
