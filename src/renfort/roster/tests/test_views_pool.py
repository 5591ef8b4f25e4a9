"""A lending administration's view of the pool through the real views: its experts and the
releases it grants or refuses for missions."""

from __future__ import annotations

from django.urls import reverse

from renfort.missions.models import AssignmentStatus
from renfort.roster.models import Accreditation, AccreditationStatus, ReleaseStatus
from renfort.roster.views.pool import PAGE_SIZE
from renfort.testing import (
    make_assignment,
    make_expert,
    next_year,
    persona_mission,
    table_state,
    topic,
)

EXPERTS = reverse("roster:expert_list")
RELEASES = reverse("roster:releases")


def test_expert_list_ladder(client, personas):
    kenyan = make_expert(home_administration=personas.admin_c, last_name="Otieno")
    assert client.get(EXPERTS).status_code == 302
    for user in (personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.get(EXPERTS).status_code == 403
    client.force_login(personas.lender)  # France: its own expert, not Kenya's
    html = client.get(EXPERTS).content.decode()
    assert "Lima" in html and "Otieno" not in html
    client.force_login(personas.outsider)  # Kenya
    html = client.get(EXPERTS).content.decode()
    assert "Otieno" in html and "Lima" not in html
    client.force_login(personas.secretariat)
    html = client.get(EXPERTS).content.decode()
    assert "Otieno" in html and "Lima" in html
    assert kenyan.pk


def test_expert_list_shows_skills_and_accreditation_expiry(client, personas):
    Accreditation.objects.create(
        expert=personas.expert,
        topic=topic("aeo"),
        status=AccreditationStatus.ACCREDITED,
        granted_on=next_year(1, 1).replace(year=next_year().year - 5),
        expires_on=next_year(1, 1).replace(year=next_year().year - 3),
    )
    client.force_login(personas.lender)
    html = client.get(EXPERTS).content.decode()
    # Past its expiry date it never reads as current: "Expired", then what it was.
    assert '<span class="status expired">Expired</span>' in html
    assert '<span class="status granted">Accredited</span>' not in html
    assert "Accredited until" in html
    assert "Risk management, level 3" in html


def test_expert_list_query_count_does_not_grow_with_rows(
    client, personas, django_assert_max_num_queries
):
    for i in range(40):
        expert = make_expert(home_administration=personas.admin_b, skills={"aeo": 2, "transit": 3})
        Accreditation.objects.create(
            expert=expert,
            topic=topic("aeo"),
            status=AccreditationStatus.RECOGNISED,
            granted_on=next_year(1, 1),
            expires_on=next_year(12, 1),
        )
        assert i >= 0
    client.force_login(personas.lender)
    with django_assert_max_num_queries(10):
        response = client.get(EXPERTS)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == PAGE_SIZE  # of 41


def _invited(personas, **kwargs):
    mission = persona_mission(personas, **kwargs)
    return make_assignment(
        mission.slots.get(),
        personas.expert,
        status=AssignmentStatus.INVITED,
        release_status=ReleaseStatus.PENDING,
    )


def test_lender_grants_a_release(client, personas):
    assignment = _invited(personas, title="Risk workshop Dakar")
    client.force_login(personas.lender)
    html = client.get(RELEASES).content.decode()
    assert (
        "Risk workshop Dakar" in html
        and "Grant the release" in html
        and "Refuse the release" in html
    )
    url = reverse("roster:release_decide", args=[assignment.pk])
    response = client.post(url, {"decision": "grant"})
    assert response.status_code == 302 and response["Location"] == RELEASES
    assignment.refresh_from_db()
    assert assignment.release_status == ReleaseStatus.GRANTED


def test_lender_refuses_a_release_after_confirming_with_a_reason(client, personas):
    assignment = _invited(personas)
    url = reverse("roster:release_decide", args=[assignment.pk])
    client.force_login(personas.lender)
    before = table_state()
    # First the confirmation step: it says what happens and writes nothing.
    response = client.post(url, {"decision": "refuse"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The secretariat and the expert will be told" in html
    assert '<button type="submit" class="danger">Refuse the release</button>' in html
    assert table_state() == before
    # Confirmed without a reason: asked again, the error beside the field, nothing written.
    response = client.post(url, {"decision": "refuse", "confirmed": "yes", "reason": "  "})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert table_state() == before
    response = client.post(
        url, {"decision": "refuse", "confirmed": "yes", "reason": "Budget audit that month."}
    )
    assert response.status_code == 302 and response["Location"] == RELEASES
    assignment.refresh_from_db()
    assert assignment.release_status == ReleaseStatus.REFUSED
    assert assignment.status == AssignmentStatus.WITHDRAWN


def test_release_refusal_reason_is_kept_for_the_secretariat_and_the_expert(client, personas):
    assignment = _invited(personas)
    client.force_login(personas.lender)
    client.post(
        reverse("roster:release_decide", args=[assignment.pk]),
        {"decision": "refuse", "confirmed": "yes", "reason": "Budget audit that month."},
    )
    assignment.refresh_from_db()
    assert assignment.history.latest("at").note == "Budget audit that month."
    assert "Budget audit that month." in client.get(RELEASES).content.decode()


def test_release_decision_must_be_grant_or_refuse(client, personas):
    assignment = _invited(personas)
    client.force_login(personas.lender)
    response = client.post(
        reverse("roster:release_decide", args=[assignment.pk]), {"decision": "maybe"}, follow=True
    )
    assert "Release: decide “grant” or “refuse”." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.release_status == ReleaseStatus.PENDING


def test_releases_ladder(client, personas):
    assignment = _invited(personas)
    url = reverse("roster:release_decide", args=[assignment.pk])
    assert client.get(RELEASES).status_code == 302
    assert client.post(url, {"decision": "grant"}).status_code == 302
    for user in (personas.secretariat, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.get(RELEASES).status_code == 403
        assert client.post(url, {"decision": "grant"}).status_code == 403
    # Senegal (the beneficiary) and Kenya do not lend this expert.
    for user in (personas.member, personas.outsider):
        client.force_login(user)
        assert client.post(url, {"decision": "grant"}).status_code == 404
        assert "Lima" not in client.get(RELEASES).content.decode()
    assignment.refresh_from_db()
    assert assignment.release_status == ReleaseStatus.PENDING


def test_releases_query_count_does_not_grow_with_rows(
    client, personas, django_assert_max_num_queries
):
    for _ in range(15):
        expert = make_expert(home_administration=personas.admin_b)
        mission = persona_mission(personas)
        make_assignment(mission.slots.get(), expert, status=AssignmentStatus.INVITED)
    client.force_login(personas.lender)
    with django_assert_max_num_queries(10):
        response = client.get(RELEASES)
    assert len(response.context["pending"]) == 15


def test_expert_list_filters(client, personas):
    make_expert(
        home_administration=personas.admin_b,
        last_name="Durand",
        languages=("es",),
        skills={"transit": 2},
        categories=("modernization_adviser",),
    )
    client.force_login(personas.lender)

    def names(**params):
        return {str(e) for e in client.get(EXPERTS, params).context["page"].object_list}

    assert names(language="es") == {"Ana Durand"}
    assert names(topic="aeo") == {"Ana Lima"}
    assert names(category="modernization_adviser") == {"Ana Durand"}
    assert names(q="lim") == {"Ana Lima"}
    response = client.get(EXPERTS, {"language": "xx"})
    assert "Language: choose a language from the list." in response.content.decode()


def test_home_administration_releases_an_expert_to_the_pool(client, personas):
    expert = make_expert(home_administration=personas.admin_b, release_status="pending")
    url = reverse("roster:expert_release", args=[expert.pk])
    client.force_login(personas.lender)
    assert client.post(url, {"decision": "grant"}).status_code == 302
    expert.refresh_from_db()
    assert expert.release_status == ReleaseStatus.GRANTED
    response = client.post(url, {"decision": "refuse"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().lstrip().startswith(f'<tr id="expert-{expert.pk}"')
    expert.refresh_from_db()
    assert expert.release_status == ReleaseStatus.REFUSED


def test_pool_release_ladder(client, personas):
    expert = make_expert(home_administration=personas.admin_b, release_status="pending")
    url = reverse("roster:expert_release", args=[expert.pk])
    assert client.post(url, {"decision": "grant"}).status_code == 302
    for user in (personas.secretariat, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.post(url, {"decision": "grant"}).status_code == 403
    for user in (personas.member, personas.outsider):
        client.force_login(user)
        assert client.post(url, {"decision": "grant"}).status_code == 404
    expert.refresh_from_db()
    assert expert.release_status == ReleaseStatus.PENDING
