"""Two-factor sign-in: enrol (scan, confirm with a code), the second step at sign-in, the
emergency codes, turning it off; required of the secretariat."""

from __future__ import annotations

import re
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfort.accounts.two_factor import (
    current_code,
    new_key,
    two_factor_disable,
    two_factor_enrol,
    two_factor_enrolled,
)
from renfort.accounts.two_factor_views import PENDING_KEY
from renfort.testing import PASSWORD, refuses

VERIFY = "accounts:two_factor_verify"
ENROL = "accounts:two_factor_enrol"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["secretariat"]


def sign_in(client, user, **extra):
    return client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD, **extra}
    )


def enrolled(user) -> tuple[str, list[str]]:
    key = new_key()
    enrolment = two_factor_enrol(user=user, key=key, code=current_code(key))
    # The code just used is spent: the next sign-in waits for the next one (a step later).
    return key, enrolment.emergency_codes


@pytest.fixture
def no_wait(settings):
    """No waiting after a wrong code (django-otp's throttling has its own test)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def later_code(key: str) -> str:
    return current_code(key, at=time.time() + 30)


def test_enrolment_from_the_preferences_page(client, member):
    client.force_login(member)
    prefs = client.get(reverse("accounts:preferences")).content.decode()
    assert reverse(ENROL) in prefs and "Set up two-factor sign-in" in prefs
    page = client.get(reverse(ENROL))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "style=" not in html  # inline QR code, no style attribute
    key = client.session[PENDING_KEY]
    wrong = client.post(
        reverse(ENROL), {"code": "000000" if current_code(key) != "000000" else "1"}
    )
    assert wrong.status_code == 400 and not two_factor_enrolled(member)
    assert "does not match" in wrong.content.decode()
    done = client.post(reverse(ENROL), {"code": current_code(key)})
    assert done["Location"] == reverse("accounts:two_factor_codes")
    codes_page = client.get(reverse("accounts:two_factor_codes")).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    # Shown once only.
    assert client.get(reverse("accounts:two_factor_codes")).status_code == 302
    assert two_factor_enrolled(member)


def test_an_enrolled_account_passes_the_second_step_before_any_page(client, member, no_wait):
    key, _codes = enrolled(member)
    response = sign_in(client, member, next=reverse("accounts:inbox"))
    assert response["Location"].startswith(reverse(VERIFY))
    # Every other page sends back to the second step.
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse(VERIFY))
    assert client.get(reverse("accounts:inbox")).status_code == 302
    bad = client.post(reverse(VERIFY), {"code": "12345x"})
    assert bad.status_code == 400
    ok = client.post(reverse(VERIFY), {"code": later_code(key), "next": reverse("accounts:inbox")})
    assert ok["Location"] == reverse("accounts:inbox")
    assert client.get(reverse("home")).status_code == 200


def test_a_code_is_accepted_once(client, member):
    key, _codes = enrolled(member)
    sign_in(client, member)
    code = later_code(key)
    assert client.post(reverse(VERIFY), {"code": code}).status_code == 302
    other = client.__class__()
    sign_in(other, member)
    replay = other.post(reverse(VERIFY), {"code": code})
    assert replay.status_code == 400
    assert "already been used" in replay.content.decode()


def test_an_emergency_code_signs_in_once(client, member):
    _key, codes = enrolled(member)
    sign_in(client, member)
    assert client.post(reverse(VERIFY), {"code": codes[0]}).status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    other = client.__class__()
    sign_in(other, member)
    assert other.post(reverse(VERIFY), {"code": codes[0]}).status_code == 400


def test_wrong_codes_make_the_next_try_wait(client, member):
    _key, _codes = enrolled(member)
    sign_in(client, member)
    for _ in range(3):
        client.post(reverse(VERIFY), {"code": "999999"})
    response = client.post(reverse(VERIFY), {"code": "999999"})
    assert "Too many wrong codes" in response.content.decode()


def test_the_secretariat_must_enrol_before_anything_else(client, secretariat, required):
    response = sign_in(client, secretariat)
    assert response["Location"].startswith(reverse(ENROL))
    for name in ("home", "missions:mission_list", "accounts:preferences", "accounts:lockouts"):
        refused = client.get(reverse(name))
        assert refused.status_code == 302 and refused["Location"].startswith(reverse(ENROL)), name
    htmx = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(reverse(ENROL))
    assert client.post(reverse("missions:mission_list")).status_code == 302
    page = client.get(reverse(ENROL))
    assert "Your role requires two-factor sign-in" in page.content.decode()
    key = client.session[PENDING_KEY]
    client.post(reverse(ENROL), {"code": current_code(key)})
    assert client.get(reverse("home")).status_code == 200


def test_a_force_logged_secretariat_is_held_too(client, secretariat, required):
    client.force_login(secretariat)
    assert client.get(reverse("home"))["Location"].startswith(reverse(ENROL))


def test_a_role_that_requires_it_cannot_turn_it_off(secretariat, required):
    key, _codes = enrolled(secretariat)
    refuses(two_factor_disable, text="cannot be turned off", user=secretariat, code=later_code(key))
    assert two_factor_enrolled(secretariat)


def test_turning_it_off_takes_a_code(client, member, no_wait):
    key, _codes = enrolled(member)
    sign_in(client, member)
    client.post(reverse(VERIFY), {"code": later_code(key)})
    page = client.post(reverse("accounts:two_factor_disable"), {"code": "000000"})
    assert page.status_code == 400 and two_factor_enrolled(member)
    done = client.post(reverse("accounts:two_factor_disable"), {"code": _codes[0]})
    assert done["Location"] == reverse("accounts:preferences")
    assert not two_factor_enrolled(member)
    assert not TOTPDevice.objects.filter(user=member).exists()


def test_enrolment_refuses_a_bad_code_and_writes_nothing(member):
    key = new_key()
    refuses(two_factor_enrol, text="6-digit code", field="code", user=member, key=key, code="12")
    assert not TOTPDevice.objects.exists()


def test_the_totp_command_needs_debug(member, settings, capsys):
    key, _codes = enrolled(member)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("totp", member.username)
    settings.DEBUG = True
    call_command("totp", member.username)
    assert capsys.readouterr().out.strip() == current_code(key)


def test_the_demo_secret_in_the_docs_is_the_demo_s():
    from pathlib import Path

    from renfort.accounts.two_factor import key_text
    from renfort.demo.logins import TWO_FACTOR_DEMO_KEY

    docs = Path(__file__).resolve().parents[4] / "docs" / "demo.md"
    assert key_text(TWO_FACTOR_DEMO_KEY) in docs.read_text(encoding="utf-8")
