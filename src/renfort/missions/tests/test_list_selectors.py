"""The missions list read status by status (``list_selectors.ByStatus``) gives the very rows of
the whole ordered list, whatever the page and however the statuses fall across it."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count

from renfort.missions.list_selectors import ByStatus, status_order
from renfort.missions.models import Mission, MissionStatus
from renfort.missions.views import common
from renfort.testing import make_mission

pytestmark = pytest.mark.django_db


def _ordered() -> object:
    return Mission.objects.annotate(status_order=status_order()).order_by(
        "status_order", "start", "window_start", "reference"
    )


def test_every_slice_is_the_slice_of_the_whole_list() -> None:
    day = datetime.date(2031, 1, 5)
    statuses = [
        MissionStatus.DRAFT,
        MissionStatus.PLANNED,
        MissionStatus.DRAFT,
        MissionStatus.CONFIRMED,
        MissionStatus.CANCELLED,
        MissionStatus.PLANNED,
        MissionStatus.DRAFT,
    ]
    for i, status in enumerate(statuses):
        start = day + datetime.timedelta(days=7 * (i % 3))
        make_mission(status=status, start=start, end=start + datetime.timedelta(days=2))
    qs = _ordered()
    counts = dict(
        Mission.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    whole = list(qs)  # type: ignore[call-overload]
    listed = ByStatus(qs, counts)  # type: ignore[arg-type]
    assert listed.count() == len(whole) == len(statuses)
    for size in (1, 2, 3, 5, 50):
        for first in range(0, len(whole) + 1):
            assert listed[first : first + size] == whole[first : first + size], (first, size)


def test_one_status_reads_that_status_only() -> None:
    make_mission(status=MissionStatus.DRAFT)
    planned = make_mission(status=MissionStatus.PLANNED)
    qs = _ordered().filter(status=MissionStatus.PLANNED)  # type: ignore[attr-defined]
    assert ByStatus(qs, {MissionStatus.PLANNED: 1})[0:50] == [planned]


def test_the_list_page_shows_every_mission_once_across_its_pages(
    client, secretariat, monkeypatch
) -> None:
    for i in range(7):
        make_mission(status=MissionStatus.PLANNED if i % 2 else MissionStatus.DRAFT)
    client.force_login(secretariat)
    monkeypatch.setattr(common, "PAGE_SIZE", 3)
    seen: list[int] = []
    for page in (1, 2, 3):
        response = client.get("/missions/", {"page": page})
        seen.extend(m.pk for m in response.context["page"].object_list)
    assert sorted(seen) == sorted(Mission.objects.values_list("pk", flat=True))
