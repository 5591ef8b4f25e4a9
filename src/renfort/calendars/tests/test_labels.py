"""Readable calendars: chips carry a reference and a title, short timeline bars their label
beside them, and a detail panel tells each mission's title, dates and experts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import formats

from renfort.calendars import layout
from renfort.missions.models import AssignmentStatus, MissionStatus
from renfort.testing import make_assignment, make_expert, next_year, persona_mission

D = datetime.date


def _row(id: int, start: D, end: D) -> layout.MissionRow:
    return layout.MissionRow(id, f"M-{id}", f"Mission {id}", "scheduled", start, end)


def test_a_short_bar_keeps_room_for_its_label_in_its_lane():
    start, end = D(2027, 1, 1), D(2027, 3, 31)
    first = layout.Bar(
        _row(1, D(2027, 1, 5), D(2027, 1, 7)),
        *layout.place((D(2027, 1, 5), D(2027, 1, 7)), start, end),
    )
    # Starts after the first bar ends, but where its label runs: another lane.
    second = layout.Bar(
        _row(2, D(2027, 1, 9), D(2027, 1, 10)),
        *layout.place((D(2027, 1, 9), D(2027, 1, 10)), start, end),
    )
    far = layout.Bar(
        _row(3, D(2027, 3, 1), D(2027, 3, 3)),
        *layout.place((D(2027, 3, 1), D(2027, 3, 3)), start, end),
    )
    assert first.short and second.short
    lanes = layout.pack_lanes([first, second, far])
    assert [[b.mission.id for b in lane] for lane in lanes] == [[1, 3], [2]]
    wide = layout.Bar(_row(4, D(2027, 1, 1), D(2027, 2, 28)), 0.0, 60.0)
    assert not wide.short and wide.extent == 60.0


@pytest.mark.django_db
def test_calendar_chips_show_the_reference_and_the_title(client, personas):
    mission = persona_mission(
        personas, start=next_year(3, 2), title="National workshop on risk management"
    )
    client.force_login(personas.secretariat)
    html = client.get(
        reverse("calendars:calendar"), {"month": f"{next_year().year}-03"}
    ).content.decode()
    chip = (
        f'title="{mission.reference} National workshop on risk management">'
        f'<span class="ref">{mission.reference}</span> '
        '<span class="chip-title">National workshop on risk management</span></a>'
    )
    assert html.count(chip) == 5  # one per day of the mission
    assert formats.date_format(next_year(3, 1), "YEAR_MONTH_FORMAT") in html


@pytest.mark.django_db
def test_timeline_labels_short_bars_and_details_each_mission(client, personas):
    mission = persona_mission(
        personas,
        start=next_year(3, 2),
        end=next_year(3, 3),
        title="Risk clinic",
        status=MissionStatus.SCHEDULED,
    )
    make_assignment(mission.slots.get(), personas.expert, status=AssignmentStatus.ACCEPTED)
    hidden = make_expert(home_administration=personas.admin_b, last_name="Proposed")
    other = persona_mission(personas, start=next_year(3, 20), end=next_year(3, 21))
    make_assignment(other.slots.get(), hidden, status=AssignmentStatus.PROPOSED)
    params = {
        "period_from": next_year(3, 1).isoformat(),
        "period_to": next_year(5, 31).isoformat(),
    }
    client.force_login(personas.member)  # Senegal, the beneficiary
    html = client.get(reverse("calendars:timeline"), params).content.decode()
    bar = re.search(r'<a class="bar [^"]*\bshort\b[^"]*"[^>]*>(.*?)</a>', html, re.S)
    assert bar is not None
    assert f'<span class="ref">{mission.reference}</span>' in bar.group(1)
    assert "Risk clinic" in bar.group(1)
    details = html.split('id="tl-details-title"', 1)[1]
    panel = details.split(f'id="tl-mission-{mission.pk}"', 1)[1].split("</details>", 1)[0]
    assert "Risk clinic" in panel and "Ana Lima" in panel
    assert formats.date_format(next_year(3, 2), "DATE_FORMAT") in panel
    # A proposal stays with the secretariat: not named to the beneficiary.
    assert (
        "Proposed"
        not in details.split(f'id="tl-mission-{other.pk}"', 1)[1].split("</details>", 1)[0]
    )
    client.force_login(personas.secretariat)
    html = client.get(reverse("calendars:timeline"), params).content.decode()
    assert hidden.last_name in html.split('id="tl-details-title"', 1)[1]


def test_a_short_bar_at_the_end_of_the_period_carries_its_label_before_it():
    late = layout.Bar(_row(1, D(2027, 3, 29), D(2027, 3, 31)), 96.0, 4.0)
    early = layout.Bar(_row(2, D(2027, 3, 1), D(2027, 3, 3)), 70.0, 4.0)
    assert late.label_before and not early.label_before
    assert late.reach == (96.0 - layout.LABEL_ROOM, 100.0)
    # The label before the late bar would run over the early one's label: another lane.
    assert len(layout.pack_lanes([early, late])) == 2
