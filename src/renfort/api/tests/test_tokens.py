"""Personal API tokens: the page and the command line, each person's own."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfort.api.models import ApiToken
from renfort.api.testing import bearer
from renfort.api.tokens import token_create, token_hash
from renfort.testing import Personas, refuses

pytestmark = pytest.mark.django_db

PAGE = "/api-tokens/"
ORGS = "/api/v1/organisations/"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _secret_on(response) -> str:
    html = response.content.decode()
    start = html.index('id="new-token"')
    value = html[start:].split('value="', 1)[1].split('"', 1)[0]
    assert value.startswith("rnf_")
    return value


def test_make_a_token_on_the_page_shown_once_and_stored_hashed(personas: Personas):
    client = _signed_in(personas.member)
    response = client.post(PAGE, {"name": "HR roster sync", "expires_days": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = _secret_on(response)
    token = ApiToken.objects.get()
    assert token.owner == personas.member and token.name == "HR roster sync"
    assert token.hashed == token_hash(secret) and token.expires_at is not None
    again = client.get(PAGE).content.decode()
    assert secret not in again and token.prefix in again and "HR roster sync" in again
    assert Client(headers=bearer(secret)).get(ORGS).status_code == 200


def test_the_page_in_french(personas: Personas):
    client = _signed_in(personas.member)
    html = client.get(PAGE, headers={"accept-language": "fr"}).content.decode()
    assert "Vos jetons d’API" in html


def test_a_bad_form_names_the_field_and_makes_nothing(personas: Personas):
    client = _signed_in(personas.member)
    response = client.post(PAGE, {"name": "", "expires_days": "0"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="new-token"' not in html
    assert "Name" in html and "Expires after" in html
    assert not ApiToken.objects.exists()


def test_the_list_shows_only_your_own_tokens(personas: Personas):
    token_create(owner=personas.regional, name="Region sync", two_factor_verified=True)
    html = _signed_in(personas.member).get(PAGE).content.decode()
    assert "Region sync" not in html


def test_revoke_asks_once_more_then_the_token_answers_401(personas: Personas):
    made = token_create(owner=personas.member, name="Sync", two_factor_verified=True)
    client = _signed_in(personas.member)
    url = f"{PAGE}{made.token.pk}/revoke/"
    step = client.post(url)
    assert step.status_code == 200 and "Revoke the token" in step.content.decode()
    assert ApiToken.objects.get().revoked_at is None
    done = client.post(url, {"confirmed": "yes"})
    assert done.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert Client(headers=bearer(made.secret)).get(ORGS).status_code == 401


def test_another_persons_token_is_404_and_stays(personas: Personas):
    made = token_create(owner=personas.regional, name="Region", two_factor_verified=True)
    response = _signed_in(personas.member).post(
        f"{PAGE}{made.token.pk}/revoke/", {"confirmed": "yes"}
    )
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_anonymous_is_sent_to_sign_in():
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_secretariat_needs_two_factor_sign_in_to_make_a_token(personas: Personas):
    refuses(
        token_create,
        text="two-factor",
        field="owner",
        owner=personas.secretariat,
        name="Reports",
        two_factor_verified=False,
    )
    client = _signed_in(personas.secretariat)
    response = client.post(PAGE, {"name": "Reports"})
    assert 'id="new-token"' not in response.content.decode()
    assert "two-factor" in response.content.decode()
    assert not ApiToken.objects.exists()
    # After the second step, in this session: allowed.
    device = TOTPDevice.objects.create(user=personas.secretariat, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    _secret_on(client.post(PAGE, {"name": "Reports"}))
    assert ApiToken.objects.filter(owner=personas.secretariat).count() == 1


def test_service_refusals_name_the_field(personas: Personas):
    refuses(
        token_create,
        text="Name",
        field="name",
        owner=personas.member,
        name=" ",
        two_factor_verified=True,
    )
    refuses(
        token_create,
        text="between 1 and",
        field="expires_days",
        owner=personas.member,
        name="x",
        expires_days=0,
        two_factor_verified=True,
    )
    personas.member.is_active = False
    personas.member.save()
    refuses(
        token_create,
        text="deactivated",
        field="owner",
        owner=personas.member,
        name="x",
        two_factor_verified=True,
    )


def test_command_create_list_revoke(personas: Personas):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "token", "create", "member", "--name", "Script", "--expires", "7", stdout=out, stderr=err
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.hashed == token_hash(secret) and token.name == "Script" and token.expires_at
    assert "not shown again" in err.getvalue()
    listing = io.StringIO()
    call_command("token", "list", "member", stdout=listing)
    assert token.prefix in listing.getvalue() and secret not in listing.getvalue()
    call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    assert ApiToken.objects.get().revoked_at is not None
    assert Client(headers=bearer(secret)).get(ORGS).status_code == 401


def test_command_revokes_by_id_and_refuses_the_unknown(personas: Personas):
    made = token_create(owner=personas.member, name="x", two_factor_verified=True)
    call_command("token", "revoke", str(made.token.pk), stdout=io.StringIO())
    assert ApiToken.objects.get().revoked_at is not None
    with pytest.raises(CommandError, match="No token"):
        call_command("token", "revoke", "nothing1")
    with pytest.raises(CommandError, match="No user"):
        call_command("token", "create", "nobody")
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("token", "create", "member", "--expires", "0")
