"""The history's missions: staffed expert first (as in ``plans.py``), with their requests,
walked along their statuses with their slots, assignments and results."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from renfort.accounts.models import Organisation, User
from renfort.assistance.models import Level, Request
from renfort.demo import texts
from renfort.demo.context import LEVEL_CAP
from renfort.demo.history_assignments import add_assignment
from renfort.demo.history_builder import (
    AS,
    DAY,
    MS,
    CrewMember,
    HistoryBuilder,
    MissionDays,
    Pooled,
    Step,
)
from renfort.demo.history_pool import pick
from renfort.demo.history_requests import new_request, walk_mission_requests
from renfort.demo.history_results import add_results
from renfort.missions.models import DistinctCountries, Mission, MissionType, Slot

# Someone invited first on a slot, who declined or whose release was refused: the slot's
# index, the expert, "declined" or "refused".
Before = tuple[int, Pooled, str]
# The days a mission moved on before it started: accepted, planned, scheduled, confirmed.
Timeline = tuple[datetime.date, datetime.date, datetime.date, datetime.date]


@dataclass(frozen=True)
class _Fit:
    """What every expert of a mission must fit: speak its language, be free over its days,
    and be from none of its beneficiaries' countries."""

    language: str
    start: datetime.date
    end: datetime.date
    countries: set[str]


def add_mission(builder: HistoryBuilder, status: str) -> None:
    """A mission of the year walked to ``status`` (or to an earlier one when the next steps
    would fall after today), unless no expert can lead it."""
    rng = builder.rng
    beneficiaries = _beneficiaries(builder)
    host = builder.countries[beneficiaries[0].country]
    language = host.languages[0]
    countries = {b.country for b in beneficiaries}
    mission_type = rng.choice(MissionType.values)
    length = 5 if mission_type != MissionType.REMOTE else 3
    length = rng.choice([length - 1, length, length, length + 2, length + 5])
    distinct = rng.choices(
        [DistinctCountries.REQUIRED, DistinctCountries.PREFERRED, DistinctCountries.NONE],
        [50, 35, 15],
    )[0]
    found = _dates_and_lead(builder, language, length, countries)
    if found is None:
        return
    start, end, lead = found
    fit = _Fit(language, start, end, countries)
    topics = [t for t, _ in sorted(lead.skills.items(), key=lambda kv: (-kv[1], kv[0]))][
        : rng.randint(1, 2)
    ]
    level = rng.choice(Level.values)
    crew, taken = _crew(builder, lead, fit, topics, level, distinct)
    before = _invited_before(builder, crew, taken, fit)
    if status != MS.CANCELLED:
        for p, _, _ in crew:
            p.book(start, end)
    # The timeline, backwards from the first day: confirmed one to three weeks before,
    # scheduled, planned, accepted and submitted before that, each step after the last.
    confirmed = start - DAY * rng.randint(7, 21)
    scheduled = confirmed - DAY * rng.randint(7, 20)
    planned = scheduled - DAY * rng.randint(7, 20)
    accepted = planned - DAY * rng.randint(5, 20)
    submitted = accepted - DAY * rng.randint(10, 40)
    requests = _requests(builder, beneficiaries, topics, level, fit, submitted)
    phrase = builder.ctx.phrase(topics[0])
    scope = "Regional" if len(beneficiaries) > 1 else "National"
    title = texts.MISSION_TITLES[mission_type].format(phrase=phrase, scope=scope)
    row = Mission(
        reference=builder.reference("M"),
        title=title[:1].upper() + title[1:],
        type=mission_type,
        level=level,
        start=start,
        end=end,
        language=language,
        location="Remote" if mission_type == MissionType.REMOTE else host.name,
        objectives=f"Strengthen {phrase} at "
        + ", ".join(b.name for b in beneficiaries)
        + ". "
        + rng.choice(texts.MISSION_OUTPUTS),
        priority=requests[0].priority,
        distinct_countries=distinct,
        status=status,
        created_at=builder.stamp(accepted),
    )
    row._requests = requests  # type: ignore[attr-defined]
    row._beneficiaries = beneficiaries  # type: ignore[attr-defined]
    builder.rows.add(row)
    _walk_mission(builder, row, requests, crew, before, (accepted, planned, scheduled, confirmed))


