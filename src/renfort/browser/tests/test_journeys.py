"""From a member's request to a confirmed mission on every party's calendar, in Chromium.

One journey per language and screen width (1366 px and a 390 px phone): the member focal
point submits a request with the keyboard alone, the secretariat appraises and accepts it,
runs the planner on the new mission and accepts its proposal, the lending administration
grants the release, the expert accepts, the secretariat schedules the mission, the member
confirms the terms of reference, the secretariat confirms the mission, and the mission shows
on the member's, the expert's and the secretariat's calendars; the regional coordinator and
the donor open their pages. Every page is checked by axe-core and for console errors
(browsing.py). Run alone: ``DATABASE_URL= .venv/bin/pytest -m browser``.
"""

from __future__ import annotations

import datetime
import os
import re
from typing import Any

import pytest

try:
    import playwright.sync_api  # noqa: F401
except ImportError:  # pragma: no cover - depends on the machine
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

from renfort.browser.tests.browsing import Journey, Person, exactly, labelled, say
from renfort.browser.tests.preconditions import Demo
from renfort.missions.models import Assignment, AssignmentStatus, Mission, MissionStatus

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXPERT_NAME = "Élodie Fontaine"  # the demo expert (login "expert")
# `make test` walks the journey in English at desktop width and in French at phone width (each
# language, each width once: the other journeys cover the other pairs in part);
# RENFORT_ALL_JOURNEYS=1 or `make screenshots` walks all four.
ALL_RUNS = [("en", "desktop"), ("en", "phone"), ("fr", "desktop"), ("fr", "phone")]
RUNS = (
    ALL_RUNS
    if os.environ.get("RENFORT_ALL_JOURNEYS") or os.environ.get("RENFORT_SCREENSHOTS")
    else [("en", "desktop"), ("fr", "phone")]
)
# The buttons that move a mission on: the verb the UX rules ask for, if the page has one,
# else the status select of the "Change status" form.
MISSION_VERBS = {
    MissionStatus.PLANNED: ("Plan the mission", "Mark the mission as planned"),
    MissionStatus.SCHEDULED: ("Schedule the mission", "Mark the mission as scheduled"),
    MissionStatus.CONFIRMED: ("Confirm the mission",),
}


@pytest.mark.parametrize(("lang", "screen"), RUNS, ids=[f"{x}-{y}" for x, y in RUNS])
def test_journey_from_request_to_confirmed_mission(
    demo: Demo, chromium: Any, django_db_blocker: Any, lang: str, screen: str
) -> None:
    journey = Journey(chromium, demo.url, lang, screen)
    start, end = demo.next_window()
    title = f"Browser journey ({lang}, {screen}): risk analysis training"

    member = journey.person("member")
    member.screenshot("member-home")
    request_url = submit_request_with_keyboard(member, title, start, end)

    secretariat = journey.person("secretariat")
    secretariat.screenshot("secretariat-home")
    mission_url, reference = appraise_and_accept(secretariat, request_url)
    plan_and_accept_proposal(secretariat, reference)

    lender = journey.person("lender")
    lender.screenshot("lender-home")
    lender.go("/experts/releases/")
    row = lender.main.get_by_role("row").filter(has_text=reference)
    lender.screenshot("lender-releases", phone_too=False, at=row)
    lender.press("Grant the release", "Grant release", scope=row)

    expert = journey.person("expert")
    expert.screenshot("expert-home")
    expert.go("/experts/me/invitations/")
    invitation = expert.main.get_by_role("article").filter(has_text=reference)
    expert.screenshot("expert-invitations", phone_too=False, at=invitation)
    expert.press("Accept the invitation", "Accept", scope=invitation)

    move_mission(secretariat, mission_url, MissionStatus.PLANNED)
    move_mission(secretariat, mission_url, MissionStatus.SCHEDULED)
    secretariat.go(f"{mission_url}terms/")
    secretariat.press("Ask the beneficiaries to confirm them")
    member.go(f"{mission_url}terms/")
    member.screenshot("member-terms", phone_too=False)
    member.press("Confirm the terms of reference")
    move_mission(secretariat, mission_url, MissionStatus.CONFIRMED)
    secretariat.screenshot("secretariat-mission", phone_too=False)

    with django_db_blocker.unblock():
        mission = Mission.objects.get(reference=reference)
        statuses = {
            a.expert.last_name: a.status
            for a in Assignment.objects.filter(slot__mission=mission).select_related("expert")
        }
    assert mission.status == MissionStatus.CONFIRMED, secretariat.flash()
    assert statuses == {"Fontaine": AssignmentStatus.CONFIRMED}

    assert mission.start is not None
    month = f"/missions/calendar/?month={mission.start:%Y-%m}"
    for person in (member, expert, secretariat):
        person.go(month)
        person.screenshot(f"{person.username}-calendar", phone_too=False)
        shown = person.main.inner_text()
        assert reference in shown or title in shown, f"{reference} not on {person.username}'s"

    for username in ("regional", "donor"):
        other = journey.person(username)
        other.screenshot(f"{username}-home")
        other.go(month)
        other.close()
    for person in (member, secretariat, lender, expert):
        person.close()
    report = os.environ.get("RENFORT_BROWSER_REPORT")
    if report:  # every problem of every run, for a person to read
        with open(report, "a", encoding="utf-8") as out:
            out.writelines(f"{p}\n" for p in journey.problems)
            out.write(f"# {lang}-{screen}: axe took {journey.axe_seconds:.1f} s\n")
    assert not journey.problems, "\n".join(journey.problems)


