"""The files of an expert's track record and of a lending administration's contribution, and
the expert's recognition certificate."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renfort.lib.countries import country_name
from renfort.lib.pdf import Block, Gap, Heading, KeyValues, Para, Table, Title, document
from renfort.lib.tabular import Cell, Sheet
from renfort.missions.models import Mission
from renfort.results.figures.access import Party
from renfort.results.figures.common import with_days
from renfort.results.figures.experts import (
    contribution,
    delivered_missions,
    expert_lines,
    expert_table,
    latest_ratings,
    missions_with_ratings,
    track_record,
)
from renfort.results.participants import secretariat_organisation
from renfort.results.party_reports.base import (
    Report,
    beneficiary_names,
    day,
    file_name,
    language,
    missions_part,
    period,
    rating_rows,
    topics_sheet,
    years_sheet,
)
from renfort.roster.models import Expert


def home_of(expert: Expert) -> str:
    """The expert's home administration, with its country."""
    home = expert.home_administration
    return f"{home.name} ({country_name(home.country)})" if home.country else home.name


def ratings_sheet(party: Party, *, with_expert: bool) -> Sheet:
    headers = [_("Mission"), _("Evaluated by"), _("Submitted on"), _("Rating"), _("Comment")]
    rows: list[list[Cell]] = []
    for r in latest_ratings(party, limit=None):
        row: list[Cell] = [
            r.evaluation.mission.reference,
            r.evaluation.organisation.name,
            timezone.localdate(r.evaluation.submitted_at),
            r.rating,
            r.comment,
        ]
        rows.append([str(r.expert), *row] if with_expert else row)
    return Sheet(_("Ratings of experts"), [_("Expert"), *headers] if with_expert else headers, rows)


def track_record_report(party: Party) -> Report:
    """Everything the track record page shows, with every mission and rating."""
    record = track_record(party)
    expert = record.expert
    summary: list[tuple[str, Cell]] = [
        (_("Expert"), str(expert)),
        (_("Home administration"), home_of(expert)),
        (_("Missions delivered"), record.missions.delivered),
        (_("Upcoming missions"), record.missions.upcoming),
        (_("Expert days"), record.days),
        (_("Beneficiary countries"), record.countries),
        (_("Topics"), record.topics.count),
        (_("First day of the first mission"), record.first_day),
        (_("Last day of the latest mission"), record.last_day),
        *rating_rows(record.ratings, _("Ratings received")),
    ]
    accreditations = Sheet(
        _("Accreditations"),
        [_("Topic"), _("Status"), _("Granted on"), _("Expires on")],
        [
            [str(a.topic), a.get_status_display(), a.granted_on, a.expires_on]
            for a in record.accreditations
        ],
    )
    return Report(
        title=party.title,
        subtitle=home_of(expert),
        name=file_name("track-record", str(expert)),
        summary=summary,
        tables=[
            missions_part(with_days(missions_with_ratings(party)), rating=_("Rating")),
            topics_sheet(record.topics.top),
            years_sheet(record.days_by_year),
            ratings_sheet(party, with_expert=False),
            accreditations,
        ],
    )


def contribution_report(party: Party) -> Report:
    """The administration's experts (every one), missions and ratings."""
    assert party.organisation is not None
    figures = contribution(party)
    summary: list[tuple[str, Cell]] = [
        (_("Lending administration"), party.name),
        (_("Experts in the pool"), figures.experts_in_pool),
        (_("Experts who took part in delivered missions"), figures.experts_involved),
        (_("Missions delivered"), figures.missions.delivered),
        (_("Upcoming missions"), figures.missions.upcoming),
        (_("Expert days"), figures.days),
        (_("Beneficiary countries"), figures.countries),
        *rating_rows(figures.ratings, _("Ratings of its experts")),
    ]
    lines = expert_table(party, list(expert_lines(party)))
    experts = Sheet(
        _("Experts"),
        [_("Expert"), _("Missions"), _("Expert days"), _("Ratings"), _("Mean rating")],
        [[x.name, x.missions, x.days, x.ratings, x.mean] for x in lines],
    )
    return Report(
        title=party.title,
        subtitle=_("Its experts' missions, days and evaluations"),
        name=file_name("contribution", party.name),
        summary=summary,
        tables=[
            experts,
            missions_part(with_days(missions_with_ratings(party)), rating=_("Mean rating")),
            topics_sheet(figures.topics.top),
            years_sheet(figures.days_by_year),
            ratings_sheet(party, with_expert=True),
        ],
    )


# --- the recognition certificate ------------------------------------------------------------


def _topics(top: list[tuple[str, int]]) -> str:
    return ", ".join(name for name, _n in top) or "–"


def _recognition(expert: Expert, missions: list[Mission], days: int, topics: str) -> str:
    words = {
        "expert": str(expert),
        "home": home_of(expert),
        "count": len(missions),
        "days": days,
        "first": day(min((m.first for m in missions), default=None)),  # type: ignore[attr-defined]
        "last": day(max((m.last for m in missions), default=None)),  # type: ignore[attr-defined]
        "topics": topics,
    }
    return (
        ngettext(
            "This certifies that %(expert)s, of %(home)s, served as a capacity-building expert "
            "on %(count)s mission from %(first)s to %(last)s, for %(days)s expert days, on "
            "these topics: %(topics)s.",
            "This certifies that %(expert)s, of %(home)s, served as a capacity-building expert "
            "on %(count)s missions from %(first)s to %(last)s, for %(days)s expert days, on "
            "these topics: %(topics)s.",
            len(missions),
        )
        % words
    )


def certificate_pdf(party: Party) -> bytes:
    """The expert's recognition certificate: it names her and her home administration and
    recognises her delivered missions (each with its dates), days and topics."""
    record = track_record(party)
    expert = record.expert
    missions = delivered_missions(party)
    issuer = str(secretariat_organisation() or _("The secretariat"))
    rows = [
        [
            f"{m.reference} · {m.title}",
            beneficiary_names(m),
            period(m.first, m.last),  # type: ignore[attr-defined]
            str(m.days_shown),  # type: ignore[attr-defined]
        ]
        for m in missions
    ]
    recognised = [
        f"{a.topic}: {a.get_status_display()}"
        for a in record.accreditations
        if a.is_valid_on(timezone.localdate())
    ]
    blocks: list[Block] = [
        Title(_("Certificate of recognition"), issuer),
        Gap(4),
        Para(_recognition(expert, missions, record.days, _topics(record.topics.top))),
        KeyValues(
            [
                (_("Expert"), str(expert)),
                (_("Home administration"), home_of(expert)),
                (_("Categories"), ", ".join(expert.category_labels()) or "–"),
                (_("Missions"), str(len(missions))),
                (_("Expert days"), str(record.days)),
                (_("Beneficiary countries"), str(record.countries)),
                (_("Accreditations in force"), "; ".join(recognised) or "–"),
            ]
        ),
        Heading(_("Missions recognised")),
        Table(
            [_("Mission"), _("Beneficiaries"), _("Dates"), _("Days")],
            rows,
            widths=[0.4, 0.25, 0.26, 0.09],
        ),
        Gap(10),
        Para(
            _("Issued on %(day)s by %(issuer)s.")
            % {"day": day(timezone.localdate()), "issuer": issuer}
        ),
    ]
    return document(
        blocks,
        title=_("Certificate of recognition: %(expert)s") % {"expert": expert},
        subject=home_of(expert),
        author=issuer,
        language=language(),
        footer=f"Renfort · {_('Certificate of recognition')} · {expert}",
        page_label=_("Page %(page)s of %(pages)s"),
    )
