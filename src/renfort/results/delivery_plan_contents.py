"""What a year's delivery plan holds, read from the missions of that year: the missions by
region, level and topic, each with the objectives it serves, and the plan as a PDF.

A mission belongs to the year of its first day (planned, else the opening of its window), as
on the year in numbers (``figures.year.year_missions``); cancelled missions are left out.
The page shows the counts (a bounded number of groups) and the missions 25 at a time; the
PDF, a document meant to be complete, lists every mission of the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from renfort.accounts.models import Region
from renfort.assistance.models import Level
from renfort.lib.tabular import Sheet
from renfort.missions.models import Mission, SlotRequirement
from renfort.results.figures.common import live
from renfort.results.figures.year import year_missions
from renfort.results.framework_selectors import LEVEL_ORDER
from renfort.results.models import DeliveryPlan, Objective
from renfort.results.party_reports.base import (
    Part,
    Report,
    as_pdf,
    file_name,
    period,
)

# Topics the page counts by name; the others are counted together ("n other topics").
TOPICS_SHOWN = 12


@dataclass(frozen=True)
class Group:
    """A region, level or topic of the plan (``code`` for the filter) and its missions."""

    code: str
    label: str
    missions: int


@dataclass(frozen=True)
class PlanCounts:
    missions: int
    beneficiaries: int
    with_objectives: int
    by_region: list[Group]
    by_level: list[Group]
    by_topic: list[Group]
    topics: int  # topics in all (``by_topic`` holds the most frequent)

    @property
    def other_topics(self) -> int:
        return self.topics - len(self.by_topic)


def plan_missions(year: int) -> QuerySet[Mission]:
    """The missions of the plan of ``year``: those of the year, not cancelled."""
    return live(year_missions(year))


def _by_region(missions: QuerySet[Mission]) -> list[Group]:
    rows = (
        Mission.beneficiaries.through.objects.filter(mission_id__in=missions.values("id"))
        .values("organisation__region")
        .annotate(n=Count("mission_id", distinct=True))
        .order_by()
    )
    found = {r["organisation__region"]: r["n"] for r in rows}
    return [Group(r.value, str(r.label), found.get(r.value, 0)) for r in Region]


def _by_level(missions: QuerySet[Mission]) -> list[Group]:
    found = {
        r["level"]: r["n"] for r in missions.order_by().values("level").annotate(n=Count("pk"))
    }
    return [Group(lv.value, str(lv.label), found.get(lv.value, 0)) for lv in Level]


def _requirements(missions: QuerySet[Mission]) -> QuerySet[SlotRequirement]:
    return SlotRequirement.objects.filter(slot__mission_id__in=missions.values("id"))


def _by_topic(missions: QuerySet[Mission], limit: int | None) -> list[Group]:
    rows = (
        _requirements(missions)
        .values("topic__code", "topic__name")
        .annotate(n=Count("slot__mission", distinct=True))
        .order_by("-n", "topic__name")
    )
    return [
        Group(r["topic__code"], _(r["topic__name"]), r["n"])
        for r in (rows[:limit] if limit else rows)
    ]


def plan_counts(year: int, *, topics: int | None = TOPICS_SHOWN) -> PlanCounts:
    """The plan's missions counted by region of their beneficiaries (a regional mission in
    each of its regions), by level and by topic (the ``topics`` most frequent; all with
    None): seven aggregate queries, whatever the year holds."""
    missions = plan_missions(year)
    row = missions.aggregate(
        n=Count("pk", distinct=True),
        linked=Count("pk", distinct=True, filter=Q(result_objectives__isnull=False)),
    )
    beneficiaries = (
        Mission.beneficiaries.through.objects.filter(mission_id__in=missions.values("id"))
        .values("organisation_id")
        .distinct()
        .count()
    )
    return PlanCounts(
        missions=row["n"],
        beneficiaries=beneficiaries,
        with_objectives=row["linked"],
        by_region=_by_region(missions),
        by_level=_by_level(missions),
        by_topic=_by_topic(missions, topics),
        topics=_requirements(missions).values("topic").distinct().count(),
    )


def filter_plan_missions(
    missions: QuerySet[Mission], *, region: str = "", level: str = "", topic: str = ""
) -> QuerySet[Mission]:
    """The plan's missions with a beneficiary in ``region``, of ``level``, asking for
    ``topic`` (a topic code)."""
    if region:
        in_region = Mission.beneficiaries.through.objects.filter(organisation__region=region)
        missions = missions.filter(id__in=in_region.values("mission_id"))
    if level:
        missions = missions.filter(level=level)
    if topic:
        asking = SlotRequirement.objects.filter(topic__code=topic)
        missions = missions.filter(id__in=asking.values("slot__mission_id"))
    return missions


def plan_rows(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """The missions as the plan lists them, by first day: ``first`` and ``last`` (planned
    dates, else the window), their beneficiaries, topics (through their slots) and objectives
    prefetched (five queries a page)."""
    return (
        missions.annotate(
            first=Coalesce("start", "window_start"), last=Coalesce("end", "window_end")
        )
        .prefetch_related(
            "beneficiaries",
            Prefetch(
                "slots__requirements",
                queryset=SlotRequirement.objects.select_related("topic").order_by("topic__name"),
            ),
            Prefetch(
                "result_objectives",
                queryset=Objective.objects.annotate(level_order=LEVEL_ORDER).order_by(
                    "level_order", "title", "pk"
                ),
            ),
        )
        .order_by(F("first").asc(nulls_last=True), "reference")
    )


def mission_topics(mission: Mission) -> list[str]:
    """The topics a row of ``plan_rows`` asks for, each once, by name."""
    names = {str(r.topic) for slot in mission.slots.all() for r in slot.requirements.all()}
    return sorted(names)


# --- the PDF ------------------------------------------------------------------------------------


def _groups_sheet(title: str, header: str, groups: list[Group]) -> Sheet:
    return Sheet(title, [header, _("Missions")], [[g.label, g.missions] for g in groups])


def _mission_part(missions: list[Mission]) -> Part:
    def cells(m: Mission) -> list[Any]:
        return [
            f"{m.reference} · {m.title}",
            "; ".join(b.name for b in m.beneficiaries.all()),
            period(getattr(m, "first", None), getattr(m, "last", None)),
            m.get_level_display(),
            ", ".join(mission_topics(m)),
            "; ".join(o.title for o in m.result_objectives.all()),
        ]

    headers = [
        _("Mission"),
        _("Beneficiaries"),
        _("Dates"),
        _("Level"),
        _("Topics"),
        _("Objectives"),
    ]
    return Part(Sheet(_("Missions"), headers, [cells(m) for m in missions]))


def plan_pdf(plan: DeliveryPlan | None, year: int) -> tuple[bytes, str]:
    """The plan of ``year`` as a PDF in the reader's language, and the file's name."""
    counts = plan_counts(year, topics=None)
    status = plan.get_status_display() if plan else _("Not drafted yet")
    summary: list[tuple[str, Any]] = [(_("Status"), status)]
    if plan and plan.approved_at:
        summary.append((_("Approved on"), timezone.localdate(plan.approved_at)))
    if plan and plan.published_at:
        summary.append((_("Published on"), timezone.localdate(plan.published_at)))
    summary += [
        (_("Missions"), counts.missions),
        (_("Beneficiary administrations"), counts.beneficiaries),
        (_("Missions serving an objective"), counts.with_objectives),
    ]
    report = Report(
        title=_("Delivery plan %(year)s") % {"year": year},
        subtitle=_(
            "The missions of %(year)s by region, level and topic, with the objectives they serve."
        )
        % {"year": year},
        name=file_name("delivery-plan", year),
        summary=summary,
        tables=[
            _groups_sheet(_("Missions by region"), _("Region"), counts.by_region),
            _groups_sheet(_("Missions by level"), _("Level"), counts.by_level),
            _groups_sheet(_("Missions by topic"), _("Topic"), counts.by_topic),
            _mission_part(list(plan_rows(plan_missions(year)))),
        ],
        notes=[
            _(
                "A regional mission counts once in each region of its beneficiaries; a "
                "mission asking for several topics counts once under each."
            )
        ],
    )
    return as_pdf(report), report.name
