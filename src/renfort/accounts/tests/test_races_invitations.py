"""Two people use one invitation link at the same moment: exactly one account is opened.

Threads with their own connections (``missions/tests/racing.py``); on PostgreSQL the
invitation row's lock serialises them, on SQLite the IMMEDIATE transactions do. Also: an
expert's record cannot get two logins from two invitations accepted at once; one address or one
expert is not invited twice by two people at once; a link revoked while it is used either
opens the account or is revoked, never both.
"""

from __future__ import annotations

from functools import partial

import pytest

from renfort.accounts.invitation_models import Invitation
from renfort.accounts.invitations import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
)
from renfort.accounts.models import Role, User
from renfort.missions.tests.racing import race
from renfort.roster.models import Expert
from renfort.testing import make_expert, make_personas

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 5
PASSWORD = "Correct-horse-battery-9"


def test_one_link_used_twice_at_once_opens_one_account() -> None:
    p = make_personas()
    for n in range(ROUNDS):
        issued = invitation_create(
            by=p.secretariat,
            organisation=p.admin_c,
            role=Role.MEMBER_FOCAL_POINT,
            email=f"twice{n}@example.org",
            first_name="Twice",
            last_name=f"Clicked{n}",
        )
        result = race(
            partial(invitation_accept, token=issued.token, password=PASSWORD),
            partial(invitation_accept, token=issued.token, password=PASSWORD + "x"),
        )
        assert not result.unexpected, result.unexpected
        assert len(result.successes) == 1, result.results
        (refusal,) = result.refusals
        assert refusal.code in {"used", "taken"}, refusal.messages
        assert User.objects.filter(username=f"twice{n}@example.org").count() == 1
        invitation = Invitation.objects.get(pk=issued.invitation.pk)
        assert invitation.used_at is not None and invitation.user is not None


def test_two_invitations_of_one_expert_accepted_at_once_give_one_login() -> None:
    p = make_personas()
    for n in range(ROUNDS):
        expert = make_expert(home_administration=p.admin_b, last_name=f"Race{n}")
        first = invitation_create(
            by=p.lender, organisation=p.admin_b, role=Role.EXPERT, expert=expert
        )
        # A second invitation to another address, written straight (the service refuses a
        # second pending one), as if both had been sent at the same moment.
        second = invitation_create(
            by=p.lender,
            organisation=p.admin_b,
            role=Role.EXPERT,
            expert=make_expert(home_administration=p.admin_b, last_name=f"Decoy{n}"),
            email=f"other{n}@example.org",
        )
        Invitation.objects.filter(pk=second.invitation.pk).update(expert=expert)
        result = race(
            partial(invitation_accept, token=first.token, password=PASSWORD),
            partial(invitation_accept, token=second.token, password=PASSWORD),
        )
        assert not result.unexpected, result.unexpected
        assert len(result.successes) == 1, result.results
        assert result.refusals[0].code == "expert"
        expert.refresh_from_db()
        winner = result.successes[0]
        assert isinstance(winner, User) and expert.user_id == winner.pk
        assert Expert.objects.filter(user__isnull=False, last_name=f"Race{n}").count() == 1


def test_one_address_invited_twice_at_once_gets_one_invitation() -> None:
    p = make_personas()
    for n in range(ROUNDS):
        email = f"both{n}@example.org"
        invite = partial(
            invitation_create,
            organisation=p.admin_a,
            role=Role.MEMBER_FOCAL_POINT,
            email=email,
            first_name="Both",
            last_name=f"Inviters{n}",
        )
        result = race(partial(invite, by=p.secretariat), partial(invite, by=p.member))
        assert not result.unexpected, result.unexpected
        assert len(result.successes) == 1, result.results
        (refusal,) = result.refusals
        assert "email" in refusal.message_dict, refusal.messages
        assert Invitation.objects.filter(email=email).count() == 1


def test_one_expert_invited_twice_at_once_gets_one_invitation() -> None:
    p = make_personas()
    for n in range(ROUNDS):
        expert = make_expert(home_administration=p.admin_b, last_name=f"Twice{n}")
        invite = partial(invitation_create, by=p.lender, organisation=p.admin_b, role=Role.EXPERT)
        result = race(
            partial(invite, expert=expert, email=f"home{n}@example.org"),
            partial(invite, expert=expert, email=f"work{n}@example.org"),
        )
        assert not result.unexpected, result.unexpected
        assert len(result.successes) == 1, result.results
        (refusal,) = result.refusals
        assert "expert" in refusal.message_dict, refusal.messages
        assert Invitation.objects.filter(expert_id=expert.pk).count() == 1


def test_a_link_revoked_while_it_is_used_opens_an_account_or_is_revoked() -> None:
    p = make_personas()
    for n in range(ROUNDS):
        issued = invitation_create(
            by=p.secretariat,
            organisation=p.admin_c,
            role=Role.MEMBER_FOCAL_POINT,
            email=f"late{n}@example.org",
            first_name="Late",
            last_name=f"Revoked{n}",
        )
        result = race(
            partial(invitation_accept, token=issued.token, password=PASSWORD),
            partial(invitation_revoke, invitation=issued.invitation, by=p.secretariat),
        )
        assert not result.unexpected, result.unexpected
        assert len(result.successes) == 1 and len(result.refusals) == 1, result.results
        invitation = Invitation.objects.get(pk=issued.invitation.pk)
        opened = User.objects.filter(username=f"late{n}@example.org").exists()
        assert (invitation.used_at is not None) == opened
        assert (invitation.revoked_at is not None) != opened
