"""IATI 2.03 activity XML for the agreements and missions a person may see (docs/iati.md).

Each agreement is an activity of hierarchy 1; each mission it funds, a child activity of
hierarchy 2 linked both ways with ``related-activity``. Identifiers are the reporting
organisation's identifier (setting ``IATI_REPORTING_ORG_REF``) followed by the reference.
What people typed (titles, descriptions, objectives) goes out as they typed it; what Renfort
writes itself (general descriptions, topic names) goes out in English and in French.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from renfort.accounts.models import Organisation, OrganisationKind, User
from renfort.agreements.models import (
    ActualCost,
    Agreement,
    AgreementParty,
    AgreementStatus,
    MissionFunding,
    PartyRole,
)
from renfort.agreements.selectors import agreements_visible_to
from renfort.exports import iati_codes as codes
from renfort.exports.iati_money import agreement_transactions, budget, mission_money
from renfort.exports.iati_results import results_of
from renfort.exports.iati_text import (
    XML_LANG,
    both_languages,
    identifier,
    narrative,
    text_element,
)
from renfort.missions.models import (
    DONE_MISSION_STATUSES,
    Mission,
    MissionStatus,
    Slot,
    SlotRequirement,
)
from renfort.missions.selectors import missions_visible_to
from renfort.roster.models import Topic

HUNDRED = Decimal(100)


def export_for(user: User | None) -> bytes | None:
    """The export of what ``user`` may see; everything when ``user`` is None (command line).
    None when that is no agreement at all (IATI wants one activity at least)."""
    if user is None:
        agreements: QuerySet[Agreement] = Agreement.objects.all()
        missions: QuerySet[Mission] = Mission.objects.all()
    else:
        agreements = agreements_visible_to(user)
        missions = missions_visible_to(user)
    if not agreements.exists():
        return None
    return build(agreements, missions)


def build(agreements: QuerySet[Agreement], missions: QuerySet[Mission]) -> bytes:
    """IATI activities for ``agreements`` and for the ``missions`` among them that they fund."""
    agreements = agreements.prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
        "result_objectives__indicators__actuals",
        Prefetch("fundings", queryset=MissionFunding.objects.select_related("mission")),
        Prefetch("actual_costs", queryset=ActualCost.objects.select_related("mission")),
    ).order_by("reference")
    agreement_list = list(agreements)
    funded = (
        missions.filter(agreements__in=[a.pk for a in agreement_list])
        .distinct()
        .prefetch_related(
            "beneficiaries",
            "delivery",
            Prefetch(
                "slots",
                queryset=Slot.objects.prefetch_related(
                    Prefetch(
                        "requirements", queryset=SlotRequirement.objects.select_related("topic")
                    )
                ),
            ),
            "agreements",
            "cost_estimate",
            Prefetch("actual_costs", queryset=ActualCost.objects.select_related("agreement")),
            "result_objectives__indicators__actuals",
        )
        .order_by("reference")
    )
    mission_list = list(funded)
    children: dict[int, list[Mission]] = {}
    for mission in mission_list:
        for agreement in mission.agreements.all():
            children.setdefault(agreement.pk, []).append(mission)
    # The secretariat reports, implements every mission and stands in for an agreement that
    # names no participating role: read once for the whole file.
    secretariat = Organisation.objects.filter(kind=OrganisationKind.SECRETARIAT).first()
    reporting = _reporting_org(secretariat)
    root = etree.Element(
        "iati-activities",
        version=codes.VERSION,
        attrib={"generated-datetime": _now()},
    )
    for agreement in agreement_list:
        root.append(
            _agreement_activity(agreement, children.get(agreement.pk, []), reporting, secretariat)
        )
    parties = {a.pk: list(a.parties.all()) for a in agreement_list}
    for mission in mission_list:
        root.append(_mission_activity(mission, parties, reporting, secretariat))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _now() -> str:
    return timezone.now().replace(microsecond=0).isoformat()


def _reporting_org(secretariat: Organisation | None) -> etree._Element:
    org = etree.Element(
        "reporting-org",
        ref=settings.IATI_REPORTING_ORG_REF,
        type=settings.IATI_REPORTING_ORG_TYPE,
    )
    narrative(org, secretariat.name if secretariat else settings.IATI_REPORTING_ORG_REF)
    return org


def _activity(
    hierarchy: int, reference: str, currency: str, reporting: etree._Element
) -> etree._Element:
    activity = etree.Element(
        "iati-activity",
        attrib={
            XML_LANG: "en",
            "default-currency": currency,
            "hierarchy": str(hierarchy),
            "last-updated-datetime": _now(),
        },
    )
    etree.SubElement(activity, "iati-identifier").text = identifier(reference)
    activity.append(_copy(reporting))
    return activity


def _copy(node: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(node))


def _participating(activity: etree._Element, org: Organisation, role: str) -> None:
    attrs = {"role": role}
    kind_type = codes.ORGANISATION_TYPE.get(OrganisationKind(org.kind))
    if kind_type:
        attrs["type"] = kind_type
    node = etree.SubElement(activity, "participating-org", attrib=attrs)
    narrative(node, org.name)


def _dates(
    activity: etree._Element,
    planned: tuple[datetime.date, datetime.date] | None,
    actual: tuple[datetime.date, datetime.date] | None,
) -> None:
    for period, start_code, end_code in (
        (planned, codes.PLANNED_START, codes.PLANNED_END),
        (actual, codes.ACTUAL_START, codes.ACTUAL_END),
    ):
        if period is None:
            continue
        for code, day in ((start_code, period[0]), (end_code, period[1])):
            etree.SubElement(
                activity, "activity-date", attrib={"type": code, "iso-date": day.isoformat()}
            )


def split_percentages(count: int) -> list[Decimal]:
    """``count`` shares of 100 with two decimals that add up to exactly 100."""
    if count <= 0:
        return []
    share = (HUNDRED / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    shares = [share] * count
    shares[-1] = HUNDRED - share * (count - 1)
    return shares


def _countries(activity: etree._Element, countries: Sequence[str]) -> None:
    for code, share in zip(countries, split_percentages(len(countries)), strict=True):
        etree.SubElement(activity, "recipient-country", code=code, percentage=f"{share}")


def _sectors(activity: etree._Element, topics: Sequence[Topic]) -> None:
    etree.SubElement(
        activity,
        "sector",
        vocabulary=codes.SECTOR_VOCABULARY_DAC,
        code=codes.SECTOR_TRADE_FACILITATION,
        percentage="100",
    )
    for topic, share in zip(topics, split_percentages(len(topics)), strict=True):
        node = etree.SubElement(
            activity,
            "sector",
            vocabulary=codes.SECTOR_VOCABULARY_OWN,
            attrib={"vocabulary-uri": settings.IATI_TOPIC_VOCABULARY_URI},
            code=topic.code,
            percentage=f"{share}",
        )
        both_languages(node, partial(str, topic))


def _classification(activity: etree._Element) -> None:
    etree.SubElement(
        activity,
        "default-aid-type",
        code=codes.AID_TYPE_TECHNICAL_ASSISTANCE,
        vocabulary=codes.AID_TYPE_VOCABULARY,
    )


def _related(activity: etree._Element, references: Iterable[str], kind: str) -> None:
    for reference in references:
        etree.SubElement(activity, "related-activity", ref=identifier(reference), type=kind)


def _agreement_activity(
    agreement: Agreement,
    missions: list[Mission],
    reporting: etree._Element,
    secretariat: Organisation | None,
) -> etree._Element:
    activity = _activity(1, agreement.reference, agreement.currency, reporting)
    text_element(activity, "title", agreement.title)
    general = etree.SubElement(activity, "description", type=codes.DESCRIPTION_GENERAL)
    both_languages(
        general,
        lambda: (
            _(
                "%(kind)s agreement %(reference)s, from %(start)s to %(end)s, funding %(n)s "
                "technical assistance missions."
            )
            % {
                "kind": agreement.get_kind_display(),
                "reference": agreement.reference,
                "start": agreement.start.isoformat(),
                "end": agreement.end.isoformat(),
                "n": len(missions),
            }
        ),
    )
    if agreement.description:
        text_element(
            activity, "description", agreement.description, type=codes.DESCRIPTION_OBJECTIVES
        )
    parties = list(agreement.parties.all())
    for party in parties:
        role = codes.PARTY_ROLE.get(PartyRole(party.role))
        if role:
            _participating(activity, party.organisation, role)
    if secretariat and not any(codes.PARTY_ROLE.get(PartyRole(p.role)) for p in parties):
        _participating(activity, secretariat, codes.ROLE_ACCOUNTABLE)
    status = codes.AGREEMENT_STATUS[AgreementStatus(agreement.status)]
    etree.SubElement(activity, "activity-status", code=status)
    _dates(activity, (agreement.start, agreement.end), None)
    countries = sorted(
        {
            p.organisation.country
            for p in parties
            if p.role == PartyRole.BENEFICIARY and p.organisation.country
        }
        | {b.country for m in missions for b in m.beneficiaries.all() if b.country}
    )
    if countries:
        etree.SubElement(
            activity,
            "activity-scope",
            code=codes.SCOPE_NATIONAL if len(countries) == 1 else codes.SCOPE_MULTINATIONAL,
        )
    _countries(activity, countries)
    topics = {t.pk: t for m in missions for t in _topics(m)}
    _sectors(activity, sorted(topics.values(), key=lambda t: t.code))
    _classification(activity)
    if agreement.budget:
        budget(
            activity,
            agreement.start,
            agreement.end,
            agreement.budget,
            agreement.currency,
            codes.BUDGET_COMMITTED,
        )
    agreement_transactions(activity, agreement)
    _related(activity, (m.reference for m in missions), codes.RELATED_CHILD)
    for result in results_of(agreement.result_objectives.all(), agreement.start):
        activity.append(result)
    return activity


def _topics(mission: Mission) -> list[Topic]:
    seen: dict[int, Topic] = {}
    for slot in mission.slots.all():
        for requirement in slot.requirements.all():
            seen.setdefault(requirement.topic_id, requirement.topic)
    return sorted(seen.values(), key=lambda t: t.code)


def _mission_activity(
    mission: Mission,
    parties: dict[int, list[AgreementParty]],
    reporting: etree._Element,
    secretariat: Organisation | None,
) -> etree._Element:
    agreements = sorted(mission.agreements.all(), key=lambda a: a.reference)
    currency = agreements[0].currency if agreements else "EUR"
    activity = _activity(2, mission.reference, currency, reporting)
    text_element(activity, "title", mission.title)
    beneficiaries = sorted(mission.beneficiaries.all(), key=lambda o: o.name)
    period = mission.period()
    general = etree.SubElement(activity, "description", type=codes.DESCRIPTION_GENERAL)
    both_languages(
        general,
        lambda: (
            _(
                "Technical assistance mission %(reference)s (%(type)s, %(level)s level) for "
                "%(beneficiaries)s, %(experts)s expert(s)."
            )
            % {
                "reference": mission.reference,
                "type": mission.get_type_display(),
                "level": mission.get_level_display(),
                "beneficiaries": ", ".join(o.name for o in beneficiaries),
                "experts": len(mission.slots.all()),
            }
        ),
    )
    if mission.objectives:
        text_element(activity, "description", mission.objectives, type=codes.DESCRIPTION_OBJECTIVES)
    funders: dict[int, Organisation] = {}
    for agreement in agreements:
        for party in parties.get(agreement.pk, []):
            if party.role == PartyRole.FUNDING:
                funders.setdefault(party.organisation_id, party.organisation)
    for org in sorted(funders.values(), key=lambda o: o.name):
        _participating(activity, org, codes.ROLE_FUNDING)
    if secretariat:
        _participating(activity, secretariat, codes.ROLE_IMPLEMENTING)
    elif not funders and beneficiaries:
        _participating(activity, beneficiaries[0], codes.ROLE_IMPLEMENTING)
    etree.SubElement(
        activity, "activity-status", code=codes.MISSION_STATUS[MissionStatus(mission.status)]
    )
    planned = period
    if planned is None and mission.window_start and mission.window_end:
        planned = (mission.window_start, mission.window_end)
    actual = _actual_period(mission)
    _dates(activity, planned, actual)
    countries = sorted({o.country for o in beneficiaries if o.country})
    if countries:
        etree.SubElement(
            activity,
            "activity-scope",
            code=codes.SCOPE_NATIONAL if len(countries) == 1 else codes.SCOPE_MULTINATIONAL,
        )
    _countries(activity, countries)
    _sectors(activity, _topics(mission))
    _classification(activity)
    mission_money(activity, mission, planned)
    _related(activity, (a.reference for a in agreements), codes.RELATED_PARENT)
    start = period[0] if period else mission.window_start
    for result in results_of(mission.result_objectives.all(), start):
        activity.append(result)
    return activity


def _actual_period(mission: Mission) -> tuple[datetime.date, datetime.date] | None:
    """The dates a delivered mission actually took: those its delivery recorded, else its
    planned dates."""
    if mission.status not in DONE_MISSION_STATUSES:
        return None
    delivery = getattr(mission, "delivery", None)  # results.MissionDelivery, if recorded
    if delivery is not None:
        return delivery.actual_start, delivery.actual_end
    return mission.period()
