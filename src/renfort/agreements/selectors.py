"""Reads of agreements that depend on who asks."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from renfort.accounts.models import Role, User
from renfort.agreements.models import Agreement, AgreementParty


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    """All agreements for the secretariat; otherwise those the user's organisation is a
    party to (in any role). Experts see none."""
    qs = Agreement.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return qs
    if user.role == Role.EXPERT or user.organisation_id is None:
        return qs.none()
    ids = AgreementParty.objects.filter(organisation_id=user.organisation_id).values("agreement_id")
    return qs.filter(id__in=ids)


def agreement_for_user(user: User, pk: int) -> Agreement:
    """The agreement if the user may see it; 404 otherwise."""
    try:
        return agreements_visible_to(user).get(pk=pk)
    except Agreement.DoesNotExist as exc:
        raise Http404("No such agreement.") from exc
