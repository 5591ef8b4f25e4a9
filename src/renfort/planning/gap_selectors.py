"""Reads: one page of the stored pool gaps (``PoolGapSnapshot``) for the person who asks.

Nothing is computed here: the gaps were computed by the background refresh. Every role that
may see the page sees the same profiles; a mission's reference is shown only to those who may
see the mission (``missions_visible_to``). A page costs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.utils import timezone

from renfort.accounts.models import Organisation, User
from renfort.missions.selectors import missions_visible_to
from renfort.planning.gap_refresh import pool_gaps_refresh_waiting
from renfort.planning.models import PoolGap, PoolGapSnapshot
from renfort.roster.models import Category, Topic

PAGE_SIZE = 25
MISSIONS_SHOWN = 10  # references listed per profile; the count says how many in all
# A profile's missions looked at for the MISSIONS_SHOWN the user may see: a page reads at most
# PAGE_SIZE x MISSIONS_CHECKED mission rows, however many missions a profile would staff.
MISSIONS_CHECKED = 100


@dataclass
class GapRow:
    """One stored gap, ready to show."""

    gap: PoolGap
    category_label: str
    requirements: list[tuple[str, int]]  # (topic name, minimum level)
    missions: list[tuple[int, str, str]]  # (id, reference, title): visible ones, MISSIONS_SHOWN
    near: list[tuple[str, int]]  # (administration's name, experts)
    month: datetime.date | None = None  # the first day of the gap's month, shown as a month


@dataclass
class GapsPage:
    snapshot: PoolGapSnapshot | None
    refreshing: bool
    page: Page[PoolGap] | None = None
    rows: list[GapRow] = field(default_factory=list)

    @property
    def outdated(self) -> bool:
        """No snapshot, or one from before today (windows and dates move with the day)."""
        if self.snapshot is None:
            return True
        return timezone.localdate(self.snapshot.computed_at) < timezone.localdate()


def _category_label(code: str) -> str:
    return str(Category(code).label) if code in Category.values else code


def _month(value: str) -> datetime.date | None:
    """The first day of a stored ``YYYY-MM`` month (None without dates)."""
    try:
        return datetime.date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


def pool_gaps_page(user: User, page_number: str | int | None) -> GapsPage:
    """The latest snapshot and one page of its gaps, with topic and administration names
    and the missions the user may see."""
    snapshot = PoolGapSnapshot.objects.first()
    result = GapsPage(snapshot=snapshot, refreshing=pool_gaps_refresh_waiting())
    if snapshot is None:
        return result
    result.page = Paginator(snapshot.gaps.order_by("rank"), PAGE_SIZE).get_page(page_number)
    gaps = list(result.page.object_list)
    codes = {code for g in gaps for code, _level in g.requirements}
    topics = {t.code: str(t) for t in Topic.objects.filter(code__in=codes)}
    org_ids = {org for g in gaps for org, _n in g.near}
    # Full names: a short name is often a country code ("DE"), not what people call it.
    orgs = {o.pk: o.name for o in Organisation.objects.filter(pk__in=org_ids).only("pk", "name")}
    mission_ids = {pk for g in gaps for pk, _ref in g.missions[:MISSIONS_CHECKED]}
    visible = dict(missions_visible_to(user).filter(pk__in=mission_ids).values_list("pk", "title"))
    for gap in gaps:
        result.rows.append(
            GapRow(
                gap=gap,
                category_label=_category_label(gap.category),
                requirements=[(topics.get(code, code), level) for code, level in gap.requirements],
                missions=[
                    (pk, ref, visible[pk])
                    for pk, ref in gap.missions[:MISSIONS_CHECKED]
                    if pk in visible
                ][:MISSIONS_SHOWN],
                near=[(orgs[org], n) for org, n in gap.near if org in orgs],
                month=_month(gap.month),
            )
        )
    return result
