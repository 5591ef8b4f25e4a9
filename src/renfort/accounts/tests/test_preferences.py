"""A person's preferences page: the language and how notifications come by e-mail."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from renfort.accounts.models import NotificationMail, User
from renfort.accounts.preferences import user_set_preferences
from renfort.testing import refuses

URL = reverse("accounts:preferences")


def _state(user: User) -> tuple[str, str]:
    user.refresh_from_db()
    return user.language, user.notification_mail


def test_anonymous_is_sent_to_sign_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_choose_the_daily_digest_in_french(client, member) -> None:
    client.force_login(member)
    page = client.get(URL).content.decode()
    assert "One e-mail a day" in page and 'value="immediate"' in page
    response = client.post(URL, {"language": "fr", "notification_mail": "daily"})
    assert response.status_code == 302
    assert _state(member) == ("fr", NotificationMail.DAILY)
    page = client.get(URL).content.decode()
    assert "Vos préférences sont enregistrées." in page
    assert "Un e-mail par jour" in page
    assert re.search(r'value="daily"[^>]*checked', page)


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"language": "de", "notification_mail": "daily"}, "language", "e-mails: choose"),
        ({"language": "en", "notification_mail": "hourly"}, "notification_mail", "by e-mail"),
        ({"language": "en"}, "notification_mail", "Notifications by e-mail: choose"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client, member, data, field, text) -> None:
    before = _state(member)
    client.force_login(member)
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert text in html
    assert 'id="error-summary"' in html
    assert f'href="#id_{field}' in html
    assert _state(member) == before


def test_the_service_refuses_unknown_choices(member) -> None:
    refuses(
        user_set_preferences,
        user=member,
        language="xx",
        notification_mail="weekly",
        text="Notifications by e-mail: choose",
        field="notification_mail",
    )
    assert _state(member) == ("en", NotificationMail.IMMEDIATE)


def test_the_french_page_shows_no_english_of_ours(client, member) -> None:
    from renfort.accounts.tests.test_views_look import _english_strings, _text_nodes

    client.force_login(member)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    leaks = _text_nodes(html) & _english_strings()
    assert "Vos préférences" in html
    # "English" is the language's own name, as the switcher shows it (lang="en" choice).
    assert not leaks - {"English", "Secretariat"}  # "Secretariat": the menu's (base.html)
