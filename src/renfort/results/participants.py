"""Who takes part in what follows a mission: the experts who report on it, the organisations
that may own its follow-up actions, the people of an organisation who act for it. Plain reads
(they do not depend on who asks); services, selectors and reminders share them."""

from __future__ import annotations

from django.db.models import QuerySet

from renfort.accounts.models import Organisation, OrganisationKind, Role, User
from renfort.missions.models import TAKING_PART_ASSIGNMENT_STATUSES, Assignment, Mission
from renfort.roster.models import Expert


def mission_experts(mission: Mission) -> list[Expert]:
    """The experts who took part in the mission (accepted, confirmed or completed): each owes
    a report and is rated by the beneficiaries. By name."""
    ids = Assignment.objects.filter(
        slot__mission=mission, status__in=list(TAKING_PART_ASSIGNMENT_STATUSES)
    ).values("expert_id")
    return list(
        Expert.objects.filter(pk__in=ids)
        .select_related("user", "home_administration")
        .order_by("last_name", "first_name", "pk")
    )


def missing_reports(mission: Mission) -> list[Expert]:
    """The mission's experts whose report is not in yet."""
    reported = set(mission.reports.values_list("author_id", flat=True))
    return [e for e in mission_experts(mission) if e.pk not in reported]


def secretariat_organisation() -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.SECRETARIAT).order_by("pk").first()


def follow_up_owners(mission: Mission) -> list[Organisation]:
    """Who may own a follow-up action of the mission: its beneficiary administrations, and
    the secretariat."""
    owners = list(mission.beneficiaries.order_by("name"))
    secretariat = secretariat_organisation()
    if secretariat is not None:
        owners.append(secretariat)
    return owners


def acting_users(organisation: Organisation) -> QuerySet[User]:
    """The people who act for ``organisation`` on follow-ups and evaluations: the secretariat's
    coordinators, or a member administration's focal points."""
    role = (
        Role.SECRETARIAT_COORDINATOR
        if organisation.kind == OrganisationKind.SECRETARIAT
        else Role.MEMBER_FOCAL_POINT
    )
    return User.objects.filter(organisation=organisation, role=role, is_active=True)


def acts_for(user: User, organisation: Organisation) -> bool:
    """Whether ``user`` acts for ``organisation`` (see ``acting_users``)."""
    if user.organisation_id != organisation.pk or not user.is_active:
        return False
    if organisation.kind == OrganisationKind.SECRETARIAT:
        return user.role == Role.SECRETARIAT_COORDINATOR
    return user.role == Role.MEMBER_FOCAL_POINT


def beneficiary_of(user: User, mission: Mission) -> Organisation | None:
    """The beneficiary administration of ``mission`` that ``user`` is a member focal point
    of, if any: who may evaluate the mission."""
    if user.role != Role.MEMBER_FOCAL_POINT or user.organisation_id is None:
        return None
    return mission.beneficiaries.filter(pk=user.organisation_id).first()


def marks_follow_ups_of(user: User, owner: Organisation) -> bool:
    """Who marks a follow-up action of ``owner`` done: the owner's people, and any
    secretariat coordinator (the secretariat tracks every action)."""
    if user.role == Role.SECRETARIAT_COORDINATOR and user.is_active:
        return True
    return acts_for(user, owner)
