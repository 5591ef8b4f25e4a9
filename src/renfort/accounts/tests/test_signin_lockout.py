"""Lockout after repeated failed sign-ins, per account and per address, through the real
sign-in page; released by time or by the secretariat."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from renfort.accounts.models import Role
from renfort.accounts.signin import client_address, lockout_release, lockouts
from renfort.testing import PASSWORD, make_user, refuses

LOGIN = "accounts:login"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 6


def sign_in(client, username, password, address="10.0.0.1", **extra):
    return client.post(
        reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def fail(client, username, times, address="10.0.0.1"):
    return [sign_in(client, username, "wrong", address).status_code for _ in range(times)]


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def pass_time(minutes: int) -> None:
    """The clock moves on: every failure recorded is now ``minutes`` older."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes)
    )


def test_the_account_locks_after_n_failures_and_the_right_password_is_refused(client, member):
    assert fail(client, "member", 2) == [200, 200]
    third = sign_in(client, "member", "wrong")
    assert third.status_code == 429
    right = sign_in(client, "member", PASSWORD)
    assert right.status_code == 429
    assert not signed_in(client)
    html = right.content.decode()
    assert "Too many failed sign-ins" in html
    assert "30 more minutes" in html or "more minute" in html
    assert "ask the secretariat to unlock it" in html
    assert 'value="member"' in html  # the form keeps the username


def test_the_lockout_message_is_french_for_a_french_reader(client, member):
    fail(client, "member", 3)
    response = sign_in(client, "member", PASSWORD, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429
    with translation.override("fr"):
        html = response.content.decode()
    assert "Trop de connexions" in html
    assert "secrétariat" in html


def test_another_account_from_another_address_still_signs_in(client, member, donor):
    fail(client, "member", 3)
    assert sign_in(client, "donor", PASSWORD, address="10.9.9.9").status_code == 302


def test_an_address_locks_across_accounts(client, db):
    users = [make_user(Role.EXPERT, None, username=f"person{i}") for i in range(4)]
    # Two failures for each of three accounts: no account reaches 3, the address reaches 6.
    for user in users[:3]:
        fail(client, user.username, 2, address="10.0.0.7")
    response = sign_in(client, users[3].username, PASSWORD, address="10.0.0.7")
    assert response.status_code == 429
    assert not signed_in(client)
    # The same person from elsewhere is not locked: it is the address that is.
    assert sign_in(client, users[3].username, PASSWORD, address="10.0.0.8").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, member, settings):
    fail(client, "member", 3)
    pass_time(settings.AXES_COOLOFF_TIME.total_seconds() // 60 - 1)
    assert sign_in(client, "member", PASSWORD).status_code == 429
    pass_time(2)
    response = sign_in(client, "member", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_a_failure_while_locked_does_not_extend_the_lock(client, member, settings):
    fail(client, "member", 3)
    pass_time(settings.AXES_COOLOFF_TIME.total_seconds() // 60 - 1)
    assert sign_in(client, "member", "wrong-again").status_code == 429
    pass_time(2)
    assert sign_in(client, "member", PASSWORD).status_code == 302


def test_the_secretariat_sees_and_lifts_a_lockout(client, member, secretariat):
    fail(client, "member", 3)
    assert [(x.kind, x.value) for x in lockouts()] == [("account", "member")]
    staff = client.__class__()
    staff.force_login(secretariat)
    page = staff.get(reverse("accounts:lockouts"))
    assert page.status_code == 200 and "member" in page.content.decode()
    unlock = reverse("accounts:lockout_unlock")
    asked = staff.post(unlock, {"kind": "account", "value": "member"})
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    assert AccessAttempt.objects.filter(username="member").exists()  # nothing done yet
    done = staff.post(unlock, {"kind": "account", "value": "member", "confirmed": "yes"})
    assert done.status_code == 302
    assert not AccessAttempt.objects.filter(username="member").exists()
    assert lockouts() == []
    assert sign_in(client, "member", PASSWORD).status_code == 302


@pytest.mark.parametrize("who", ["anonymous", "member", "regional", "donor", "expert_user"])
def test_only_the_secretariat_has_the_lockout_pages(client, personas, who):
    if who != "anonymous":
        client.force_login(getattr(personas, who))
    for name, method in (("accounts:lockouts", "get"), ("accounts:lockout_unlock", "post")):
        response = getattr(client, method)(reverse(name), {"kind": "account", "value": "x"})
        assert response.status_code == (302 if who == "anonymous" else 403), (name, who)


def test_only_the_secretariat_may_release(member, client):
    fail(client, "member", 3)
    refuses(
        lockout_release,
        text="Only the secretariat can unlock",
        actor=member,
        kind="account",
        value="member",
    )
    assert AccessAttempt.objects.filter(username="member").exists()


def test_the_proxy_header_is_ignored_without_a_trusted_proxy(client, member):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.1"
    # Faking the header from one address does not escape its lock.
    for n in range(3):
        sign_in(client, "member", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}
    assert sign_in(client, "member", PASSWORD, HTTP_X_FORWARDED_FOR="5.6.7.8").status_code == 429


@override_settings(RENFORT_TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_client_is_the_address_it_appended():
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="6.6.6.6, 8.8.4.4")
    assert client_address(request) == "8.8.4.4"  # what the client wrote itself is ignored
    assert client_address(factory.get("/", REMOTE_ADDR="10.0.0.254")) == "10.0.0.254"


@override_settings(RENFORT_TRUSTED_PROXIES=2)
def test_behind_two_trusted_proxies():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="6.6.6.6, 8.8.4.4, 10.0.0.1"
    )
    assert client_address(request) == "8.8.4.4"


def test_the_production_backend_is_django_axes(settings):
    from renfort.config import settings as production

    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert production.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