def submit_request_with_keyboard(
    member: Person, title: str, start: datetime.date, end: datetime.date
) -> str:
    """The request form completed with Tab, typing, Space and Enter only: no clicks."""
    lang, page, form = member.lang, member.page, member.main
    member.go("/requests/new/")
    member.screenshot("member-request-form", phone_too=False)
    keyboard = page.keyboard

    member.tab_to(form.get_by_label(labelled(say(lang, "Title"))))
    keyboard.type(title)
    member.tab_to(form.get_by_role("checkbox", name=exactly(say(lang, "Risk management"))))
    keyboard.press("Space")
    level = form.get_by_label(labelled(say(lang, "Level")))
    member.tab_to(level)
    keyboard.type(type_ahead(say(lang, "Operational")))
    assert level.input_value() == "operational"
    member.tab_to(form.get_by_label(labelled(say(lang, "Needs"))))
    keyboard.type("Train twelve risk analysts in targeting and profiling.")
    for name, day in (("Preferred period from", start), ("Preferred period to", end)):
        member.tab_to(form.get_by_label(labelled(say(lang, name))))
        keyboard.type(f"{day:%m%d%Y}")  # the browser's date fields: month, day, year
        assert form.get_by_label(labelled(say(lang, name))).input_value() == day.isoformat()
    language = form.get_by_label(labelled(say(lang, "Language")))
    member.tab_to(language)
    keyboard.type(type_ahead(say(lang, "French")))
    assert language.input_value() == "fr"
    assert form.get_by_label(labelled(say(lang, "Title"))).input_value() == title
    member.tab_to(form.get_by_role("button", name=exactly(say(lang, "Submit the request"))))
    with page.expect_navigation() as landed:
        keyboard.press("Enter")
    member.answered(landed.value)
    member.check()
    assert re.search(r"/requests/\d+/$", page.url), member.flash()
    assert title in member.main.inner_text()
    return page.url


def type_ahead(label: str) -> str:
    """What to type on a focused select to choose ``label``: its first plain letters (a key
    such as "é" is inserted as text, which a select ignores and passes on)."""
    found = re.match(r"[A-Za-z]+", label)
    assert found, label
    return found.group(0)


def appraise_and_accept(secretariat: Person, request_url: str) -> tuple[str, str]:
    """Start the appraisal, accept the request: a draft mission is made."""
    secretariat.go(request_url)
    secretariat.press("Start the appraisal", "Start appraisal")
    secretariat.go(request_url)
    secretariat.press("Accept the request", "Accept")
    page = secretariat.page
    assert re.search(r"/missions/\d+/$", page.url), secretariat.flash()
    found = re.search(r"M-\d{4}-\d+", secretariat.main.get_by_role("heading", level=1).inner_text())
    assert found, page.url
    return page.url.removeprefix(secretariat.journey.base_url), found.group(0)


def plan_and_accept_proposal(secretariat: Person, reference: str) -> None:
    """Run the planner on the new mission (one second), make sure the demo expert is the one
    proposed (swapping her in if the planner chose another), accept the proposal."""
    lang, main = secretariat.lang, secretariat.main
    secretariat.go("/planner/new/")
    # The missions to plan: a searchable select (combobox) fed by the server.
    main.get_by_role("combobox", name=labelled(say(lang, "Missions"))).fill(reference)
    main.get_by_role("option", name=re.compile(re.escape(reference))).click()
    main.get_by_label(labelled(say(lang, "Time limit (seconds)"))).fill("1")
    secretariat.press("Start the planner")
    row = main.get_by_role("row").filter(has_text=reference)
    if EXPERT_NAME not in row.inner_text():
        with secretariat.page.expect_navigation():
            row.get_by_role(
                "link", name=exactly(say(lang, "Swap the expert"), say(lang, "Swap"))
            ).click()
        secretariat.check()
        main.get_by_label(re.compile("^" + EXPERT_NAME)).check()
        secretariat.press("Swap the expert", "Swap")
        row = main.get_by_role("row").filter(has_text=reference)
    assert EXPERT_NAME in row.inner_text(), secretariat.flash()
    secretariat.screenshot("secretariat-planner-run", phone_too=False, at=row)
    row.get_by_role("checkbox").check()
    secretariat.press("Accept the ticked proposals", "Accept ticked proposals")


def move_mission(secretariat: Person, mission_url: str, status: MissionStatus) -> None:
    """Move the mission on with its verb button, or the "Change status" form."""
    lang, main = secretariat.lang, secretariat.main
    secretariat.go(mission_url)
    verbs = secretariat.journey.any_of(*MISSION_VERBS[status])
    if main.get_by_role("button", name=verbs).count():
        secretariat.press(*MISSION_VERBS[status])
    else:
        main.get_by_label(labelled(say(lang, "New status"))).select_option(
            label=say(lang, str(status.label))
        )
        secretariat.press("Change status")
    heading = main.get_by_role("heading", level=1).inner_text()
    assert say(lang, str(status.label)) in heading, secretariat.flash()
