"""The files of a donor's, a beneficiary's and a region's results, and of the year in
numbers. Donors and regions get ratings as aggregates only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from renfort.agreements.models import Agreement
from renfort.lib.tabular import Cell, Sheet
from renfort.results.figures.access import Party, region_members
from renfort.results.figures.common import TOP, indicator_rows, mission_rows, with_days
from renfort.results.figures.members import (
    Assistance,
    Money,
    assistance,
    follow_ups_owned,
    funding,
    member_table,
    party_agreements,
    party_indicators,
    region_extras,
    spent_share,
)
from renfort.results.figures.year import YearFigures
from renfort.results.models import FollowUpStatus
from renfort.results.party_reports.base import (
    Part,
    Report,
    file_name,
    indicators_part,
    missions_part,
    percent,
    period,
    rating_rows,
    text,
    topics_sheet,
    years_sheet,
)


def money_sheet(money: list[Money]) -> Sheet:
    return Sheet(
        _("Budget use by currency"),
        [
            _("Currency"),
            _("Budget"),
            _("Committed"),
            _("Spent"),
            _("Share of budget spent (percent)"),
        ],
        [[m.currency, m.budget, m.committed, m.spent, m.spent_share] for m in money],
    )


def agreements_part(agreements: list[Agreement]) -> Part:
    """Each agreement's budget, committed and spent (annotated by ``with_money``)."""
    headers = [
        _("Reference"),
        _("Title"),
        _("Status"),
        _("From"),
        _("To"),
        _("Currency"),
        _("Budget"),
        _("Committed"),
        _("Spent"),
        _("Share of budget spent (percent)"),
    ]
    rows: list[list[Cell]] = []
    page: list[list[Cell]] = []
    for a in agreements:
        committed, spent = getattr(a, "committed", None), getattr(a, "spent", None)
        rows.append(
            [
                a.reference,
                a.title,
                a.get_status_display(),
                a.start,
                a.end,
                a.currency,
                a.budget,
                committed,
                spent,
                spent_share(a),
            ]
        )
        page.append(
            [
                f"{a.reference} · {a.title} ({a.get_status_display()})",
                period(a.start, a.end),
                f"{text(a.budget)} {a.currency}",
                committed,
                spent,
                spent_share(a),
            ]
        )
    page_headers = [
        _("Agreement"),
        _("Period"),
        _("Budget"),
        _("Committed"),
        _("Spent"),
        _("Share of budget spent (percent)"),
    ]
    return Part(Sheet(_("Agreements"), headers, rows), Sheet(_("Agreements"), page_headers, page))


def funding_report(party: Party) -> Report:
    figures = funding(party)
    summary: list[tuple[str, Cell]] = [
        (_("Donor"), party.name),
        (_("Funding agreements"), figures.agreements_count),
        (_("Missions funded (not cancelled)"), figures.missions.total),
        (_("Missions delivered"), figures.missions.delivered),
        (_("Upcoming missions"), figures.missions.upcoming),
        (_("Expert days delivered"), figures.days),
        (_("Experts"), figures.experts),
        *rating_rows(figures.evaluations, _("Evaluations of the missions")),
        *rating_rows(figures.expert_ratings, _("Ratings of the experts")),
    ]
    agreements = agreements_part(list(party_agreements(party)))
    return Report(
        title=party.title,
        subtitle=_("Missions, expert days, spending against budget and indicator progress"),
        name=file_name("funding", party.name),
        summary=summary,
        tables=[
            money_sheet(figures.money),
            agreements,
            missions_part(with_days(mission_rows(party.missions))),
            topics_sheet(figures.topics.top),
            indicators_part(indicator_rows(party_indicators(party))),
        ],
        notes=[_("Ratings are shown as aggregates: how many and their mean.")],
    )


def _assistance_summary(figures: Assistance) -> list[tuple[str, Cell]]:
    return [
        (_("Requests for assistance"), figures.requests.total),
        (_("Requests in appraisal"), figures.requests.in_appraisal),
        (_("Requests accepted"), figures.requests.accepted),
        (_("Requests declined"), figures.requests.declined),
        (_("Missions delivered"), figures.missions.delivered),
        (_("Upcoming missions"), figures.missions.upcoming),
        (_("Expert days received"), figures.days),
        (_("Experts received"), figures.experts),
        (_("Topics"), figures.topics.count),
        (_("Open follow-up actions"), figures.follow_ups.open),
        (_("Overdue follow-up actions"), figures.follow_ups.overdue),
        (_("Follow-up actions done"), figures.follow_ups.done),
        *rating_rows(figures.evaluations, _("Evaluations given")),
    ]


