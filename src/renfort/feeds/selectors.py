"""Reads of calendar feeds that depend on who asks: which feeds a person may take, a feed by
its secret, and the missions and experts a feed shows (always inside
``missions_visible_to(owner)``: a feed never shows more than its owner's pages)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from renfort.accounts.models import Organisation, OrganisationKind, Region, Role, User
from renfort.agreements.models import PartyRole
from renfort.feeds.models import CalendarFeed, FeedKind, token_hash
from renfort.missions.models import Assignment, AssignmentStatus, Mission
from renfort.missions.selectors import missions_in_period, missions_visible_to
from renfort.roster.models import Expert
from renfort.roster.selectors import experts_visible_to

R = Role
# The kinds of feed each role may take (docs/api.md, "Calendar feeds").
KINDS_BY_ROLE: dict[str, tuple[str, ...]] = {
    R.SECRETARIAT_COORDINATOR: (
        FeedKind.PLAN,
        FeedKind.REGION,
        FeedKind.MEMBER,
        FeedKind.DONOR,
        FeedKind.EXPERT,
    ),
    R.REGIONAL_COORDINATOR: (FeedKind.REGION, FeedKind.MEMBER, FeedKind.EXPERT),
    R.MEMBER_FOCAL_POINT: (FeedKind.MEMBER, FeedKind.DONOR, FeedKind.EXPERT),
    R.DONOR_FOCAL_POINT: (FeedKind.DONOR,),
    R.EXPERT: (FeedKind.EXPERT,),
}


def feed_kinds_for(user: User) -> tuple[str, ...]:
    if not user.is_authenticated or not user.is_active:
        return ()
    return KINDS_BY_ROLE.get(user.role, ())


def feed_experts_for(user: User) -> QuerySet[Expert]:
    """The experts whose feed the user may take: those whose profile they may open."""
    return experts_visible_to(user)


def feed_members_for(user: User) -> QuerySet[Organisation]:
    """Member administrations: any for the secretariat, those of their region for a regional
    coordinator, their own for a member focal point."""
    qs = Organisation.objects.filter(kind=OrganisationKind.MEMBER_ADMINISTRATION)
    if user.role == R.SECRETARIAT_COORDINATOR:
        return qs
    if user.role == R.REGIONAL_COORDINATOR and user.region:
        return qs.filter(region=user.region)
    if user.role == R.MEMBER_FOCAL_POINT and user.organisation_id is not None:
        return qs.filter(pk=user.organisation_id)
    return qs.none()


def feed_donors_for(user: User) -> QuerySet[Organisation]:
    """Organisations that may fund work: any member or donor agency for the secretariat, their
    own for a donor or member focal point."""
    qs = Organisation.objects.filter(
        kind__in=[OrganisationKind.MEMBER_ADMINISTRATION, OrganisationKind.DONOR_AGENCY]
    )
    if user.role == R.SECRETARIAT_COORDINATOR:
        return qs
    if user.role in {R.DONOR_FOCAL_POINT, R.MEMBER_FOCAL_POINT} and user.organisation_id:
        return qs.filter(pk=user.organisation_id)
    return qs.none()


def feed_regions_for(user: User) -> list[str]:
    if user.role == R.SECRETARIAT_COORDINATOR:
        return list(Region.values)
    if user.role == R.REGIONAL_COORDINATOR and user.region:
        return [user.region]
    return []


@dataclass(frozen=True)
class FeedTarget:
    """What a feed follows: one of these is set, as its kind says (none for the plan)."""

    kind: str
    expert: Expert | None = None
    organisation: Organisation | None = None
    region: str = ""


def feed_target_for(
    user: User,
    kind: str,
    *,
    expert_id: int | None = None,
    organisation_id: int | None = None,
    region: str = "",
) -> FeedTarget:
    """The target the user may follow: 403 for a kind their role may not take, 404 for an
    expert, administration or region that is not theirs to follow."""
    if kind not in feed_kinds_for(user):
        raise PermissionDenied
    if kind == FeedKind.PLAN:
        return FeedTarget(kind)
    if kind == FeedKind.REGION:
        if region not in feed_regions_for(user):
            raise Http404("No such region.")
        return FeedTarget(kind, region=region)
    if kind == FeedKind.EXPERT:
        expert = feed_experts_for(user).filter(pk=expert_id or 0).first()
        if expert is None:
            raise Http404("No such expert.")
        return FeedTarget(kind, expert=expert)
    orgs = feed_members_for(user) if kind == FeedKind.MEMBER else feed_donors_for(user)
    org = orgs.filter(pk=organisation_id or 0).first()
    if org is None:
        raise Http404("No such organisation.")
    return FeedTarget(kind, organisation=org)


def feeds_of(user: User) -> QuerySet[CalendarFeed]:
    """The person's feeds that still answer (not revoked)."""
    return CalendarFeed.objects.filter(owner=user, revoked_at__isnull=True).select_related(
        "expert", "organisation"
    )


