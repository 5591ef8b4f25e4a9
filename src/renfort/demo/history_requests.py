"""The history's requests: drawn, and walked along their statuses, with or without a
mission."""

from __future__ import annotations

import datetime

from renfort.accounts.models import Organisation
from renfort.assistance.models import Level, Request
from renfort.demo import texts
from renfort.demo.history_builder import DAY, MS, RS, HistoryBuilder, MissionDays, Notes, Step
from renfort.missions.models import Mission


def new_request(
    builder: HistoryBuilder,
    orgs: list[Organisation],
    topics: list[str],
    level: str,
    language: str,
    start: datetime.date,
    end: datetime.date,
    submitted: datetime.date,
) -> Request:
    rng, ctx = builder.rng, builder.ctx
    phrase = ctx.phrase(topics[0])
    title = rng.choice(texts.REQUEST_TITLES).format(phrase=phrase)
    needs = (
        rng.choice(texts.NEEDS_OPENINGS).format(phrase=phrase) + ". " + rng.choice(texts.NEEDS_ASKS)
    )
    request = Request(
        reference=builder.reference("R"),
        title=title[:1].upper() + title[1:],
        focal_point=builder.focal.get(orgs[0].pk),
        level=level,
        needs=needs,
        preferred_start=start,
        preferred_end=end,
        language=language,
        priority=rng.choices([1, 2, 3, 4, 5], [5, 15, 40, 25, 15])[0],
        created_at=builder.stamp(submitted),
    )
    request._orgs = orgs  # type: ignore[attr-defined]
    request._topics = topics  # type: ignore[attr-defined]
    builder.rows.add(request)
    return request


def walk_request(
    builder: HistoryBuilder,
    request: Request,
    path: list[str],
    days: list[datetime.date],
    notes: Notes,
) -> None:
    """Walk ``request`` along ``path`` on ``days``; its focal point hears of each step."""
    request.status = path[-1]
    steps: list[Step] = []
    previous = ""
    params = {"reference": request.reference, "title": request.title}
    for to, day in zip(path, days, strict=True):
        at = request.created_at if not previous else builder.stamp(day)
        code, note_params, note = notes.get(to, ("", {}, ""))
        steps.append((previous, to, at, code, note_params, note))
        if previous and to != RS.WITHDRAWN:
            builder.notify(
                [request.focal_point],
                "request.status_changed",
                {**params, "status": to},
                "/requests/{request}/",
                request,
                at,
            )
        previous = to
    builder.steps(request, steps)


def unplanned_request(builder: HistoryBuilder) -> None:
    """A request that led to no mission: declined, withdrawn, or accepted then closed."""
    rng = builder.rng
    code = rng.choice(builder.codes)
    family = rng.choice(texts.TOPIC_FAMILIES)
    submitted = datetime.date(builder.year_now, 1, 1) + DAY * rng.randint(0, 330)
    start = submitted + DAY * rng.randint(60, 200)
    request = new_request(
        builder,
        [builder.members[code]],
        rng.sample(family, k=rng.randint(1, 2)),
        rng.choice(Level.values),
        rng.choice(builder.countries[code].languages),
        start,
        start + DAY * rng.randint(30, 120),
        submitted,
    )
    roll = rng.random()
    path: list[str]
    notes: Notes = {}
    if roll < 0.55:
        request.decline_reason = rng.choice(texts.DECLINE_REASONS)
        path = [RS.SUBMITTED, RS.UNDER_APPRAISAL, RS.DECLINED]
        notes = {RS.DECLINED: ("", {}, request.decline_reason)}
    elif roll < 0.75:
        path = [RS.SUBMITTED, RS.WITHDRAWN]
        notes = {RS.WITHDRAWN: ("", {}, "The administration no longer needs this support.")}
    else:
        path = [RS.SUBMITTED, RS.UNDER_APPRAISAL, RS.ACCEPTED, RS.CLOSED]
    days = [submitted + DAY * (7 * i + rng.randint(0, 5)) for i in range(len(path))]
    days[0] = submitted
    walk_request(builder, request, path, days, notes)


def walk_mission_requests(
    builder: HistoryBuilder, mission: Mission, requests: list[Request], days: MissionDays
) -> None:
    """The requests of ``mission``: accepted, planned in the mission, and on with it (back to
    accepted, then closed, when the mission is cancelled)."""
    rng, status = builder.rng, mission.status
    ref = {"mission": mission.reference}
    for request in requests:
        r_path: list[str] = [RS.SUBMITTED, RS.UNDER_APPRAISAL, RS.ACCEPTED, RS.PLANNED]
        r_days = [
            request.created_at.date(),
            days.accepted - DAY * rng.randint(2, 8),
            days.accepted,
            days.planned,
        ]
        notes: Notes = {RS.PLANNED: ("request.planned_in_mission", ref, "")}
        if status == MS.CANCELLED:
            r_path += [RS.ACCEPTED, RS.CLOSED]
            r_days += [days.cancelled, days.cancelled + DAY * 3]
            notes[RS.ACCEPTED] = ("", {}, "")
            walk_request(builder, request, r_path, r_days, notes)
            # The step back to accepted says why (the same status twice in the path).
            unplanned = builder.status_changes[-1][1]
            unplanned[4] = (*unplanned[4][:3], "request.unplanned", ref, "")
            continue
        r_path.append(RS.DELIVERED)
        r_days.append(days.delivered)
        notes[RS.DELIVERED] = ("request.delivered_by_mission", ref, "")
        if status == MS.CLOSED:
            r_path.append(RS.CLOSED)
            r_days.append(days.closed)
            notes[RS.CLOSED] = ("request.closed_by_mission", ref, "")
        walk_request(builder, request, r_path, r_days, notes)
