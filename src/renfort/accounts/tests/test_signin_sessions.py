"""A session ends after a while without activity (sliding), and after a fixed time whatever
its use (accounts/middleware.py)."""

from __future__ import annotations

import time

from django.urls import reverse

from renfort.accounts.middleware import LAST_SEEN, SIGNED_IN_AT


def age(client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"seen": LAST_SEEN, "started": SIGNED_IN_AT}[key]] = now - ago
    session.save()


def test_signing_in_starts_both_clocks(client, member):
    client.force_login(member)
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 5
    assert abs(client.session[LAST_SEEN] - time.time()) < 5


def test_an_idle_session_ends(client, member, settings):
    client.force_login(member)
    age(client, seen=settings.SESSION_IDLE_TIMEOUT_S + 5)
    response = client.get(reverse("accounts:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "without activity" in page


def test_activity_keeps_the_session_alive(client, member, settings):
    client.force_login(member)
    idle = settings.SESSION_IDLE_TIMEOUT_S
    age(client, seen=idle - 10)
    assert client.get(reverse("accounts:inbox")).status_code == 200
    assert time.time() - client.session[LAST_SEEN] < 5  # the clock was reset: sliding
    age(client, seen=idle - 10)
    assert client.get(reverse("accounts:inbox")).status_code == 200


def test_a_session_ends_after_the_absolute_limit_even_if_used(client, member, settings):
    client.force_login(member)
    age(client, started=settings.SESSION_ABSOLUTE_TIMEOUT_S + 5, seen=1)
    response = client.get(reverse("accounts:inbox"))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_of_an_expired_session_reloads_the_page_to_sign_in(
    client, member, settings
):
    client.force_login(member)
    age(client, seen=settings.SESSION_IDLE_TIMEOUT_S + 5)
    response = client.get(reverse("accounts:inbox"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_a_recent_request_does_not_write_the_session(client, member, django_assert_num_queries):
    client.force_login(member)
    client.get(reverse("accounts:inbox"))
    # Within a minute of the last write, the idle clock is not written back.
    session_key = client.session.session_key
    from django.contrib.sessions.models import Session

    before = Session.objects.get(session_key=session_key).session_data
    client.get(reverse("accounts:inbox"))
    assert Session.objects.get(session_key=session_key).session_data == before


def test_the_limits_are_settings(settings):
    assert settings.SESSION_IDLE_TIMEOUT_S == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT_S == 12 * 3600
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT_S
