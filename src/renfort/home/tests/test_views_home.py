"""The home page and the menu, per role."""

import pytest
from django.urls import reverse

from renfort.accounts.models import Notification
from renfort.assistance.models import RequestStatus
from renfort.missions.models import AssignmentStatus
from renfort.testing import make_assignment, make_request, persona_mission

ROLES = ["secretariat", "regional", "member", "donor", "expert_user"]


@pytest.mark.parametrize("name", ROLES)
def test_home_for_every_role(client, request, name):
    user = request.getfixturevalue(name)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert user.get_role_display() in response.content.decode()


def test_home_lists_requests_to_appraise(client, secretariat, member, admin_a):
    make_request(
        administrations=[admin_a],
        focal_point=member,
        status=RequestStatus.SUBMITTED,
        title="Risk profiling at Dakar port",
    )
    client.force_login(secretariat)
    html = client.get(reverse("home")).content.decode()
    assert "Requests in the appraisal queue" in html
    assert "Risk profiling at Dakar port" in html


def test_home_shows_expert_invitations(client, personas):
    mission = persona_mission(personas, title="AEO validation workshop")
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.INVITED)
    client.force_login(personas.expert_user)
    html = client.get(reverse("home")).content.decode()
    assert "Invitations to answer" in html
    assert mission.reference in html


def test_home_query_budget(client, personas, django_assert_max_num_queries):
    for i in range(8):
        make_request(
            administrations=[personas.admin_a],
            focal_point=personas.member,
            status=RequestStatus.SUBMITTED,
            title=f"Request {i}",
        )
    client.force_login(personas.secretariat)
    with django_assert_max_num_queries(24):
        assert client.get(reverse("home")).status_code == 200


def test_nav_shows_unread_count_with_one_query(client, member, django_assert_num_queries):
    for i in range(3):
        Notification.objects.create(recipient=member, subject=f"n{i}")
    client.force_login(member)
    response = client.get(reverse("accounts:inbox"))
    assert response.context["nav_unread"]() == 3
    html = response.content.decode()
    assert "3 unread notifications" in html


def test_nav_count_is_cached_per_response(rf, member, django_assert_num_queries):
    from renfort.accounts.context_processors import navigation

    request = rf.get("/")
    request.user = member
    context = navigation(request)
    with django_assert_num_queries(1):
        assert context["nav_unread"]() == 0
        assert context["nav_unread"]() == 0


def test_nav_for_anonymous_makes_no_query(rf, db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from renfort.accounts.context_processors import navigation

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert navigation(request) == {"nav_role": "", "nav_unread": 0, "nav_people": False}


@pytest.mark.parametrize(
    ("name", "shown", "hidden"),
    [
        ("expert_user", ["Inbox"], ["Appraisal", "Agreements"]),
        ("member", ["Inbox"], ["Appraisal"]),
        ("donor", ["Inbox"], ["Appraisal"]),
    ],
)
def test_nav_per_role(client, request, name, shown, hidden):
    client.force_login(request.getfixturevalue(name))
    html = client.get(reverse("home")).content.decode()
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    for label in shown:
        assert label in nav
    for label in hidden:
        assert label not in nav


def test_nav_hides_links_to_pages_not_built(client, secretariat):
    from django.urls import NoReverseMatch

    client.force_login(secretariat)
    html = client.get(reverse("home")).content.decode()
    try:
        reverse("assistance:appraisal_queue")
    except NoReverseMatch:
        assert "Appraisal" not in html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    else:
        assert reverse("assistance:appraisal_queue") in html


@pytest.mark.parametrize("name", ["secretariat", "regional", "member", "donor", "expert_user"])
def test_every_menu_link_opens_for_its_role(client, request, name):
    """The menu offers only pages the role may open (no link leads to a 403)."""
    import re

    client.force_login(request.getfixturevalue(name))
    html = client.get(reverse("home")).content.decode()
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    for link in re.findall(r'href="([^"]+)"', nav):
        assert client.get(link).status_code == 200, link
