"""Sign in, sign out, change and reset a password through the real views."""

import re

import pytest
from django.urls import reverse

from renfort.testing import PASSWORD

NEW_PASSWORD = "Harbour-Lantern-4821"


def test_login_page_labels_every_field(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert reverse("accounts:password_reset") in html


def test_login_signs_in_and_goes_home(client, member):
    response = client.post(reverse("accounts:login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_follows_next(client, member):
    response = client.post(
        reverse("accounts:login"),
        {"username": "member", "password": PASSWORD, "next": reverse("accounts:inbox")},
    )
    assert response["Location"] == reverse("accounts:inbox")


def test_login_refuses_wrong_password_with_a_message(client, member):
    response = client.post(reverse("accounts:login"), {"username": "member", "password": "nope"})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signed_in_user_is_sent_home_from_login(client, member):
    client.force_login(member)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_needs_post(client, member):
    client.force_login(member)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_password_change_asks_anonymous_to_sign_in(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change(client, member):
    client.force_login(member)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert '<label for="id_old_password">' in page.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(response["Location"]).status_code == 200
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_password_change_shows_error_next_to_field(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'id="id_old_password_errors"' in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_reset_by_mail(client, member, mailoutbox):
    member.email = "member@example.org"
    member.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "member@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert client.get(response["Location"]).status_code == 200
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["member@example.org"]
    assert "Renfort" in mail.subject
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.body)
    assert link is not None
    # The link works once: it leads to the form that sets the password.
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    assert page.context["validlink"]
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert client.get(response["Location"]).status_code == 200
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_password_reset_reveals_nothing_about_unknown_addresses(client, db, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_password_reset_bad_link(client, db):
    url = reverse("accounts:password_reset_confirm", args=["MTIz", "bad-token"])
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["validlink"]


@pytest.mark.parametrize("name", ["403.html", "404.html"])
def test_error_pages_link_home(name, rf, member):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = member
    assert reverse("home") in render_to_string(name, request=request)


def test_login_applies_the_users_preferred_language(client, member):
    member.language = "fr"
    member.save()
    response = client.post(reverse("accounts:login"), {"username": "member", "password": PASSWORD})
    assert response.cookies["django_language"].value == "fr"


def test_login_keeps_a_language_chosen_with_the_switcher(client, member):
    member.language = "fr"
    member.save()
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:login"), {"username": "member", "password": PASSWORD})
    assert "django_language" not in response.cookies