def _beneficiaries(builder: HistoryBuilder) -> list[Organisation]:
    rng = builder.rng
    code = rng.choice(builder.codes)
    if rng.random() < 0.15:
        region = builder.by_region[builder.members[code].region]
        others = [c for c in region if c != code]
        extra = rng.sample(others, k=min(len(others), rng.randint(1, 3)))
        return [builder.members[c] for c in [code, *extra]]
    return [builder.members[code]]


def _dates_and_lead(
    builder: HistoryBuilder, language: str, length: int, countries: set[str]
) -> tuple[datetime.date, datetime.date, Pooled] | None:
    """The mission's first and last days with an expert free to lead it: six tries."""
    rng = builder.rng
    for _ in range(6):
        start = datetime.date(builder.year_now, 1, 8) + DAY * rng.randint(0, 320)
        start -= DAY * start.weekday()  # missions start on a Monday
        end = start + DAY * (length - 1)
        lead = pick(builder, language, start, end, countries, set(), set())
        if lead is not None:
            return start, end, lead
    return None


def _crew(
    builder: HistoryBuilder,
    lead: Pooled,
    fit: _Fit,
    topics: list[str],
    level: str,
    distinct: str,
) -> tuple[list[CrewMember], set[int]]:
    """The experts of the mission's slots, ``lead`` first, each slot's requirements drawn
    from its expert's skills; and the pks of the experts taken."""
    rng = builder.rng
    slots_wanted = rng.choices([1, 2, 3], [50, 35, 15])[0]
    crew: list[CrewMember] = []
    taken: set[int] = set()
    avoid: set[str] = set()
    for i in range(slots_wanted):
        p = (
            lead
            if i == 0
            else pick(
                builder, fit.language, fit.start, fit.end, fit.countries, taken, avoid, topics
            )
        )
        if p is None:
            continue
        skills = p.skills
        mine = [t for t in topics if t in skills] or [max(skills, key=lambda t: skills[t])]
        requirements = {t: min(p.skills[t], LEVEL_CAP[level]) for t in mine}
        crew.append((p, rng.choice(p.categories), requirements))
        taken.add(p.expert.pk)
        if distinct == DistinctCountries.REQUIRED:
            avoid.add(p.country.code)
    return crew, taken


def _invited_before(
    builder: HistoryBuilder, crew: list[CrewMember], taken: set[int], fit: _Fit
) -> list[Before]:
    """Those invited first who declined, or whose release was refused: never again on
    this mission (the exclusion rule)."""
    rng = builder.rng
    before: list[Before] = []
    for i in range(len(crew)):
        if rng.random() < 0.18:
            other = pick(builder, fit.language, fit.start, fit.end, fit.countries, taken, set())
            if other is not None:
                taken.add(other.expert.pk)
                before.append((i, other, "declined" if rng.random() < 0.75 else "refused"))
    return before


def _requests(
    builder: HistoryBuilder,
    beneficiaries: list[Organisation],
    topics: list[str],
    level: str,
    fit: _Fit,
    submitted: datetime.date,
) -> list[Request]:
    """The requests the mission answers: one for all its beneficiaries, or one each."""
    rng = builder.rng
    pref_start = fit.start - DAY * rng.randint(0, 21)
    pref_end = fit.end + DAY * rng.randint(14, 45)
    groups = (
        [beneficiaries]
        if len(beneficiaries) == 1 or rng.random() < 0.5
        else [[b] for b in beneficiaries]
    )
    return [
        new_request(builder, group, topics, level, fit.language, pref_start, pref_end, submitted)
        for group in groups
    ]


def _walk_mission(
    builder: HistoryBuilder,
    mission: Mission,
    requests: list[Request],
    crew: list[CrewMember],
    before: list[Before],
    timeline: Timeline,
) -> None:
    """The mission's slots and assignments, and every status history, from the request's
    submission to the mission's close (or cancellation)."""
    days = _days(builder, mission, timeline)
    # Nothing happens after today: a mission of late last year may not be closed yet.
    if mission.status == MS.CLOSED and days.closed >= builder.ctx.today:
        mission.status = MS.REPORTED
    if mission.status == MS.REPORTED and days.reported >= builder.ctx.today:
        mission.status = MS.DELIVERED
    assert mission.start is not None and mission.end is not None
    info = {
        "reference": mission.reference,
        "title": mission.title,
        "dates": [mission.start.isoformat(), mission.end.isoformat()],
    }
    focal = [builder.focal.get(b.pk) for b in mission._beneficiaries]  # type: ignore[attr-defined]
    _walk_status(builder, mission, days, focal, info)
    walk_mission_requests(builder, mission, requests, days)
    _slots(builder, mission, crew, before, days, info)
    if mission.status in {MS.REPORTED, MS.CLOSED}:
        add_results(builder, mission, crew, days, focal, info)