def follow_ups_sheet(party: Party) -> Sheet:
    actions = (
        follow_ups_owned(party)
        .filter(status=FollowUpStatus.OPEN)
        .select_related("owner", "mission")
        .order_by("due_on", "pk")
    )
    return Sheet(
        _("Open follow-up actions"),
        [_("Action"), _("Mission"), _("Owner"), _("Due on")],
        [[a.description, a.mission.reference, a.owner.name, a.due_on] for a in actions],
    )


def assistance_report(party: Party) -> Report:
    figures = assistance(party)
    return Report(
        title=party.title,
        subtitle=_("Missions, expert days, topics, follow-up actions and indicator progress"),
        name=file_name("assistance", party.name),
        summary=[(_("Beneficiary"), party.name), *_assistance_summary(figures)],
        tables=[
            missions_part(with_days(mission_rows(party.missions))),
            topics_sheet(figures.topics.top),
            years_sheet(figures.days_by_year),
            follow_ups_sheet(party),
            indicators_part(indicator_rows(party_indicators(party))),
        ],
    )


def region_report(party: Party) -> Report:
    figures = assistance(party)
    extras = region_extras(party)
    lines = member_table(party, list(region_members(party.region)))
    members = Sheet(
        _("Members"),
        [
            _("Member administration"),
            _("Missions delivered"),
            _("Expert days received"),
            _("Open follow-up actions"),
            _("Overdue follow-up actions"),
        ],
        [[x.organisation.name, x.missions, x.days, x.open_follow_ups, x.overdue] for x in lines],
    )
    summary: list[tuple[str, Cell]] = [
        (_("Region"), party.name),
        (_("Member administrations"), extras.members),
        (_("Members that received a delivered mission"), extras.members_helped),
        *_assistance_summary(figures),
        (_("Experts lent by the region's members"), extras.experts_lent),
        (_("Expert days of the region's experts"), extras.days_lent),
    ]
    return Report(
        title=party.title,
        subtitle=_("The region's members: assistance received, experts lent, follow-ups"),
        name=file_name("region", party.region),
        summary=summary,
        tables=[
            members,
            missions_part(with_days(mission_rows(party.missions))),
            topics_sheet(figures.topics.top),
            follow_ups_sheet(party),
            indicators_part(indicator_rows(party_indicators(party))),
        ],
        notes=[_("Ratings are shown as aggregates: how many and their mean.")],
    )


def _counted(title: str, what: str, rows: list[tuple[str, int]]) -> Sheet:
    return Sheet(title, [what, _("Number")], [list(r) for r in rows])


def year_report(figures: YearFigures) -> Report:
    summary: list[tuple[str, Cell]] = [
        (_("Year"), figures.year),
        (_("Requests submitted"), figures.requests),
        (_("Missions (not cancelled)"), figures.missions),
        (_("Expert places"), figures.slots),
        (_("Places held by an expert who accepted"), figures.staffed),
        (_("Staffing rate (percent)"), percent(figures.staffing_rate)),
        (_("Expert days delivered"), figures.days),
        (_("Experts involved"), figures.experts),
        (_("Lending administrations involved"), figures.lenders),
        *rating_rows(figures.evaluations, _("Evaluations of the missions")),
        *rating_rows(figures.expert_ratings, _("Ratings of the experts")),
        (_("Open follow-up actions"), figures.follow_ups.open),
        (_("Overdue follow-up actions"), figures.follow_ups.overdue),
        (_("Follow-up actions done"), figures.follow_ups.done),
    ]
    tops = [
        Sheet(
            _("Lending administrations"),
            [_("Lending administration"), _("Expert days")],
            [[r.name, r.value] for r in figures.top_lenders],
        ),
        Sheet(
            _("Beneficiaries"),
            [_("Beneficiary"), _("Missions")],
            [[r.name, r.value] for r in figures.top_beneficiaries],
        ),
        Sheet(
            _("Experts"),
            [_("Expert"), _("Home administration"), _("Expert days")],
            [[r.name, r.extra, r.value] for r in figures.top_experts],
        ),
        Sheet(
            _("Donors"),
            [_("Donor"), _("Agreements running")],
            [[r.name, r.value] for r in figures.donors],
        ),
    ]
    return Report(
        title=_("The year %(year)s in numbers") % {"year": figures.year},
        subtitle=_("Requests, missions, experts, budget use, evaluations and follow-ups"),
        name=file_name("year", figures.year),
        summary=summary,
        tables=[
            _counted(_("Requests by status"), _("Status"), figures.requests_by_status),
            _counted(_("Missions by status"), _("Status"), figures.missions_by_status),
            _counted(_("Missions by region"), _("Region"), figures.missions_by_region),
            _counted(_("Missions by level"), _("Level"), figures.missions_by_level),
            money_sheet(figures.money),
            *tops,
        ],
        notes=[
            _(
                "A mission counts in the year of its first day; a regional mission counts "
                "in each region of its beneficiaries. The top lists show the first %(n)s."
            )
            % {"n": TOP}
        ],
    )
