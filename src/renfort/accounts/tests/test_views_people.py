"""The People page, inviting, revoking, (de)activating accounts, and the invitee's page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renfort.accounts.invitation_models import Invitation
from renfort.accounts.invitations import invitation_create, invitation_revoke, user_deactivate
from renfort.accounts.models import Role, User
from renfort.testing import Personas, make_expert, make_personas, make_user

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Correct-horse-battery-9"
PEOPLE = reverse("accounts:people")
INVITE = reverse("accounts:invite")


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _invite(p: Personas, **kwargs: object) -> tuple[Invitation, str]:
    values: dict[str, object] = {
        "by": p.secretariat,
        "organisation": p.admin_c,
        "role": Role.MEMBER_FOCAL_POINT,
        "email": "wanjiru.kamau@example.org",
        "first_name": "Wanjiru",
        "last_name": "Kamau",
    }
    values.update(kwargs)
    issued = invitation_create(**values)  # type: ignore[arg-type]
    return issued.invitation, issued.token


def _accept_url(token: str) -> str:
    return reverse("accounts:invitation_accept", args=[token])


# --- who sees the page ------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client: Client, p: Personas) -> None:
    for url in (PEOPLE, INVITE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["regional", "expert_user"])
def test_other_roles_are_refused(client: Client, p: Personas, who: str) -> None:
    client.force_login(getattr(p, who))
    assert client.get(PEOPLE).status_code == 403
    assert client.get(INVITE).status_code == 403


def test_donor_sees_its_accounts_but_does_not_invite(client: Client, p: Personas) -> None:
    client.force_login(p.donor)
    html = client.get(PEOPLE).content.decode()
    assert "Invite a person" not in html
    assert client.get(INVITE).status_code == 403


def test_the_menu_shows_people_to_those_who_see_accounts(client: Client, p: Personas) -> None:
    for user, shown in ((p.secretariat, True), (p.member, True), (p.expert_user, False)):
        client.force_login(user)
        html = client.get(reverse("accounts:preferences")).content.decode()
        assert (f'href="{PEOPLE}"' in html) is shown, user


def test_a_focal_point_sees_only_its_administrations_accounts(client: Client, p: Personas) -> None:
    colleague = make_user(Role.MEMBER_FOCAL_POINT, p.admin_a, first_name="Awa", last_name="Ndiaye")
    _invite(p, by=p.member, organisation=p.admin_a, email="fatou@example.org", first_name="Fatou")
    _invite(p)  # into Kenya
    client.force_login(p.member)
    response = client.get(PEOPLE)
    html = response.content.decode()
    assert "Awa Ndiaye" in html and "fatou@example.org" in html
    assert "outsider" not in html and "wanjiru.kamau@example.org" not in html
    assert {a for a, _ in response.context["rows"]} == {p.member, colleague}


def test_the_secretariat_sees_every_account_a_page_at_a_time_and_searches(
    client: Client, p: Personas, django_assert_max_num_queries: object
) -> None:
    for i in range(40):
        make_user(Role.MEMBER_FOCAL_POINT, p.admin_c, first_name="Many", last_name=f"People{i:02}")
    for i in range(30):
        _invite(p, email=f"invitee{i}@example.org")
    client.force_login(p.secretariat)
    # session, user, accounts count + page, invitations count + page
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(PEOPLE)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 25
    assert response.context["page"].paginator.count == User.objects.count()
    assert len(response.context["invitation_rows"]) == 25
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(PEOPLE + "?q=people07")
    assert [str(a) for a, _ in response.context["rows"]] == ["Many People07"]
    assert client.get(PEOPLE + "?page=2&ipage=2").status_code == 200


# --- inviting -------------------------------------------------------------------------------


def test_the_invite_form_offers_only_what_the_inviter_may_give(client: Client, p: Personas) -> None:
    free = make_expert(home_administration=p.admin_b, first_name="Lucie", last_name="Martin")
    make_expert(home_administration=p.admin_c, first_name="Kip", last_name="Otieno")
    client.force_login(p.lender)
    form = client.get(INVITE).context["form"]
    assert [value for value, _ in form.fields["role"].choices] == [
        Role.MEMBER_FOCAL_POINT,
        Role.EXPERT,
    ]
    assert list(form.fields["organisation"].queryset) == [p.admin_b]
    # Their own experts without a login: not Ana Lima (she has one), not Kenya's.
    assert list(form.fields["expert"].queryset) == [free]
    client.force_login(p.secretariat)
    form = client.get(INVITE).context["form"]
    assert Role.EXPERT not in [value for value, _ in form.fields["role"].choices]
    assert "expert" not in form.fields


def test_a_focal_point_invites_an_expert_of_its_own(
    client: Client, p: Personas, django_capture_on_commit_callbacks: object
) -> None:
    from django.core import mail

    expert = make_expert(home_administration=p.admin_b, first_name="Lucie", last_name="Martin")
    client.force_login(p.lender)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            INVITE,
            {"role": Role.EXPERT, "organisation": p.admin_b.pk, "expert": expert.pk},
        )
    assert response.status_code == 302, response.context["form"].errors
    invitation = Invitation.objects.get()
    assert (invitation.expert, invitation.email) == (expert, "lucie.martin@example.org")
    assert mail.outbox[0].to == ["lucie.martin@example.org"]


def test_a_refused_invitation_shows_the_message_beside_the_field(
    client: Client, p: Personas
) -> None:
    client.force_login(p.member)
    response = client.post(
        INVITE, {"role": Role.MEMBER_FOCAL_POINT, "organisation": p.admin_a.pk, "email": ""}
    )
    assert response.status_code == 200
    assert "E-mail address: give the address" in str(response.context["form"].errors["email"])
    # Another administration is not among the choices.
    response = client.post(
        INVITE,
        {
            "role": Role.MEMBER_FOCAL_POINT,
            "organisation": p.admin_c.pk,
            "email": "x@example.org",
            "first_name": "X",
            "last_name": "Y",
        },
    )
    assert "organisation" in response.context["form"].errors
    assert not Invitation.objects.exists()


# --- revoking, (de)activating ---------------------------------------------------------------


def test_revoking_asks_once_more(client: Client, p: Personas) -> None:
    invitation, _ = _invite(p, by=p.member, organisation=p.admin_a)
    url = reverse("accounts:invitation_revoke", args=[invitation.pk])
    client.force_login(p.member)
    page = client.post(url)
    assert page.status_code == 200 and "stops working at once" in page.content.decode()
    assert Invitation.objects.get().revoked_at is None
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    assert Invitation.objects.get().revoked_at is not None


def test_another_organisations_invitation_or_account_is_404(client: Client, p: Personas) -> None:
    invitation, _ = _invite(p)  # into Kenya
    client.force_login(p.member)
    assert (
        client.post(reverse("accounts:invitation_revoke", args=[invitation.pk])).status_code == 404
    )
    for name in ("accounts:account_deactivate", "accounts:account_reactivate"):
        url = reverse(name, args=[p.outsider.pk])
        assert client.post(url, {"confirmed": "yes"}).status_code == 404
    assert User.objects.get(pk=p.outsider.pk).is_active


def test_deactivating_and_reactivating_ask_once_more(client: Client, p: Personas) -> None:
    colleague = make_user(Role.MEMBER_FOCAL_POINT, p.admin_a, first_name="Awa", last_name="Ndiaye")
    client.force_login(p.member)
    url = reverse("accounts:account_deactivate", args=[colleague.pk])
    assert "can no longer sign in" in client.post(url).content.decode()
    assert User.objects.get(pk=colleague.pk).is_active
    client.post(url, {"confirmed": "yes"})
    assert not User.objects.get(pk=colleague.pk).is_active
    url = reverse("accounts:account_reactivate", args=[colleague.pk])
    client.post(url, {"confirmed": "yes"})
    assert User.objects.get(pk=colleague.pk).is_active
    # Their own account: refused with a message, nothing changed.
    response = client.post(
        reverse("accounts:account_deactivate", args=[p.member.pk]),
        {"confirmed": "yes"},
        follow=True,
    )
    assert "your own account" in response.content.decode()
    assert User.objects.get(pk=p.member.pk).is_active


# --- the invitee's page -----------------------------------------------------------------------


def test_the_invitee_chooses_a_password_then_signs_in(client: Client, p: Personas) -> None:
    _, token = _invite(p)
    page = client.get(_accept_url(token))
    assert page.status_code == 200
    assert "Member focal point of Kenya Revenue Authority" in page.content.decode()
    mismatch = client.post(
        _accept_url(token), {"new_password1": GOOD_PASSWORD, "new_password2": "other"}
    )
    assert mismatch.status_code == 200 and not User.objects.filter(username__contains="kamau")
    weak = client.post(_accept_url(token), {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors
    response = client.post(
        _accept_url(token), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert response.cookies["django_language"].value == "en"  # the invitation's language
    assert client.login(username="wanjiru.kamau@example.org", password=GOOD_PASSWORD)
    client.logout()
    again = client.get(_accept_url(token))
    assert again.status_code == 410
    assert "was used already" in again.content.decode()


def test_a_closed_link_shows_a_clear_page(client: Client, p: Personas) -> None:
    revoked, revoked_token = _invite(p)
    invitation_revoke(invitation=revoked, by=p.secretariat)
    expired, expired_token = _invite(p, email="late@example.org")
    past = timezone.now() - datetime.timedelta(days=10)
    Invitation.objects.filter(pk=expired.pk).update(
        created_at=past, expires_at=past + datetime.timedelta(days=7)
    )
    for token, words in ((revoked_token, "was withdrawn"), (expired_token, "expired on")):
        for response in (
            client.get(_accept_url(token)),
            client.post(
                _accept_url(token),
                {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
            ),
        ):
            assert response.status_code == 410
            assert words in response.content.decode()
    unknown = client.get(_accept_url("not-a-token"))
    assert unknown.status_code == 404
    assert "not valid" in unknown.content.decode()
    assert not User.objects.filter(email__in=["late@example.org", "wanjiru.kamau@example.org"])


def test_the_invitee_page_speaks_french(client: Client, p: Personas) -> None:
    _, token = _invite(p)
    client.cookies["django_language"] = "fr"
    html = client.get(_accept_url(token), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ouvrir votre compte Renfort" in html


def test_a_deactivated_account_is_signed_out_at_its_next_page(client: Client, p: Personas) -> None:
    colleague = make_user(Role.MEMBER_FOCAL_POINT, p.admin_a)
    client.force_login(colleague)
    assert client.get(reverse("accounts:inbox")).status_code == 200
    user_deactivate(user=colleague, by=p.member)
    response = client.get(reverse("accounts:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_expert_lookup_leaves_out_experts_with_a_login_when_asked(
    client: Client, p: Personas
) -> None:
    make_expert(home_administration=p.admin_b, first_name="Lucie", last_name="Martin")
    client.force_login(p.lender)
    url = reverse("lookups:experts")
    everyone = [r["text"] for r in client.get(url).json()["results"]]
    without = [r["text"] for r in client.get(url + "?no_login=1").json()["results"]]
    assert any("Ana Lima" in t for t in everyone)
    assert [t.split(" (")[0] for t in without] == ["Lucie Martin"]
