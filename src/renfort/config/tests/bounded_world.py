"""History added in bulk to the permission world (``permission_world.build_world``), for the
bounded-pages test (``test_bounded_pages.py``, docs/performance.md, "Bounded pages").

``grow(world, n)`` adds ``n`` of each: experts to the pool, requests of the member's
administration, closed missions of the past (each with a slot, the world's expert or a pool
expert on it, a request behind it, funded by the world's agreement), and notifications for
every signed-in viewer. It writes with ``bulk_create`` (a few dozen queries whatever ``n``),
skipping the services on purpose: the rows are history, already past their rules.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from simple_history.utils import bulk_create_with_history

from renfort.accounts.models import Notification, Role, User
from renfort.agreements.models import MissionFunding
from renfort.assistance.models import Request, RequestStatus
from renfort.missions.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Mission,
    MissionStatus,
    MissionType,
    Slot,
)
from renfort.roster.models import Category, Expert, ReleaseStatus, Skill
from renfort.testing import make_member, make_user, topic

_batch = itertools.count(1)


# Member administrations that share the history with the world's own when ``spread`` > 1.
COUNTRIES = ("GH", "CI", "ML", "BF", "NE", "TG", "BJ", "GN", "CM", "GA", "CG", "TD", "MR")


def grow(world: Any, n: int, *, spread: int = 1, full_pages: bool = False) -> None:
    """Add ``n`` experts, requests, past missions (with their assignments) and notifications
    per viewer to ``world``. With ``spread`` > 1 the rows are shared among that many member
    administrations (the world's member and ``spread - 1`` others), as in real data where
    each list filters a small part of its table; by default all are the member's.

    ``full_pages``: every other request waits for appraisal and the world's expert is on
    every other mission (a pool expert on the rest), so that the appraisal queue and the
    expert's lists are full pages already at the first size (the bounded-pages test compares
    two sizes of full pages). Without it few
    requests wait and the expert is on one mission in ``2 * spread``, as the query plans'
    test wants (selective filters)."""
    b = next(_batch)
    o = world.objects
    member_org = o["member_org"]
    orgs = [member_org]
    focal_points = [world.users["member"]]
    for country in COUNTRIES[: max(spread - 1, 0)]:
        org = make_member(country)
        orgs.append(org)
        focal_points.append(
            User.objects.filter(role=Role.MEMBER_FOCAL_POINT, organisation=org).first()
            or make_user(Role.MEMBER_FOCAL_POINT, org)
        )
    k = len(orgs)
    risk = topic("risk_management")
    today = datetime.date.today()

    experts = Expert.objects.bulk_create(
        Expert(
            home_administration=orgs[i % k],
            first_name="Pool",
            last_name=f"Grown{b}x{i}",
            email=f"pool.grown{b}x{i}@example.org",
            categories=[Category.TECHNICAL_OPERATIONAL_EXPERT],
            languages=["en", "fr"],
            released_days_per_year=30,
            release_status=ReleaseStatus.GRANTED,
            active=True,
        )
        for i in range(n)
    )
    Skill.objects.bulk_create(Skill(expert=e, topic=risk, level=2) for e in experts)

    # The past, one week per mission, before the world's own delivered mission.
    def start_of(i: int) -> datetime.date:
        return today - datetime.timedelta(days=120 + 7 * (i + n * b * 2))

    requests = Request.objects.bulk_create(
        Request(
            reference=f"R-G{b}{i:05d}",
            title=f"Grown request {b}.{i}",
            focal_point=focal_points[i % k],
            level=o["request"].level,
            needs="Train front-line officers.",
            preferred_start=start_of(i),
            preferred_end=start_of(i) + datetime.timedelta(days=60),
            language="fr",
            priority=3,
            status=RequestStatus.SUBMITTED
            if (i % 2 == 0 if full_pages else i % 25 == 0)
            else RequestStatus.ACCEPTED,
        )
        for i in range(n)
    )
    Request.administrations.through.objects.bulk_create(
        Request.administrations.through(request=r, organisation=orgs[i % k])
        for i, r in enumerate(requests)
    )
    Request.topics.through.objects.bulk_create(
        Request.topics.through(request=r, topic=risk) for r in requests
    )

    # With their field history, as the services would have written it (the audit pages).
    missions = bulk_create_with_history(
        [
            Mission(
                reference=f"M-G{b}{i:05d}",
                title=f"Grown mission {b}.{i}",
                type=MissionType.TRAINING,
                level=o["mission"].level,
                start=start_of(i),
                end=start_of(i) + datetime.timedelta(days=4),
                language="fr",
                priority=3,
                status=MissionStatus.CLOSED,
            )
            for i in range(n)
        ],
        Mission,
    )
    Mission.requests.through.objects.bulk_create(
        Mission.requests.through(mission=m, request=r)
        for m, r in zip(missions, requests, strict=True)
    )
    Mission.beneficiaries.through.objects.bulk_create(
        Mission.beneficiaries.through(mission=m, organisation=orgs[i % k])
        for i, m in enumerate(missions)
    )
    slots = Slot.objects.bulk_create(
        Slot(mission=m, category=Category.TECHNICAL_OPERATIONAL_EXPERT, position=1)
        for m in missions
    )
    Assignment.objects.bulk_create(
        Assignment(
            slot=s,
            expert=o["expert"] if (i % 2 == 1 if full_pages else i % (2 * k) == 1) else experts[i],
            status=AssignmentStatus.COMPLETED,
            source=AssignmentSource.MANUAL,
            release_status=ReleaseStatus.GRANTED,
            busy_from=missions[i].start,
            busy_to=missions[i].end,
        )
        for i, s in enumerate(slots)
    )
    MissionFunding.objects.bulk_create(
        MissionFunding(agreement=o["agreement"], mission=m)
        for i, m in enumerate(missions)
        if i % k == 0
    )
    Notification.objects.bulk_create(
        Notification(recipient=user, subject=f"Grown notice {b}.{i}", body="History.")
        for user in world.users.values()
        if user is not None
        for i in range(n)
    )
