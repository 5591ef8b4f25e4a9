"""Invitations: who may invite whom (and the doc's table), the single-use expiring link, the
expert's login linked to their record, and (de)activating accounts."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from renfort.accounts.invitation_models import ROLE_VALUES, Invitation
from renfort.accounts.invitations import (
    INVITATION_RULES,
    OWN,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    token_hash,
    user_deactivate,
    user_reactivate,
)
from renfort.accounts.models import OrganisationKind, Role, User
from renfort.roster.models import Expert
from renfort.testing import Personas, make_expert, make_personas, refuses

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Correct-horse-battery-9"
DOC = Path(__file__).resolve().parents[4] / "docs" / "security.md"


@pytest.fixture
def p() -> Personas:
    return make_personas()


def _invite(p: Personas, **kwargs: object) -> tuple[Invitation, str]:
    values: dict[str, object] = {
        "by": p.secretariat,
        "organisation": p.admin_c,
        "role": Role.MEMBER_FOCAL_POINT,
        "email": "Wanjiru.Kamau@example.org",
        "first_name": "Wanjiru",
        "last_name": "Kamau",
    }
    values.update(kwargs)
    issued = invitation_create(**values)  # type: ignore[arg-type]
    return issued.invitation, issued.token


def test_roles_of_the_model_and_of_invitations_agree() -> None:
    assert set(ROLE_VALUES) == set(Role.values)


def test_the_doc_table_says_what_the_rules_say() -> None:
    text = DOC.read_text()
    section = text.split("## Who may invite whom", 1)[1].split("\n## ", 1)[0]
    labels = {str(Role(r).label): r for r in Role.values}
    kinds = {str(OrganisationKind(k).label).lower(): k for k in OrganisationKind.values}
    documented = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] not in labels:
            continue
        inviter, given, into = cells
        target = OWN if "own" in into else kinds[re.sub(r"^any ", "", into)]
        documented.add((labels[inviter], labels[given], target))
    rules = {(i, g, t) for i, given in INVITATION_RULES.items() for g, t in given.items()}
    assert documented == rules


def test_secretariat_invites_a_focal_point_who_opens_the_account(
    p: Personas, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        issued = invitation_create(
            by=p.secretariat,
            organisation=p.admin_c,
            role=Role.MEMBER_FOCAL_POINT,
            email="Wanjiru.Kamau@example.org",
            first_name="Wanjiru",
            last_name="Kamau",
            language="fr",
            site_url="https://renfort.example.org/",
        )
    invitation = issued.invitation
    # Only the hash is stored; the link carries the token.
    assert invitation.token_hash == token_hash(issued.token) != issued.token
    assert issued.token not in str(Invitation.objects.values_list().get(pk=invitation.pk))
    assert issued.link == f"https://renfort.example.org/accounts/invitation/{issued.token}/"
    assert invitation.email == "wanjiru.kamau@example.org"
    (sent,) = mail.outbox
    assert sent.to == ["wanjiru.kamau@example.org"]
    assert "Kenya Revenue Authority" in sent.subject
    assert "Bonjour Wanjiru Kamau" in sent.body  # the invitee's language
    assert issued.link in sent.body

    user = invitation_accept(token=issued.token, password=GOOD_PASSWORD)
    user.refresh_from_db()
    assert (user.username, user.role, user.organisation) == (
        "wanjiru.kamau@example.org",
        Role.MEMBER_FOCAL_POINT,
        p.admin_c,
    )
    assert user.language == "fr"
    assert user.check_password(GOOD_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.user == user


def test_the_mail_is_in_the_inviters_language_when_the_invitees_is_unknown(
    p: Personas, django_capture_on_commit_callbacks: object
) -> None:
    p.secretariat.language = "fr"
    p.secretariat.save()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _invite(p)
    assert mail.outbox[0].body.startswith("Bonjour")
    p.secretariat.language = "en"
    p.secretariat.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _invite(p, email="other@example.org")
    assert mail.outbox[0].body.startswith("Hello")


def test_a_link_works_once(p: Personas) -> None:
    _, token = _invite(p)
    invitation_accept(token=token, password=GOOD_PASSWORD)
    error = refuses(invitation_accept, text="was used already", token=token, password="Other-9x!")
    assert error.code == "used"


def test_an_expired_link_is_refused(p: Personas) -> None:
    invitation, token = _invite(p)
    past = timezone.now() - datetime.timedelta(days=10)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=past, expires_at=past + datetime.timedelta(days=7)
    )
    error = refuses(invitation_accept, text="expired on", token=token, password=GOOD_PASSWORD)
    assert error.code == "expired"


def test_a_revoked_link_is_refused(p: Personas) -> None:
    invitation, token = _invite(p)
    invitation_revoke(invitation=invitation, by=p.secretariat)
    error = refuses(invitation_accept, text="was withdrawn", token=token, password=GOOD_PASSWORD)
    assert error.code == "revoked"
    refuses(invitation_revoke, text="revoked already", invitation=invitation, by=p.secretariat)


def test_an_unknown_link_is_refused(p: Personas) -> None:
    refuses(invitation_accept, text="not valid", token="nope", password=GOOD_PASSWORD)


def test_a_weak_password_is_refused_beside_the_field(p: Personas) -> None:
    _, token = _invite(p)
    refuses(invitation_accept, text="Password:", field="password", token=token, password="123")


def test_a_focal_point_invites_only_into_its_own_administration(p: Personas) -> None:
    refuses(
        invitation_create,
        text="Organisation: you can invite a Member focal point only into Senegal Customs",
        field="organisation",
        by=p.member,
        organisation=p.admin_c,
        role=Role.MEMBER_FOCAL_POINT,
        email="someone@example.org",
        first_name="Some",
        last_name="One",
    )


def test_a_focal_point_cannot_give_the_secretariat_role(p: Personas) -> None:
    refuses(
        invitation_create,
        text="Role: you cannot give the role “Secretariat coordinator”",
        field="role",
        by=p.member,
        organisation=p.admin_a,
        role=Role.SECRETARIAT_COORDINATOR,
        email="someone@example.org",
        first_name="Some",
        last_name="One",
    )


@pytest.mark.parametrize("who", ["regional", "donor", "expert_user"])
def test_other_roles_invite_nobody(p: Personas, who: str) -> None:
    refuses(
        invitation_create,
        text="Role: your account cannot invite anyone.",
        field="role",
        by=getattr(p, who),
        organisation=getattr(p, who).organisation,
        role=Role.MEMBER_FOCAL_POINT,
        email="someone@example.org",
        first_name="Some",
        last_name="One",
    )


def test_the_secretariat_invites_a_focal_point_only_into_an_organisation_of_that_kind(
    p: Personas,
) -> None:
    refuses(
        invitation_create,
        text="Organisation: a Donor focal point belongs to a Donor agency, not to Kenya",
        field="organisation",
        by=p.secretariat,
        organisation=p.admin_c,
        role=Role.DONOR_FOCAL_POINT,
        email="someone@example.org",
        first_name="Some",
        last_name="One",
    )


def test_an_address_with_an_account_or_a_pending_invitation_is_refused(p: Personas) -> None:
    refuses(
        _invite, text="E-mail address: an account with", field="email", p=p,
        email=p.lender.email,
    )  # fmt: skip
    _invite(p)
    refuses(_invite, text="has an invitation pending", field="email", p=p)


def test_missing_names_and_address_are_refused_beside_their_fields(p: Personas) -> None:
    error = refuses(_invite, text="E-mail address:", field="email", p=p, email="")
    assert set(error.message_dict) == {"email"}
    refuses(_invite, text="First name: give it.", field="first_name", p=p, first_name=" ")
    refuses(_invite, text="not an address", field="email", p=p, email="no-at-sign")


def test_an_invited_expert_gets_a_login_linked_to_their_record(p: Personas) -> None:
    expert = make_expert(home_administration=p.admin_b, first_name="Lucie", last_name="Martin")
    issued = invitation_create(by=p.lender, organisation=p.admin_b, role=Role.EXPERT, expert=expert)
    assert (issued.invitation.email, issued.invitation.name) == (
        "lucie.martin@example.org",
        "Lucie Martin",
    )
    # The expert record's working language Renfort speaks (fr first): the mail's language.
    assert issued.invitation.language in {"fr", "en"}
    user = invitation_accept(token=issued.token, password=GOOD_PASSWORD)
    expert.refresh_from_db()
    assert expert.user == user and user.role == Role.EXPERT
    # Deactivated, the login stays linked to the record; reactivated, the same login.
    user_deactivate(user=user, by=p.lender)
    expert.refresh_from_db()
    assert expert.user_id == user.pk and not User.objects.get(pk=user.pk).is_active
    user_reactivate(user=User.objects.get(pk=user.pk), by=p.lender)
    assert User.objects.get(pk=user.pk).is_active
    assert Expert.objects.get(pk=expert.pk).user_id == user.pk


def test_inviting_an_expert_who_has_a_login_is_refused(p: Personas) -> None:
    refuses(
        invitation_create,
        text="Expert: Ana Lima has an account already.",
        field="expert",
        by=p.lender,
        organisation=p.admin_b,
        role=Role.EXPERT,
        expert=p.expert,
        email="new.address@example.org",
    )


def test_an_expert_invitation_names_an_expert_record_of_the_administration(p: Personas) -> None:
    refuses(
        invitation_create,
        text="Expert: choose the expert record of French Customs",
        field="expert",
        by=p.lender,
        organisation=p.admin_b,
        role=Role.EXPERT,
        email="x@example.org",
        first_name="X",
        last_name="Y",
    )
    other = make_expert(home_administration=p.admin_c, last_name="Otieno")
    refuses(
        invitation_create,
        text="Expert: this expert is not one of French Customs's.",
        field="expert",
        by=p.lender,
        organisation=p.admin_b,
        role=Role.EXPERT,
        expert=other,
    )


def test_an_expert_who_got_a_login_meanwhile_cannot_accept_a_second(p: Personas) -> None:
    expert = make_expert(home_administration=p.admin_b, last_name="Twice")
    issued = invitation_create(by=p.lender, organisation=p.admin_b, role=Role.EXPERT, expert=expert)
    other = User.objects.create_user("elsewhere", email="elsewhere@example.org")
    Expert.objects.filter(pk=expert.pk).update(user=other)
    error = refuses(
        invitation_accept, text="has an account already", token=issued.token, password=GOOD_PASSWORD
    )
    assert error.code == "expert"


def test_who_deactivates_whose_account(p: Personas) -> None:
    refuses(user_deactivate, text="You cannot change the account of", user=p.outsider, by=p.member)
    refuses(user_deactivate, text="your own account", user=p.member, by=p.member)
    refuses(user_deactivate, text="You cannot change", user=p.member, by=p.regional)
    colleague = User.objects.create_user(
        "colleague", organisation=p.admin_a, role=Role.MEMBER_FOCAL_POINT
    )
    user_deactivate(user=colleague, by=p.member)
    refuses(user_deactivate, text="deactivated already", user=colleague, by=p.member)
    user_deactivate(user=p.outsider, by=p.secretariat)
    assert not User.objects.get(pk=p.outsider.pk).is_active


def test_a_focal_point_invites_a_second_focal_point_of_its_own(p: Personas) -> None:
    _, token = _invite(p, by=p.member, organisation=p.admin_a)
    user = invitation_accept(token=token, password=GOOD_PASSWORD)
    assert (user.organisation_id, user.role) == (p.admin_a.pk, Role.MEMBER_FOCAL_POINT)


def test_a_refused_accept_leaves_the_link_usable(p: Personas) -> None:
    _, token = _invite(p)
    with pytest.raises(ValidationError):
        invitation_accept(token=token, password="short")
    assert invitation_accept(token=token, password=GOOD_PASSWORD).is_active
