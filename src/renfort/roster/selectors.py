"""Reads of the expert pool that depend on who asks. Experts' personal data is shown only to
those who manage or lend them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from renfort.accounts.models import Role, User
from renfort.roster.models import Expert


def experts_visible_to(user: User) -> QuerySet[Expert]:
    """Secretariat: the whole pool. Regional coordinator: experts of their region's
    administrations. Member focal point: their administration's experts. Expert: themself.
    Donor focal point: none."""
    qs = Expert.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return qs
    if user.role == Role.EXPERT:
        return qs.filter(user=user)
    org = user.organisation
    if org is None:
        return qs.none()
    if user.role == Role.REGIONAL_COORDINATOR and org.region:
        return qs.filter(home_administration__region=org.region)
    if user.role == Role.MEMBER_FOCAL_POINT:
        return qs.filter(home_administration=org)
    return qs.none()


def expert_for_user(user: User, pk: int) -> Expert:
    try:
        return experts_visible_to(user).get(pk=pk)
    except Expert.DoesNotExist as exc:
        raise Http404("No such expert.") from exc


def shows_contact_details(user: User, expert: Expert) -> bool:
    """Whether the user sees the expert's e-mail: those who contact her about her work (the
    secretariat, which invites her; her home administration's focal points, her employer)
    and she herself. A regional coordinator sees her profile, not her contact details
    (docs/experts.md)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return True
    if user.role == Role.EXPERT:
        return expert.user_id == user.pk
    return (
        user.role == Role.MEMBER_FOCAL_POINT
        and user.organisation_id is not None
        and user.organisation_id == expert.home_administration_id
    )
