"""The PDF documents of a mission: its terms of reference and an expert's invitation letter.

Both are written in the active language (the reader's: the view that serves them runs in it)
with ``lib.pdf``'s embedded fonts, so their text can be searched and read aloud.
"""

from __future__ import annotations

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from renfort.lib.countries import country_name
from renfort.lib.languages import language_name
from renfort.lib.pdf import Block, Gap, Heading, KeyValues, Para, Table, Title, document
from renfort.missions.models import Mission
from renfort.missions.packs import Pack
from renfort.missions.terms import Standing, Terms, TopicLevel

DAY_FORMAT = "j F Y"


def day(value: datetime.date | None) -> str:
    """A date as people write it: 4 March 2027, 4 mars 2027."""
    return formats.date_format(value, DAY_FORMAT) if value else "–"


def period(mission: Mission) -> str:
    """The mission's dates (else its window), in words."""
    if mission.start and mission.end:
        return _("%(start)s to %(end)s (%(days)s days)") % {
            "start": day(mission.start),
            "end": day(mission.end),
            "days": mission.days,
        }
    if mission.window_start and mission.window_end:
        return _("%(days)s days between %(start)s and %(end)s, dates to be set") % {
            "days": mission.duration_days,
            "start": day(mission.window_start),
            "end": day(mission.window_end),
        }
    return _("Dates to be set")


def levels(items: tuple[TopicLevel, ...]) -> str:
    return ", ".join(
        _("%(topic)s, level %(level)s") % {"topic": x.topic, "level": x.level} for x in items
    )


def organisation(org: object) -> str:
    name = str(org)
    country = getattr(org, "country", "")
    return f"{name} ({country_name(country)})" if country else name


def _footer(mission: Mission, what: str) -> str:
    return f"Renfort · {what} · {mission.reference}"


def _about(terms: Terms) -> KeyValues:
    m = terms.mission
    return KeyValues(
        [
            (_("Mission"), f"{m.reference} · {m.title}"),
            (_("Type"), m.get_type_display()),
            (_("Level"), m.get_level_display()),
            (_("Beneficiaries"), "; ".join(organisation(b) for b in terms.beneficiaries)),
            (_("Dates"), period(m)),
            (_("Venue"), m.location or _("To be set")),
            (_("Language"), language_name(m.language)),
            (_("Version"), terms.version),
        ]
    )


def _requests(terms: Terms) -> list[Block]:
    blocks: list[Block] = [Heading(_("Background: the requests for assistance"))]
    for r in terms.requests:
        blocks.append(
            Para(
                f"{r.reference} · {r.title}\n"
                + _("Requested by %(orgs)s; level: %(level)s; topics: %(topics)s.")
                % {
                    "orgs": ", ".join(str(o) for o in r.administrations),
                    "level": r.level_label,
                    "topics": ", ".join(str(t) for t in r.topics),
                }
            )
        )
        blocks.append(Para(r.needs, muted=True))
    return blocks


def _objectives(terms: Terms) -> list[Block]:
    blocks: list[Block] = [Heading(_("Objectives"))]
    if terms.mission.objectives:
        blocks.append(Para(terms.mission.objectives))
    blocks += [Para(f"• {title}") for title in terms.objectives]
    if len(blocks) == 1:
        blocks.append(Para(_("No objective is recorded yet."), muted=True))
    return blocks


def _profiles(terms: Terms) -> list[Block]:
    rows = []
    for s in terms.slots:
        expert = s.expert
        rows.append(
            [
                str(s.position),
                f"{s.category_label}\n{levels(s.requirements)}",
                str(expert.expert) if expert else _("To be confirmed"),
                organisation(expert.home) if expert else "",
                levels(expert.levels) if expert else "",
            ]
        )
    header = [_("Slot"), _("Profile asked"), _("Expert"), _("Home administration"), _("Topics")]
    return [
        Heading(_("Expert profiles")),
        Table(header, rows, widths=[0.09, 0.29, 0.2, 0.2, 0.22]),
    ]


