"""The in-app inbox: list, mark one or all read; another user's notification is 404."""

import pytest
from django.urls import reverse

from renfort.accounts.inbox import notification_mark_read, unread_count
from renfort.accounts.models import Notification


def _notify(user, n=1, **kwargs):
    return [
        Notification.objects.create(
            recipient=user,
            subject=kwargs.get("subject", f"Message {i}"),
            link=kwargs.get("link", ""),
        )
        for i in range(n)
    ]


def test_inbox_asks_anonymous_to_sign_in(client, db):
    response = client.get(reverse("accounts:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["expert_user", "secretariat", "member", "donor", "regional"])
def test_every_role_has_an_inbox(client, request, name):
    user = request.getfixturevalue(name)
    _notify(user, subject="Request R-1 accepted")
    client.force_login(user)
    response = client.get(reverse("accounts:inbox"))
    assert response.status_code == 200
    assert "Request R-1 accepted" in response.content.decode()


def test_inbox_shows_only_own_notifications(client, member, outsider):
    _notify(outsider, subject="For the outsider")
    _notify(member, subject="For the member")
    client.force_login(member)
    html = client.get(reverse("accounts:inbox")).content.decode()
    assert "For the member" in html
    assert "For the outsider" not in html


def test_inbox_query_budget_does_not_grow_with_rows(client, member, django_assert_max_num_queries):
    _notify(member, 60)
    client.force_login(member)
    # session, user, page count, page rows, unread count
    with django_assert_max_num_queries(6):
        response = client.get(reverse("accounts:inbox"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(6):
        assert client.get(reverse("accounts:inbox") + "?page=3&unread=1").status_code == 200


def test_inbox_unread_filter(client, member):
    read, unread = _notify(member, 2)
    notification_mark_read(user=member, notification=read)
    client.force_login(member)
    page = client.get(reverse("accounts:inbox") + "?unread=1").context["page"]
    assert list(page.object_list) == [unread]


def test_mark_one_read(client, member):
    (notification,) = _notify(member)
    client.force_login(member)
    response = client.post(reverse("accounts:notification_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(member) == 0


def test_mark_read_needs_post(client, member):
    (notification,) = _notify(member)
    client.force_login(member)
    response = client.get(reverse("accounts:notification_read", args=[notification.pk]))
    assert response.status_code == 405


def test_mark_read_by_htmx_returns_the_row(client, member):
    (notification,) = _notify(member, subject="Mission moved")
    client.force_login(member)
    response = client.post(
        reverse("accounts:notification_read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith("<li")
    assert "Mission moved" in html
    assert "<html" not in html


def test_open_marks_read_and_follows_link(client, member):
    (notification,) = _notify(member, link="/missions/7/")
    client.force_login(member)
    response = client.post(
        reverse("accounts:notification_read", args=[notification.pk]), {"open": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/missions/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_does_not_follow_a_foreign_link(client, member):
    (notification,) = _notify(member, link="https://evil.example.com/")
    client.force_login(member)
    response = client.post(
        reverse("accounts:notification_read", args=[notification.pk]), {"open": "1"}
    )
    assert response["Location"] == reverse("accounts:inbox")


def test_another_users_notification_is_404(client, member, outsider):
    (theirs,) = _notify(outsider)
    client.force_login(member)
    response = client.post(reverse("accounts:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_own(client, member, outsider):
    _notify(member, 3)
    _notify(outsider, 2)
    client.force_login(member)
    response = client.post(reverse("accounts:inbox_read_all"))
    assert response.status_code == 302
    assert unread_count(member) == 0
    assert unread_count(outsider) == 2


def test_mark_all_read_anonymous(client, db):
    response = client.post(reverse("accounts:inbox_read_all"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_service_refuses_another_users_notification(member, outsider):
    from django.http import Http404

    (theirs,) = _notify(outsider)
    with pytest.raises(Http404):
        notification_mark_read(user=member, notification=theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_service_keeps_first_reading_time(member):
    (notification,) = _notify(member)
    assert notification_mark_read(user=member, notification=notification) == 1
    notification.refresh_from_db()
    first = notification.read_at
    assert notification_mark_read(user=member, notification=notification) == 0
    notification.refresh_from_db()
    assert notification.read_at == first


def test_inbox_page_by_htmx_returns_the_list_only(client, member):
    _notify(member, 30)
    client.force_login(member)
    response = client.get(reverse("accounts:inbox") + "?page=2", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.strip().startswith('<section id="notification-list">')
    assert "<html" not in html
    assert html.count('<li class="notification') == 5