def _days(builder: HistoryBuilder, mission: Mission, timeline: Timeline) -> MissionDays:
    """The days of ``timeline``, and the days of the steps after the mission's end."""
    rng = builder.rng
    assert mission.end is not None
    accepted, planned, scheduled, confirmed = timeline
    delivered = mission.end + DAY * rng.randint(1, 5)
    reported = delivered + DAY * rng.randint(7, 30)
    closed = reported + DAY * rng.randint(7, 45)
    cancelled = planned + DAY * rng.randint(15, 40)
    return MissionDays(
        accepted=accepted,
        planned=planned,
        scheduled=scheduled,
        confirmed=confirmed,
        delivered=delivered,
        reported=reported,
        closed=closed,
        cancelled=cancelled,
    )


def _status_path(
    builder: HistoryBuilder, mission: Mission, days: MissionDays
) -> tuple[list[str], list[datetime.date]]:
    """The statuses the mission went through to its own, and the day of each."""
    status = mission.status
    path: list[str] = [MS.DRAFT, MS.PLANNED]
    path_days = [days.accepted, days.planned]
    if status == MS.CANCELLED:
        path.append(MS.CANCELLED)
        path_days.append(days.cancelled)
        mission.cancel_reason = builder.rng.choice(texts.CANCEL_REASONS)
        return path, path_days
    path += [MS.SCHEDULED, MS.CONFIRMED, MS.DELIVERED]
    path_days += [days.scheduled, days.confirmed, days.delivered]
    if status in {MS.REPORTED, MS.CLOSED}:
        path.append(MS.REPORTED)
        path_days.append(days.reported)
    if status == MS.CLOSED:
        path.append(MS.CLOSED)
        path_days.append(days.closed)
    return path, path_days


def _walk_status(
    builder: HistoryBuilder,
    mission: Mission,
    days: MissionDays,
    focal: list[User | None],
    info: dict[str, Any],
) -> None:
    """The mission's status history; its beneficiaries' focal points hear of the steps."""
    link = "/missions/{mission}/"
    path, path_days = _status_path(builder, mission, days)
    steps: list[Step] = []
    previous = ""
    for to, day in zip(path, path_days, strict=True):
        note = mission.cancel_reason if to == MS.CANCELLED else ""
        at = mission.created_at if not previous else builder.stamp(day)
        steps.append((previous, to, at, "", {}, note))
        previous = to
        if to in {MS.CONFIRMED, MS.REPORTED, MS.CLOSED}:
            builder.notify(focal, f"mission.{to}", info, link, mission, at)
        elif to == MS.DELIVERED:
            builder.notify(focal, "mission.delivered_evaluation_due", info, link, mission, at)
        elif to == MS.CANCELLED:
            builder.notify(focal, "mission.cancelled", {**info, "note": note}, link, mission, at)
    builder.steps(mission, steps)


def _slots(
    builder: HistoryBuilder,
    mission: Mission,
    crew: list[CrewMember],
    before: list[Before],
    days: MissionDays,
    info: dict[str, Any],
) -> None:
    """A slot for each of the crew, with the assignments of those invited before them."""
    mission._slots = []  # type: ignore[attr-defined]
    outcome = AS.WITHDRAWN if mission.status == MS.CANCELLED else AS.COMPLETED
    for position, (p, category, requirements) in enumerate(crew, start=1):
        slot = Slot(mission=mission, position=position, category=category)
        slot._requirements = requirements  # type: ignore[attr-defined]
        mission._slots.append(slot)  # type: ignore[attr-defined]
        builder.rows.add(slot)
        for i, other, how in before:
            if i == position - 1:
                add_assignment(builder, mission, slot, other, how, days, info)
        add_assignment(builder, mission, slot, p, outcome, days, info)
