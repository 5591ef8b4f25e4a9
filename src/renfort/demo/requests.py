"""Requests for assistance: submitted and accepted for the planned missions, and those not (yet)
behind a mission: waiting for the secretariat, declined, accepted, a possible duplicate."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from renfort.accounts.models import Organisation
from renfort.assistance import consultation_services as consultations
from renfort.assistance import services as assistance
from renfort.assistance.change_services import request_withdraw
from renfort.assistance.models import Level, Opinion, Request, RequestStatus
from renfort.demo import texts
from renfort.demo.context import DEMO_MEMBER, DEMO_REGION, BuildContext
from renfort.demo.plans import beneficiaries_for
from renfort.missions import services as missions


def _request_text(ctx: BuildContext, topics: Sequence[str]) -> tuple[str, str]:
    phrase = ctx.phrase(topics[0])
    title = ctx.rng.choice(texts.REQUEST_TITLES).format(phrase=phrase)
    opening = ctx.rng.choice(texts.NEEDS_OPENINGS).format(phrase=phrase)
    ask = ctx.rng.choice(texts.NEEDS_ASKS)
    extra = ""
    if len(topics) > 1:
        extra = f" The work also touches on {ctx.phrase(topics[1])}."
    return title[:1].upper() + title[1:], f"{opening}.{extra} {ask}"


def submit_request(
    ctx: BuildContext,
    *,
    administrations: Sequence[Organisation],
    topics: Sequence[str],
    level: str,
    language: str,
    start: datetime.date,
    end: datetime.date,
    priority: int,
) -> Request:
    """A request submitted by the focal point of the first administration: on the build's
    day, or for work already done, by the first day of its preferred period."""
    title, needs = _request_text(ctx, topics)
    return assistance.request_submit(
        by=ctx.focal[administrations[0].country],
        title=title,
        administrations=list(administrations),
        topics=[ctx.topics[t] for t in topics],
        level=level,
        needs=needs,
        preferred_start=start,
        preferred_end=end,
        language=language,
        priority=priority,
        today=min(start, ctx.today),
    )


def accept(ctx: BuildContext, request: Request) -> Request:
    """The secretariat accepts ``request`` (after an appraisal, more often than not)."""
    if ctx.rng.random() < 0.6:
        request = assistance.request_transition(
            request=request,
            to_status=RequestStatus.UNDER_APPRAISAL,
            by=ctx.coordinator,
        )
    return assistance.request_transition(
        request=request,
        to_status=RequestStatus.ACCEPTED,
        by=ctx.coordinator,
    )


def build_open_requests(ctx: BuildContext) -> None:
    used = Request.objects.count()
    left = max(ctx.size.requests - used, 6)
    # Waiting for the secretariat, declined, and accepted but not yet planned.
    statuses = (
        [RequestStatus.SUBMITTED] * max(2, left * 4 // 10)
        + [RequestStatus.UNDER_APPRAISAL] * max(2, left * 3 // 10)
        + [RequestStatus.DECLINED] * max(1, left * 2 // 10)
    )
    statuses += [RequestStatus.ACCEPTED] * max(1, left - len(statuses))
    # The demo member has one of each waiting, and a possible duplicate pair.
    member = ctx.members[DEMO_MEMBER]
    forced = [RequestStatus.SUBMITTED, RequestStatus.UNDER_APPRAISAL, RequestStatus.DECLINED]
    codes = sorted(ctx.members)
    for i, status in enumerate(statuses):
        if forced and status in forced:
            forced.remove(status)
            org = member
        else:
            org = ctx.members[ctx.rng.choice(codes)]
        _open_request(ctx, org, status, regional=i % 7 == 3)
    _accept_path(ctx)
    _possible_duplicate(ctx, member)
    _consultations(ctx)
    _withdrawn(ctx)


def _consultations(ctx: BuildContext) -> None:
    """The secretariat asks the demo region's coordinator about two requests waiting for
    appraisal; the coordinator has answered the first (docs/terms.md, "Consultation")."""
    waiting = (
        Request.objects.filter(
            administrations__region=DEMO_REGION,
            status__in=[RequestStatus.SUBMITTED, RequestStatus.UNDER_APPRAISAL],
        )
        .distinct()
        .order_by("reference")[:2]
    )
    for i, request in enumerate(waiting):
        consultation = consultations.consultation_ask(
            request=request,
            by=ctx.coordinator,
            region=DEMO_REGION,
            question="Is this a priority for the region this year, and would a regional "
            "workshop serve its neighbours too?",
        )
        if i == 0:
            coordinator = consultations.region_coordinators(DEMO_REGION)[0]
            consultations.consultation_answer(
                consultation=consultation,
                by=coordinator,
                opinion=Opinion.CONDITIONS,
                comment="Yes, if the neighbouring administrations of the sub-region are "
                "invited; the regional office can host it.",
            )


def _open_request(ctx: BuildContext, org: Organisation, status: str, *, regional: bool) -> Request:
    """A request of ``org`` (or of its region) taken as far as ``status``."""
    c = ctx.country_of[org.country]
    family = ctx.rng.choice(texts.TOPIC_FAMILIES)
    topics = ctx.rng.sample(family, k=ctx.rng.randint(1, 2))
    start = ctx.day(ctx.rng.randint(60, 330))
    administrations = beneficiaries_for(ctx, regional, beneficiary=None) if regional else [org]
    request = submit_request(
        ctx,
        administrations=administrations,
        topics=topics,
        level=ctx.rng.choice(Level.values),
        language=ctx.country_of[administrations[0].country].languages[0]
        if regional
        else ctx.rng.choice(c.languages),
        start=start,
        end=start + datetime.timedelta(days=ctx.rng.randint(30, 120)),
        priority=ctx.rng.choices([1, 2, 3, 4, 5], [5, 15, 40, 25, 15])[0],
    )
    if status == RequestStatus.SUBMITTED:
        return request
    request = assistance.request_transition(
        request=request,
        to_status=RequestStatus.UNDER_APPRAISAL,
        by=ctx.coordinator,
    )
    if status == RequestStatus.DECLINED:
        request = assistance.request_decline(
            request=request,
            by=ctx.coordinator,
            reason=ctx.rng.choice(texts.DECLINE_REASONS),
        )
    elif status == RequestStatus.ACCEPTED:
        request = assistance.request_transition(
            request=request,
            to_status=RequestStatus.ACCEPTED,
            by=ctx.coordinator,
        )
    return request


def _withdrawn(ctx: BuildContext) -> None:
    """One request its administration withdrew while it waited for appraisal, in its own
    words (the request page shows the history)."""
    org = ctx.members[ctx.rng.choice(sorted(ctx.members))]
    request = _open_request(ctx, org, RequestStatus.SUBMITTED, regional=False)
    request_withdraw(
        request=request,
        by=request.focal_point,
        reason="The administration found the training it needed in a national programme.",
    )


def _accept_path(ctx: BuildContext) -> None:
    """Draft missions made as the secretariat's accept button makes them: one from a
    national request, one merging two requests of a region (suggested slots, a window)."""

    def accepted(code: str, topics: list[str], language: str) -> Request:
        start = ctx.day(ctx.rng.randint(90, 200))
        request = submit_request(
            ctx,
            administrations=[ctx.members[code]],
            topics=topics,
            level=Level.OPERATIONAL,
            language=language,
            start=start,
            end=start + datetime.timedelta(days=60),
            priority=3,
        )
        return accept(ctx, request)

    missions.mission_from_requests(
        requests=[accepted("MX", ["valuation"], "es")], by=ctx.coordinator, today=ctx.today
    )
    pair = [accepted(code, ["transit", "rkc"], "fr") for code in ("SN", "CI")]
    missions.requests_merge(requests=pair, by=ctx.coordinator, today=ctx.today)


def _possible_duplicate(ctx: BuildContext, member: Organisation) -> None:
    """The demo member asks again for what an open request covers."""
    open_request = (
        Request.objects.filter(
            administrations=member,
            status__in=[RequestStatus.SUBMITTED, RequestStatus.UNDER_APPRAISAL],
        )
        .order_by("reference")
        .first()
    )
    if open_request is None:
        return
    assistance.request_submit(
        by=ctx.focal[DEMO_MEMBER],
        title=f"{open_request.title} (second request)",
        administrations=[member],
        topics=list(open_request.topics.all()[:1]),
        level=open_request.level,
        needs="Our regional commands also ask for this support; please consider "
        "extending the earlier request to them.",
        preferred_start=open_request.preferred_start + datetime.timedelta(days=14),
        preferred_end=open_request.preferred_end + datetime.timedelta(days=14),
        language=open_request.language,
        priority=open_request.priority,
        today=ctx.today,
    )
