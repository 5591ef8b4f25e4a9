"""Reads of accounts and invitations that depend on who asks (the People page).

The scope follows ``accounts.invitations.ACCOUNT_MANAGERS``: the secretariat sees every
account and invitation, a focal point those of its own organisation; anyone else none. An
account or invitation outside the scope answers 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from renfort.accounts.invitation_models import Invitation, InvitationQuerySet
from renfort.accounts.invitations import ACCOUNT_MANAGERS, ALL
from renfort.accounts.models import User


def accounts_visible_to(user: User) -> QuerySet[User]:
    """The accounts ``user`` sees on the People page, by name."""
    qs = User.objects.select_related("organisation").order_by(
        "last_name", "first_name", "username", "pk"
    )
    scope = ACCOUNT_MANAGERS.get(getattr(user, "role", ""))
    if not user.is_authenticated or not user.is_active or scope is None:
        return qs.none()
    if scope == ALL:
        return qs
    if user.organisation_id is None:
        return qs.none()
    return qs.filter(organisation_id=user.organisation_id)


def account_for_user(user: User, pk: int) -> User:
    try:
        return accounts_visible_to(user).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404("No such account.") from exc


def invitations_visible_to(user: User) -> InvitationQuerySet:
    """The invitations ``user`` sees: those into the organisations whose accounts they see."""
    qs = Invitation.objects.select_related("organisation", "invited_by").order_by(
        "-created_at", "-pk"
    )
    scope = ACCOUNT_MANAGERS.get(getattr(user, "role", ""))
    if not user.is_authenticated or not user.is_active or scope is None:
        return qs.none()
    if scope == ALL:
        return qs
    if user.organisation_id is None:
        return qs.none()
    return qs.filter(organisation_id=user.organisation_id)


def invitation_for_user(user: User, pk: int) -> Invitation:
    try:
        return invitations_visible_to(user).get(pk=pk)
    except Invitation.DoesNotExist as exc:
        raise Http404("No such invitation.") from exc