def feed_for_owner(user: User, pk: int) -> CalendarFeed:
    try:
        return feeds_of(user).get(pk=pk)
    except CalendarFeed.DoesNotExist as exc:
        raise Http404("No such feed.") from exc


def feed_for_token(token: str) -> CalendarFeed:
    """The feed behind a secret address; 404 when the secret is unknown or revoked, its owner
    deactivated, or the owner may no longer follow its target (a person who changed role or
    administration)."""
    if not token or len(token) > 100:
        raise Http404("No such feed.")
    feed = (
        CalendarFeed.objects.filter(key_hash=token_hash(token), revoked_at__isnull=True)
        .select_related("owner", "owner__organisation", "expert", "organisation")
        .first()
    )
    if feed is None or not feed.owner.is_active:
        raise Http404("No such feed.")
    try:
        feed_target_for(
            feed.owner,
            feed.kind,
            expert_id=feed.expert_id,
            organisation_id=feed.organisation_id,
            region=feed.region,
        )
    except PermissionDenied as exc:
        raise Http404("No such feed.") from exc
    return feed


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month ``months`` after ``day``'s month (``day`` is a first)."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def feed_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The months a feed covers: ``FEEDS_MONTHS_BACK`` (12) before today's month,
    ``FEEDS_MONTHS_AHEAD`` (24) after it."""
    back = int(getattr(settings, "FEEDS_MONTHS_BACK", 12))
    ahead = int(getattr(settings, "FEEDS_MONTHS_AHEAD", 24))
    first = today.replace(day=1)
    return _add_months(first, -back), _add_months(first, ahead + 1) - datetime.timedelta(days=1)


def _scope(feed: CalendarFeed) -> Q:
    # The feed's check constraint sets the target its kind needs.
    expert_id, organisation_id = feed.expert_id or 0, feed.organisation_id or 0
    shown = [s for s in AssignmentStatus if s != AssignmentStatus.PROPOSED]
    if feed.kind == FeedKind.EXPERT:
        on = Assignment.objects.active().filter(expert_id=expert_id, status__in=shown)
        return Q(id__in=on.values("slot__mission_id"))
    if feed.kind == FeedKind.MEMBER:
        lent = Assignment.objects.active().filter(
            expert__home_administration_id=organisation_id, status__in=shown
        )
        received = Mission.objects.filter(beneficiaries=organisation_id)
        return Q(id__in=received.values("id")) | Q(id__in=lent.values("slot__mission_id"))
    if feed.kind == FeedKind.REGION:
        return Q(id__in=Mission.objects.filter(beneficiaries__region=feed.region).values("id"))
    if feed.kind == FeedKind.DONOR:
        funded = Mission.objects.filter(
            agreements__parties__organisation_id=organisation_id,
            agreements__parties__role=PartyRole.FUNDING,
        )
        return Q(id__in=funded.values("id"))
    return Q()


def feed_missions(feed: CalendarFeed, today: datetime.date) -> QuerySet[Mission]:
    """The missions a feed shows: those its owner may see now, within its target, with dates
    (a mission still planned in a window has none yet) meeting the feed's period, at most
    ``FEEDS_MAX_EVENTS`` (2,000), the latest first."""
    start, end = feed_period(today)
    cap = int(getattr(settings, "FEEDS_MAX_EVENTS", 2000))
    qs = missions_in_period(missions_visible_to(feed.owner), start, end)
    ids = qs.filter(_scope(feed), start__isnull=False).order_by("-start", "-id")
    return Mission.objects.filter(id__in=ids.values("id")[:cap])


def assignments_shown(user: User, mission_ids: list[int]) -> QuerySet[Assignment]:
    """The active assignments of these missions whose experts the user sees on each mission's
    page: the rule of ``missions.selectors.assignment_ids_shown_to``, for many missions in one
    query (a test holds the two together)."""
    qs = Assignment.objects.active().filter(slot__mission_id__in=mission_ids)
    if user.role == R.SECRETARIAT_COORDINATOR:
        return qs
    shown = ~Q(status=AssignmentStatus.PROPOSED)
    if user.role == R.MEMBER_FOCAL_POINT and user.organisation_id is not None:
        shown |= Q(expert__home_administration_id=user.organisation_id)
    return qs.filter(shown)
