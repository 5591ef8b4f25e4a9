"""Whose results a user may read: each party reads its own page, the secretariat any party's.

A party is an expert (her track record), a member administration (as lending administration,
as beneficiary, or as donor when it funds work), a donor agency, or a WCO region. Each
function returns the party with its missions (any status) as far as the viewer may see them
(``missions_visible_to``), or raises 404 for another party's page; the views check the role
first (403).

- Expert: the expert herself, the secretariat, a member focal point of her home
  administration (``roster.selectors.experts_visible_to``).
- Lending administration and beneficiary: a member focal point of that administration; the
  secretariat for any member administration.
- Donor: a donor focal point or a member focal point of that organisation; the secretariat
  for any donor agency or member administration.
- Region: its regional coordinator; the secretariat for any of the six regions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, OrganisationKind, Region, Role, User
from renfort.agreements.models import Agreement, AgreementParty, MissionFunding, PartyRole
from renfort.agreements.selectors import agreements_visible_to
from renfort.missions.models import Assignment, Mission
from renfort.missions.selectors import missions_visible_to
from renfort.results.figures.common import TAKING_PART
from renfort.roster.models import Expert
from renfort.roster.selectors import experts_visible_to


class PartyKind:
    EXPERT = "expert"
    LENDING = "lending"
    DONOR = "donor"
    BENEFICIARY = "beneficiary"
    REGION = "region"


PAGE_NAMES = {
    PartyKind.EXPERT: "expert_record",
    PartyKind.LENDING: "lending",
    PartyKind.DONOR: "donor",
    PartyKind.BENEFICIARY: "beneficiary",
    PartyKind.REGION: "region",
}


@dataclass(frozen=True)
class Party:
    """Whose results a page shows, and their missions the viewer may see."""

    kind: str
    name: str
    missions: QuerySet[Mission]
    viewer: User
    expert: Expert | None = None
    organisation: Organisation | None = None
    region: str = ""

    @property
    def url_name(self) -> str:
        """The name of the party's page (its full lists are ``<name>_missions`` ...)."""
        return f"results:{PAGE_NAMES[self.kind]}"

    @property
    def title(self) -> str:
        """What the party's page is about, in the reader's language."""
        titles = {
            PartyKind.EXPERT: _("Track record: %(name)s"),
            PartyKind.LENDING: _("Contribution of %(name)s"),
            PartyKind.DONOR: _("What %(name)s funds"),
            PartyKind.BENEFICIARY: _("Assistance received by %(name)s"),
            PartyKind.REGION: _("Results in %(name)s"),
        }
        return titles[self.kind] % {"name": self.name}

    @property
    def key(self) -> str | int:
        """What the party's addresses carry: an expert's or organisation's id, a region."""
        if self.expert is not None:
            return self.expert.pk
        if self.organisation is not None:
            return self.organisation.pk
        return self.region


def is_secretariat(user: User) -> bool:
    return user.role == Role.SECRETARIAT_COORDINATOR


def within_view(viewer: User, missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """``missions`` cut to those ``viewer`` may see (the secretariat sees them all)."""
    if is_secretariat(viewer):
        return missions
    return missions.filter(id__in=missions_visible_to(viewer).values("id"))


def agreements_within_view(viewer: User, agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    if is_secretariat(viewer):
        return agreements
    return agreements.filter(id__in=agreements_visible_to(viewer).values("id"))


def _missions(ids: QuerySet[Any], viewer: User) -> QuerySet[Mission]:
    return within_view(viewer, Mission.objects.filter(id__in=ids))


def expert_party(viewer: User, pk: int) -> Party:
    try:
        expert = experts_visible_to(viewer).select_related("home_administration").get(pk=pk)
    except Expert.DoesNotExist as exc:
        raise Http404("No such expert.") from exc
    places = Assignment.objects.filter(expert=expert, status__in=TAKING_PART)
    return Party(
        kind=PartyKind.EXPERT,
        name=str(expert),
        missions=_missions(places.values("slot__mission_id"), viewer),
        viewer=viewer,
        expert=expert,
    )


def _own_organisation(viewer: User, pk: int, kinds: set[str]) -> Organisation:
    """The organisation ``pk`` if the viewer acts for it (or is the secretariat) and it is
    of one of ``kinds``; 404 otherwise."""
    if not is_secretariat(viewer) and viewer.organisation_id != pk:
        raise Http404("Another party's results.")
    try:
        return Organisation.objects.get(pk=pk, kind__in=kinds)
    except Organisation.DoesNotExist as exc:
        raise Http404("No such party.") from exc


MEMBER = {OrganisationKind.MEMBER_ADMINISTRATION.value}


def lending_party(viewer: User, pk: int) -> Party:
    org = _own_organisation(viewer, pk, MEMBER)
    places = Assignment.objects.filter(expert__home_administration=org, status__in=TAKING_PART)
    return Party(
        kind=PartyKind.LENDING,
        name=org.name,
        missions=_missions(places.values("slot__mission_id"), viewer),
        viewer=viewer,
        organisation=org,
    )


def funding_agreements(org: Organisation) -> QuerySet[Agreement]:
    """The agreements ``org`` is a party to with the role funding."""
    parties = AgreementParty.objects.filter(organisation=org, role=PartyRole.FUNDING)
    return Agreement.objects.filter(id__in=parties.values("agreement_id"))


def donor_party(viewer: User, pk: int) -> Party:
    org = _own_organisation(viewer, pk, MEMBER | {OrganisationKind.DONOR_AGENCY.value})
    funded = MissionFunding.objects.filter(agreement__in=funding_agreements(org))
    return Party(
        kind=PartyKind.DONOR,
        name=org.name,
        missions=_missions(funded.values("mission_id"), viewer),
        viewer=viewer,
        organisation=org,
    )


def beneficiary_party(viewer: User, pk: int) -> Party:
    org = _own_organisation(viewer, pk, MEMBER)
    received = Mission.beneficiaries.through.objects.filter(organisation=org)
    return Party(
        kind=PartyKind.BENEFICIARY,
        name=org.name,
        missions=_missions(received.values("mission_id"), viewer),
        viewer=viewer,
        organisation=org,
    )


def region_members(region: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrganisationKind.MEMBER_ADMINISTRATION, region=region
    ).order_by("name", "pk")


def region_party(viewer: User, code: str) -> Party:
    if code not in Region.values or not (is_secretariat(viewer) or viewer.region == code):
        raise Http404("Another region's results.")
    received = Mission.beneficiaries.through.objects.filter(organisation__in=region_members(code))
    return Party(
        kind=PartyKind.REGION,
        name=str(Region(code).label),
        missions=_missions(received.values("mission_id"), viewer),
        viewer=viewer,
        region=code,
    )
