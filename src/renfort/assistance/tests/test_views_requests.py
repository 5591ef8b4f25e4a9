"""Requests for assistance through the real views: submitting, listing, following them and
confirming the dates of a mission that answers them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from renfort.assistance.models import Request, RequestStatus, RequestStatusChange
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.roster.models import ReleaseStatus
from renfort.testing import (
    confirm_terms,
    make_assignment,
    make_member,
    make_request,
    next_year,
    persona_mission,
)

LIST = reverse("assistance:request_list")
NEW = reverse("assistance:request_create")


def _form(**overrides):
    data = {
        "title": "Risk profiling at Dakar port",
        "topics": ["risk_management", "aeo"],
        "level": "operational",
        "needs": "Train 20 officers in risk profiling.",
        "preferred_start": next_year(4, 1).isoformat(),
        "preferred_end": next_year(6, 30).isoformat(),
        "language": "fr",
        "priority": "4",
    }
    data.update(overrides)
    return data


# --- submitting ------------------------------------------------------------------------------


def test_member_submits_a_request_and_follows_it(client, member, admin_a):
    client.force_login(member)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, _form())
    req = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assistance:request_detail", args=[req.pk])
    assert list(req.administrations.all()) == [admin_a]
    assert sorted(t.code for t in req.topics.all()) == ["aeo", "risk_management"]
    assert req.status == RequestStatus.SUBMITTED and req.priority == 4
    html = client.get(response["Location"]).content.decode()
    assert "Risk profiling at Dakar port" in html
    assert "Submitted" in html  # the history's first step
    assert req.reference in client.get(LIST).content.decode()


def test_member_submits_a_regional_request_with_co_requesters(client, personas):
    other = make_member("CI", "WCA", name="Côte d'Ivoire Customs")
    client.force_login(personas.member)
    client.post(NEW, _form(co_requesting=[str(other.pk)]))
    req = Request.objects.get()
    assert set(req.administrations.all()) == {personas.admin_a, other}
    assert req.is_regional


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"preferred_end": next_year(3, 1).isoformat()},
            "preferred_end",
            "must end on or after its first day",
        ),
        ({"topics": ["no_such_topic"]}, "topics", "Topics: unknown topic"),
        ({"topics": []}, "topics", "Topics: choose at least one topic"),
        ({"language": "xx"}, "language", "not an ISO 639-1 language code"),
        ({"language": "french"}, "language", "not an ISO 639-1 language code"),
        ({"priority": "9"}, "priority", "less than or equal to 5"),
        ({"priority": "0"}, "priority", "greater than or equal to 1"),
        ({"level": "cosmic"}, "level", "Level: select a valid choice"),
        (
            {"preferred_start": "31/31/2030"},
            "preferred_start",
            "Preferred period from: enter a valid date",
        ),
        (
            {"co_requesting": ["999999"]},
            "co_requesting",
            "Co-requesting administrations: unknown member administration",
        ),
        ({"needs": ""}, "needs", "required"),
    ],
)
def test_bad_request_input_is_shown_next_to_its_field_and_writes_nothing(
    client, member, overrides, field, message
):
    client.force_login(member)
    response = client.post(NEW, _form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert not Request.objects.exists()


def test_member_cannot_name_its_own_administration_as_co_requester(client, member, admin_a):
    client.force_login(member)
    response = client.post(NEW, _form(co_requesting=[str(admin_a.pk)]))
    assert "co_requesting" in response.context["form"].errors
    assert not Request.objects.exists()


def test_service_refusal_is_mapped_to_the_field(client, member):
    # Whitespace passes the form's "required" but the service refuses it, naming the title.
    client.force_login(member)
    response = client.post(NEW, _form(title="   "))
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not Request.objects.exists()


def test_submit_form_is_for_member_focal_points_only(client, personas):
    assert client.get(NEW).status_code == 302
    for user in (personas.secretariat, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, _form()).status_code == 403
    assert not Request.objects.exists()


# --- listing and detail ---------------------------------------------------------------------


def test_request_list_ladder(client, personas):
    mine = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    theirs = make_request(administrations=[personas.admin_c], focal_point=personas.outsider)
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(personas.expert_user)
    assert client.get(LIST).status_code == 403
    client.force_login(personas.member)
    html = client.get(LIST).content.decode()
    assert mine.reference in html and theirs.reference not in html
    client.force_login(personas.regional)  # West & Central Africa: Senegal, not Kenya
    html = client.get(LIST).content.decode()
    assert mine.reference in html and theirs.reference not in html
    client.force_login(personas.secretariat)
    html = client.get(LIST).content.decode()
    assert mine.reference in html and theirs.reference in html


def test_donor_sees_the_requests_behind_funded_missions(client, personas):
    mission = persona_mission(personas)
    funded = mission.requests.get()
    other = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    client.force_login(personas.donor)
    html = client.get(LIST).content.decode()
    assert funded.reference in html and other.reference not in html
    assert client.get(reverse("assistance:request_detail", args=[funded.pk])).status_code == 200
    assert client.get(reverse("assistance:request_detail", args=[other.pk])).status_code == 404


def test_request_list_filters_by_status(client, personas):
    submitted = make_request(
        administrations=[personas.admin_a], status=RequestStatus.SUBMITTED, title="Alpha"
    )
    declined = make_request(
        administrations=[personas.admin_a], status=RequestStatus.DECLINED, title="Beta"
    )
    client.force_login(personas.member)
    html = client.get(LIST, {"status": "declined"}).content.decode()
    assert declined.reference in html and submitted.reference not in html
    response = client.get(LIST, {"status": "nonsense"})
    assert response.status_code == 200
    assert "Status: unknown status" in response.content.decode()


def test_request_list_query_count_does_not_grow_with_rows(
    client, personas, django_assert_max_num_queries
):
    other = make_member("CI", "WCA")
    for i in range(40):
        make_request(
            administrations=[personas.admin_a, other],
            focal_point=personas.member,
            topics=("risk_management", "aeo"),
            status=RequestStatus.SUBMITTED if i % 2 else RequestStatus.ACCEPTED,
        )
    for user in (personas.secretariat, personas.member, personas.regional):
        client.force_login(user)
        with django_assert_max_num_queries(10):
            response = client.get(LIST)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 40


def test_request_detail_ladder(client, personas):
    req = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    url = reverse("assistance:request_detail", args=[req.pk])
    assert client.get(url).status_code == 302
    client.force_login(personas.expert_user)
    assert client.get(url).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.donor)
    assert client.get(url).status_code == 404
    for user in (personas.member, personas.regional, personas.secretariat):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_request_detail_shows_timestamped_history_and_missions(client, personas):
    req = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    RequestStatusChange.objects.create(
        request=req, from_status="", to_status=RequestStatus.SUBMITTED, by=personas.member
    )
    RequestStatusChange.objects.create(
        request=req,
        from_status=RequestStatus.SUBMITTED,
        to_status=RequestStatus.ACCEPTED,
        by=personas.secretariat,
        note="Fits the regional plan.",
    )
    mission = persona_mission(personas, requests=[req], title="Risk workshop Dakar")
    client.force_login(personas.member)
    response = client.get(reverse("assistance:request_detail", args=[req.pk]))
    html = response.content.decode()
    assert "Fits the regional plan." in html
    assert "<time datetime=" in html
    assert mission.reference in html and "Risk workshop Dakar" in html
    assert [c.to_status for c in response.context["history"]] == ["submitted", "accepted"]


# --- confirming proposed dates --------------------------------------------------------------


def _scheduled(personas):
    """A scheduled mission whose one slot holds an accepted expert released by France."""
    req = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    mission = persona_mission(personas, requests=[req], status=MissionStatus.SCHEDULED)
    make_assignment(
        mission.slots.get(),
        personas.expert,
        status=AssignmentStatus.ACCEPTED,
        release_status=ReleaseStatus.GRANTED,
    )
    confirm_terms(mission)
    return req, mission


def test_member_confirms_the_proposed_dates(client, personas):
    req, mission = _scheduled(personas)
    detail = reverse("assistance:request_detail", args=[req.pk])
    client.force_login(personas.member)
    assert "Confirm the proposed dates" in client.get(detail).content.decode()
    response = client.post(reverse("assistance:mission_confirm", args=[req.pk, mission.pk]))
    assert response.status_code == 302 and response["Location"] == detail
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CONFIRMED
    assert mission.history.filter(to_status=MissionStatus.CONFIRMED).exists()


def test_confirm_with_htmx_swaps_the_missions_section(client, personas):
    req, mission = _scheduled(personas)
    client.force_login(personas.member)
    response = client.post(
        reverse("assistance:mission_confirm", args=[req.pk, mission.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="missions"')
    assert "<html" not in html
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CONFIRMED


def test_confirming_a_mission_not_scheduled_is_refused_with_a_message(client, personas):
    req = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    mission = persona_mission(personas, requests=[req], status=MissionStatus.DRAFT)
    client.force_login(personas.member)
    response = client.post(
        reverse("assistance:mission_confirm", args=[req.pk, mission.pk]), follow=True
    )
    assert "cannot go from Draft to Confirmed" in response.content.decode()
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT


def test_confirm_ladder(client, personas):
    req, mission = _scheduled(personas)
    url = reverse("assistance:mission_confirm", args=[req.pk, mission.pk])
    assert client.post(url).status_code == 302  # to login
    for user in (personas.secretariat, personas.regional, personas.donor, personas.expert_user):
        client.force_login(user)
        assert client.post(url).status_code == 403
    client.force_login(personas.outsider)
    assert client.post(url).status_code == 404
    other_req = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    client.force_login(personas.member)
    wrong_pair = reverse("assistance:mission_confirm", args=[other_req.pk, mission.pk])
    assert client.post(wrong_pair).status_code == 404
    assert client.get(url).status_code == 405
    mission.refresh_from_db()
    assert mission.status == MissionStatus.SCHEDULED


def test_preferred_period_dates_render_localised(client, personas):
    make_request(
        administrations=[personas.admin_a],
        preferred_start=datetime.date(2031, 3, 1),
        preferred_end=datetime.date(2031, 4, 15),
    )
    client.force_login(personas.member)
    day = datetime.date(2031, 3, 1)
    html = client.get(LIST).content.decode()
    assert date_format(day, "DATE_FORMAT") in html and "03/01/2031" not in html
    client.cookies["django_language"] = "fr"
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):
        assert date_format(day, "DATE_FORMAT") in html and "01/03/2031" not in html


def test_request_list_filters_by_level_topic_and_region(client, personas):
    kenya = make_request(administrations=[personas.admin_c], topics=("transit",), level="strategic")
    senegal = make_request(administrations=[personas.admin_a], topics=("aeo",), level="tactical")
    client.force_login(personas.secretariat)

    def refs(**params):
        return {r.reference for r in client.get(LIST, params).context["page"].object_list}

    assert refs(level="strategic") == {kenya.reference}
    assert refs(topic="aeo") == {senegal.reference}
    assert refs(region="WCA") == {senegal.reference}
    assert refs(region="ESA", topic="aeo") == set()
    assert "Topic: unknown topic." in client.get(LIST, {"topic": "nope"}).content.decode()
    # A member sees its own administration's requests: no region filter for it.
    client.force_login(personas.member)
    assert "region" not in client.get(LIST).context["filters"].fields


def test_request_detail_flags_possible_duplicates_for_the_secretariat(client, personas):
    first = make_request(administrations=[personas.admin_a], topics=("aeo",))
    second = make_request(administrations=[personas.admin_a], topics=("aeo",))
    client.force_login(personas.secretariat)
    response = client.get(reverse("assistance:request_detail", args=[second.pk]))
    assert [d.pk for d in response.context["duplicates"]] == [first.pk]
    assert "Possible duplicate of" in response.content.decode()


def test_request_detail_query_count_does_not_grow_with_history_and_missions(
    client, personas, django_assert_max_num_queries
):
    req = make_request(administrations=[personas.admin_a], focal_point=personas.member)
    for _ in range(10):
        RequestStatusChange.objects.create(
            request=req, to_status=RequestStatus.ACCEPTED, by=personas.secretariat
        )
        persona_mission(personas, requests=[req])
    for user in (personas.member, personas.secretariat):
        client.force_login(user)
        with django_assert_max_num_queries(16):
            response = client.get(reverse("assistance:request_detail", args=[req.pk]))
        assert len(response.context["missions"]) == 10


def test_co_requesters_are_a_searchable_select_of_other_members(client, personas):
    make_member("CI", "WCA", name="Côte d'Ivoire Customs")
    client.force_login(personas.member)
    html = client.get(NEW).content.decode()
    select = html[html.index('<select name="co_requesting"') :]
    select = select[: select.index("</select>")]
    assert "data-search-select" in select and "/lookups/organisations/" in select
    assert "size=" not in select  # no long Ctrl-click list
    assert "Côte d&#x27;Ivoire Customs" in select and "French Customs" in select
    assert "Donor" not in select and "Secretariat" not in select
    assert "Senegal Customs</option>" not in html  # not its own administration
