"""The pages after a mission, up the ladder: anonymous, wrong role (403), another party (404),
allowed; their forms (error summary, input kept, nothing written) and query budgets."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.results.models import Evaluation, FollowUpAction, MissionReport
from renfort.results.services import FollowUpSpec, mission_report_submit
from renfort.results.tests.factories import PAST, TODAY, confirmed, delivered, second_expert
from renfort.testing import Personas, make_assignment, make_expert, make_slot, table_state

pytestmark = pytest.mark.django_db
LATER = TODAY + datetime.timedelta(days=30)


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def test_anonymous_visitors_sign_in_first(client: Client, personas: Personas) -> None:
    mission = delivered(personas)
    for url in (
        reverse("results:mission_results", args=[mission.pk]),
        reverse("results:report_create", args=[mission.pk]),
        reverse("results:evaluation_create", args=[mission.pk]),
        reverse("results:follow_up_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("member", 200),
        ("lender", 200),
        ("donor", 200),
        ("regional", 200),
        ("expert_user", 200),
        ("outsider", 404),
    ],
)
def test_the_results_page_is_for_the_missions_parties(
    client: Client, personas: Personas, who: str, status: int
) -> None:
    mission = delivered(personas)
    url = reverse("results:mission_results", args=[mission.pk])
    assert as_user(client, getattr(personas, who)).get(url).status_code == status


def test_an_expert_who_did_not_take_part_gets_404(client: Client, personas: Personas) -> None:
    bruno = second_expert(personas)
    mission = delivered(personas)
    make_assignment(make_slot(mission), bruno, status=AssignmentStatus.DECLINED)
    report = mission_report_submit(
        mission=mission, author=personas.expert, by=personas.expert_user, activities="Done."
    )
    client = as_user(client, bruno.user)
    # Bruno sees the mission (he was invited) but not its results.
    assert client.get(reverse("missions:mission_detail", args=[mission.pk])).status_code == 200
    for url in (
        reverse("results:mission_results", args=[mission.pk]),
        reverse("results:report_create", args=[mission.pk]),
        reverse("results:report_detail", args=[report.pk]),
        reverse("results:evaluation_detail", args=[mission.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_secretariat_delivers_from_the_page(client: Client, personas: Personas) -> None:
    mission = confirmed(personas)
    client = as_user(client, personas.secretariat)
    page = client.get(reverse("results:mission_results", args=[mission.pk])).content.decode()
    assert "Mark the mission delivered" in page
    url = reverse("results:mission_deliver", args=[mission.pk])
    before = table_state()
    bad = client.post(url, {"actual_start": PAST.isoformat(), "actual_end": "2101-01-01"})
    html = bad.content.decode()
    assert bad.status_code == 200 and "There is a problem" in html
    assert "Actual last day: 2101-01-01 is outside" in html
    assert 'href="#id_actual_end"' in html
    assert table_state() == before
    end = PAST + datetime.timedelta(days=4)
    done = client.post(url, {"actual_start": PAST.isoformat(), "actual_end": end.isoformat()})
    assert done.status_code == 302
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DELIVERED


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("expert_user", 403)])
def test_only_the_secretariat_delivers(client, personas: Personas, who, status) -> None:
    mission = confirmed(personas)
    url = reverse("results:mission_deliver", args=[mission.pk])
    response = as_user(client, getattr(personas, who)).post(
        url, {"actual_start": PAST.isoformat(), "actual_end": PAST.isoformat()}
    )
    assert response.status_code == status
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CONFIRMED


def _report_post(**extra: str) -> dict[str, str]:
    data = {
        "activities": "Two workshops.",
        "findings": "Manual profiles.",
        "recommendations": "",
        "follow_up-TOTAL_FORMS": "3",
        "follow_up-INITIAL_FORMS": "0",
        "follow_up-MIN_NUM_FORMS": "0",
        "follow_up-MAX_NUM_FORMS": "10",
    }
    data.update(extra)
    return data


def test_the_expert_files_the_report_from_my_missions(client: Client, personas: Personas) -> None:
    mission = delivered(personas)
    client = as_user(client, personas.expert_user)
    mine = client.get(reverse("roster:my_missions")).content.decode()
    results = reverse("results:mission_results", args=[mission.pk])
    assert results in mine
    assert "File your report" in client.get(results).content.decode()
    url = reverse("results:report_create", args=[mission.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _report_post(
            **{
                "follow_up-0-description": "Adopt the policy.",
                "follow_up-0-owner": str(personas.admin_a.pk),
                "follow_up-0-due_on": LATER.isoformat(),
            }
        ),
    )
    report = MissionReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "results:report_detail", args=[report.pk]
    )
    assert FollowUpAction.objects.get().owner == personas.admin_a
    html = client.get(response["Location"]).content.decode()
    assert "Two workshops." in html and "Adopt the policy." in html
    # Filed: the form sends to the report.
    assert client.get(url).status_code == 302


def test_a_report_form_with_errors_keeps_the_input(client: Client, personas: Personas) -> None:
    mission = delivered(personas)
    client = as_user(client, personas.expert_user)
    before = table_state()
    response = client.post(
        reverse("results:report_create", args=[mission.pk]),
        _report_post(
            activities="",
            findings="Kept.",
            **{"follow_up-1-description": "Half a row.", "follow_up-1-due_on": PAST.isoformat()},
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Activities: this field is required." in html
    assert "Follow-up action 2: Owner: choose who does it." in html
    assert 'href="#id_follow_up-1-owner"' in html
    assert "Kept." in html and "Half a row." in html
    assert table_state() == before
    # The service's own rule (due before the mission's last day) comes back on the form.
    response = client.post(
        reverse("results:report_create", args=[mission.pk]),
        _report_post(
            **{
                "follow_up-0-description": "Too early.",
                "follow_up-0-owner": str(personas.admin_a.pk),
                "follow_up-0-due_on": PAST.isoformat(),
            }
        ),
    )
    assert "before the mission&#x27;s last day" in response.content.decode()
    assert table_state() == before


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("donor", 403), ("lender", 403)])
def test_the_report_form_is_the_experts(client, personas: Personas, who, status) -> None:
    mission = delivered(personas)
    url = reverse("results:report_create", args=[mission.pk])
    assert as_user(client, getattr(personas, who)).get(url).status_code == status


def test_the_secretariat_files_on_behalf(client: Client, personas: Personas) -> None:
    mission = delivered(personas)
    client = as_user(client, personas.secretariat)
    url = reverse("results:report_create", args=[mission.pk])
    assert client.get(url).status_code == 404  # which expert?
    stranger = make_expert(home_administration=personas.admin_b)
    assert client.get(f"{url}?expert={stranger.pk}").status_code == 404
    assert client.get(f"{url}?expert={personas.expert.pk}").status_code == 200
    response = client.post(url, _report_post(expert=str(personas.expert.pk)))
    assert response.status_code == 302
    assert MissionReport.objects.get().filed_by == personas.secretariat


def _evaluation_post(p: Personas, **extra: str) -> dict[str, str]:
    return {
        "rating": "4",
        "comments": "Useful.",
        f"expert_{p.expert.pk}_rating": "5",
        f"expert_{p.expert.pk}_comment": "Clear.",
        **extra,
    }


def test_the_beneficiary_evaluates_from_the_page(client: Client, personas: Personas) -> None:
    mission = delivered(personas, status=MissionStatus.REPORTED)
    client = as_user(client, personas.member)
    results = reverse("results:mission_results", args=[mission.pk])
    assert "Evaluate the mission" in client.get(results).content.decode()
    url = reverse("results:evaluation_create", args=[mission.pk])
    before = table_state()
    missing = client.post(
        url, _evaluation_post(personas, **{f"expert_{personas.expert.pk}_rating": ""})
    )
    html = missing.content.decode()
    assert "There is a problem" in html and f"Rating of {personas.expert}" in html
    assert f'href="#id_expert_{personas.expert.pk}_rating_0"' in html
    assert "Useful." in html
    assert table_state() == before
    response = client.post(url, _evaluation_post(personas))
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.ratings.get().rating == 5
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CLOSED
    # Evaluated: the form sends to the evaluation.
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lender", 404),
        ("outsider", 404),
        ("donor", 403),
        ("expert_user", 403),
        ("secretariat", 403),
    ],
)
def test_only_a_beneficiary_gets_the_evaluation_form(client, personas: Personas, who, status):
    mission = delivered(personas)
    url = reverse("results:evaluation_create", args=[mission.pk])
    client = as_user(client, getattr(personas, who))
    assert client.get(url).status_code == status
    assert client.post(url, _evaluation_post(personas)).status_code == status
    assert not Evaluation.objects.exists()


def test_the_results_page_keeps_its_query_budget(
    client: Client, personas: Personas, django_assert_max_num_queries
) -> None:
    experts = (personas.expert, *(second_expert(personas) for _ in range(1)))
    mission = delivered(personas, experts=experts)
    for expert in experts:
        mission_report_submit(
            mission=mission,
            author=expert,
            by=personas.secretariat,
            activities="Done.",
            follow_ups=[FollowUpSpec(f"Act {i}", personas.admin_a, LATER) for i in range(5)],
        )
    client = as_user(client, personas.secretariat)
    url = reverse("results:mission_results", args=[mission.pk])
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_french_pages(client: Client, personas: Personas) -> None:
    mission = delivered(personas)
    client = as_user(client, personas.expert_user)
    html = client.get(
        reverse("results:mission_results", args=[mission.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Après la mission" in html and "Rédiger votre rapport" in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("member", 200),
        ("lender", 200),
        ("donor", 200),
        ("regional", 200),
        ("expert_user", 200),
        ("outsider", 404),
    ],
)
def test_a_report_is_read_by_the_missions_parties(
    client: Client, personas: Personas, who: str, status: int
) -> None:
    report = mission_report_submit(
        mission=delivered(personas),
        author=personas.expert,
        by=personas.expert_user,
        activities="Two workshops.",
    )
    url = reverse("results:report_detail", args=[report.pk])
    response = as_user(client, getattr(personas, who)).get(url)
    assert response.status_code == status
    if status == 200:
        assert "Two workshops." in response.content.decode()
