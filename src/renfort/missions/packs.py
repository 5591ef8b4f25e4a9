"""Mission packs: what an expert taking part in a mission needs to go there.

A pack belongs to an assignment that is accepted or confirmed (``COMMITTED``): the terms of
reference, the venue, the host contacts (the beneficiaries' member focal points, with their
e-mail), the agenda (the mission's days in the host's calendar) and an invitation letter for
visas. It is the expert's, and the secretariat's and both administrations' (host and home)
to help with: nobody else opens it (``pack_for_user`` answers 404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from renfort.accounts.models import Organisation, OrganisationKind, Role, User
from renfort.missions.models import (
    COMMITTED_ASSIGNMENT_STATUSES,
    DEAD_MISSION_STATUSES,
    Assignment,
    Mission,
)
from renfort.missions.terms import AgendaDay, Terms, agenda, terms_of
from renfort.planner.workdays import Calendar


def packs_visible_to(user: User) -> QuerySet[Assignment]:
    """The assignments whose pack ``user`` may open: every committed one for the secretariat;
    an expert's own; for a member focal point, those of missions their administration
    receives and those of experts it lends."""
    qs = Assignment.objects.filter(status__in=COMMITTED_ASSIGNMENT_STATUSES).exclude(
        slot__mission__status__in=DEAD_MISSION_STATUSES
    )
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return qs
    if user.role == Role.EXPERT:
        return qs.filter(expert__user=user)
    if user.role == Role.MEMBER_FOCAL_POINT and user.organisation_id is not None:
        host = Mission.objects.filter(beneficiaries=user.organisation_id).values("id")
        return qs.filter(
            Q(slot__mission_id__in=host) | Q(expert__home_administration=user.organisation_id)
        )
    return qs.none()


def pack_for_user(user: User, pk: int) -> Assignment:
    """The assignment whose pack ``user`` opens, with its expert, slot and mission; 404 when
    it is not theirs to open (or not accepted or confirmed)."""
    try:
        return (
            packs_visible_to(user)
            .select_related("expert__home_administration", "expert__user", "slot__mission")
            .get(pk=pk)
        )
    except Assignment.DoesNotExist as exc:
        raise Http404("No such mission pack.") from exc


def mission_packs_for_user(user: User, mission: Mission) -> list[Assignment]:
    """The packs of ``mission`` that ``user`` may open (for links on the terms page)."""
    return list(
        packs_visible_to(user)
        .filter(slot__mission=mission)
        .select_related("expert", "slot")
        .order_by("slot__position", "id")
    )


@dataclass(frozen=True)
class Contact:
    organisation: Organisation
    people: tuple[User, ...]


def host_contacts(terms: Terms) -> list[Contact]:
    """Each beneficiary administration with its active member focal points (one query)."""
    people: dict[int, list[User]] = {}
    users = User.objects.filter(
        role=Role.MEMBER_FOCAL_POINT,
        is_active=True,
        organisation__in=[b.pk for b in terms.beneficiaries],
    ).order_by("last_name", "first_name", "username")
    for user in users:
        people.setdefault(user.organisation_id or 0, []).append(user)
    return [Contact(b, tuple(people.get(b.pk, []))) for b in terms.beneficiaries]


def secretariat() -> Organisation | None:
    """The secretariat that issues letters (the first, should there be several rows)."""
    return Organisation.objects.filter(kind=OrganisationKind.SECRETARIAT).order_by("pk").first()


@dataclass(frozen=True)
class Pack:
    assignment: Assignment
    terms: Terms
    contacts: list[Contact]
    agenda: list[AgendaDay]
    more_days: int
    calendar_known: bool
    host_country: str
    issuer: Organisation | None

    @property
    def mission(self) -> Mission:
        return self.terms.mission

    @property
    def host(self) -> Organisation | None:
        """The administration hosting the mission: the beneficiary of the host country, else
        the first beneficiary."""
        for org in self.terms.beneficiaries:
            if org.country and org.country == self.host_country:
                return org
        return self.terms.beneficiaries[0] if self.terms.beneficiaries else None

    @property
    def working_days(self) -> int:
        return sum(1 for day in self.agenda if day.is_working)


def pack_of(assignment: Assignment, *, host_country: str, calendar: Calendar | None) -> Pack:
    """The pack of ``assignment`` (from ``pack_for_user``). The host's ``calendar`` (weekend
    and public holidays) comes from the caller, which knows where to find it; without one,
    every day of the mission is a working day."""
    terms = terms_of(assignment.slot.mission)
    days, more = agenda(terms.mission, calendar)
    return Pack(
        assignment=assignment,
        terms=terms,
        contacts=host_contacts(terms),
        agenda=days,
        more_days=more,
        calendar_known=calendar is not None,
        host_country=host_country,
        issuer=secretariat(),
    )