def _confirmations(standing: list[Standing]) -> list[Block]:
    rows = []
    for s in standing:
        if s.current is not None:
            state = _("Confirmed by %(who)s on %(day)s") % {
                "who": s.current.confirmed_by or "–",
                "day": day(timezone.localdate(s.current.confirmed_at)),
            }
        elif s.earlier is not None:
            state = _("Not yet: an earlier version was confirmed")
        else:
            state = _("Not yet")
        rows.append([str(s.organisation), state])
    header = [_("Beneficiary administration"), _("Confirmation of this version")]
    return [Heading(_("Confirmation")), Table(header, rows, widths=[0.45, 0.55])]


def terms_pdf(terms: Terms, standing: list[Standing]) -> bytes:
    """The terms of reference as a PDF, with where each beneficiary's confirmation stands."""
    m = terms.mission
    blocks: list[Block] = [
        Title(_("Terms of reference"), f"{m.reference} · {m.title}"),
        _about(terms),
        *_requests(terms),
        *_objectives(terms),
        *_profiles(terms),
        *_confirmations(standing),
    ]
    return document(
        blocks,
        title=_("Terms of reference of mission %(reference)s") % {"reference": m.reference},
        subject=m.title,
        author="Renfort",
        language=_language(),
        footer=_footer(m, _("Terms of reference")),
        page_label=_("Page %(page)s of %(pages)s"),
    )


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _contacts(pack: Pack) -> str:
    people = [
        f"{person.get_full_name() or person.username} ({org.organisation}): {person.email}"
        for org in pack.contacts
        for person in org.people
    ]
    return "; ".join(people) or _("the secretariat")


def _letter_body(pack: Pack) -> list[Block]:
    a, m = pack.assignment, pack.mission
    host = pack.host
    words = {
        "issuer": str(pack.issuer or _("The secretariat")),
        "expert": str(a.expert),
        "home": organisation(a.expert.home_administration),
        "category": a.slot.get_category_display(),
        "reference": m.reference,
        "title": m.title,
        "host": organisation(host) if host else "–",
        "venue": m.location or (country_name(pack.host_country) if pack.host_country else "–"),
        "start": day(m.start),
        "end": day(m.end),
        "contacts": _contacts(pack),
    }
    return [
        Para(_("To whom it may concern,")),
        Para(
            _(
                "%(issuer)s invites %(expert)s, of %(home)s, to take part as an expert "
                "(%(category)s) in the capacity-building mission %(reference)s “%(title)s”, "
                "hosted by %(host)s."
            )
            % words
        ),
        Para(_("The mission takes place in %(venue)s from %(start)s to %(end)s.") % words),
        Para(
            _(
                "We would be grateful for any help given to %(expert)s in obtaining the visa "
                "and travel documents this mission requires. The host administration can be "
                "reached through: %(contacts)s."
            )
            % words
        ),
    ]


def invitation_pdf(pack: Pack) -> bytes:
    """The invitation letter of ``pack``'s expert, for visas: it names the expert, their home
    administration, the host administration, the mission and its dates."""
    a, m = pack.assignment, pack.mission
    issuer = str(pack.issuer or _("The secretariat"))
    blocks: list[Block] = [
        Title(_("Invitation letter"), issuer),
        Para(
            _("Issued on %(day)s · Reference %(reference)s")
            % {"day": day(timezone.localdate()), "reference": f"{m.reference}/{a.slot.position}"},
            muted=True,
        ),
        Gap(),
        *_letter_body(pack),
        KeyValues(
            [
                (_("Expert"), str(a.expert)),
                (_("Home administration"), organisation(a.expert.home_administration)),
                (_("Host administration"), organisation(pack.host) if pack.host else "–"),
                (_("Mission"), f"{m.reference} · {m.title}"),
                (_("Dates"), period(m)),
                (_("Venue"), m.location or _("To be set")),
            ]
        ),
        Gap(10),
        Para(_("For %(issuer)s") % {"issuer": issuer}),
    ]
    return document(
        blocks,
        title=_("Invitation letter: %(expert)s, mission %(reference)s")
        % {"expert": a.expert, "reference": m.reference},
        subject=m.title,
        author=issuer,
        language=_language(),
        footer=_footer(m, _("Invitation letter")),
        page_label=_("Page %(page)s of %(pages)s"),
    )
