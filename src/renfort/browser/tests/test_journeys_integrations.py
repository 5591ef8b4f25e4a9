"""The integration pages of issue 13, in Chromium, at phone width (390 × 844).

- ``/api-tokens/``: the member focal point makes a token (its secret shown once), sees it
  listed and revokes it after the confirmation step; the secretariat reaches the page after
  its second step.
- ``/feeds/`` (in French): the member makes a feed of their administration, copies its
  address with the button (static script), the address answers anonymously with a calendar
  that parses, the feed is revoked and its address stops answering.
- ``/imports/``: the member downloads the CSV template, uploads a file with one bad row (the
  check names its line and column, nothing is written), then a good file, confirms, done.
- ``/api/v1/docs``: Swagger UI renders its operations from the server alone.

Every page is checked as in ``test_journeys``: axe-core, console errors, Content Security
Policy violations, English on a French page; and here also no sideways scrolling.
"""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

try:
    import playwright.sync_api
except ImportError:  # pragma: no cover - depends on the machine
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

from icalendar import Calendar
from playwright.sync_api import FilePayload, expect

from renfort.api.models import ApiToken
from renfort.browser.tests.browsing import VIEWPORTS, Journey, Person, exactly, labelled
from renfort.browser.tests.preconditions import Demo
from renfort.feeds.models import CalendarFeed
from renfort.roster.models import Expert

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What axe finds in Swagger UI's own markup (a third-party bundle, not Renfort's templates):
# its method badges' contrast, its summary button holding the copy button, its small path
# links. Reported, not failed on; the rest of the page is checked as any other.
SWAGGER_KNOWN = ("axe color-contrast", "axe nested-interactive", "axe target-size")
DEMO_MEMBER_CODE = "KE"  # the demo member focal point's administration (demo/context.py)


def fits_the_screen(person: Person) -> None:
    """No sideways scrolling on this page at the run's width."""
    wide, screen = person.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if wide > screen:
        path = urlsplit(person.page.url).path
        person.journey.problems.append(
            f"{path} ({person.lang}, {person.journey.screen}): scrolls sideways "
            f"({wide} px wide on a {screen} px screen)"
        )


def visit(person: Person, path: str) -> None:
    person.go(path)
    fits_the_screen(person)


def finish(journey: Journey, *people: Person) -> None:
    for person in people:
        fits_the_screen(person)
        person.close()
    assert not journey.problems, "\n".join(journey.problems)


def test_api_tokens_made_listed_and_revoked(
    demo: Demo, chromium: Any, django_db_blocker: Any
) -> None:
    journey = Journey(chromium, demo.url, "en", "phone")
    member = journey.person("member")
    page, main = member.page, member.main
    name = f"Browser journey {uuid.uuid4().hex[:6]}"
    visit(member, "/api-tokens/")
    main.get_by_label(labelled(journey.say("Name"))).fill(name)
    member.press("Make a token")
    fits_the_screen(member)
    secret = main.get_by_label(labelled(journey.say("Your new token"))).input_value()
    assert len(secret) > 20, member.flash()
    with django_db_blocker.unblock():
        token = ApiToken.objects.get(name=name, owner__username="member")
    assert secret not in (token.prefix, name)
    # The secret works, and is not shown again.
    answer = page.request.get("/api/v1/", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200, answer.text()
    visit(member, "/api-tokens/")
    assert secret not in page.content()
    row = main.get_by_role("row").filter(has_text=name)
    assert token.prefix in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("button", name=exactly(journey.say("Revoke “%(name)s”", name=name))).click()
    member.check()
    fits_the_screen(member)
    member.confirm_if_asked()
    with django_db_blocker.unblock():
        token.refresh_from_db()
    assert token.revoked_at is not None, member.flash()
    assert "/api-tokens/" in page.url
    # The secretariat reaches the page after its second step.
    secretariat = journey.person("secretariat")
    visit(secretariat, "/api-tokens/")
    assert urlsplit(secretariat.page.url).path == "/api-tokens/"
    finish(journey, member, secretariat)


def test_calendar_feed_in_french(demo: Demo, chromium: Any, django_db_blocker: Any) -> None:
    journey = Journey(chromium, demo.url, "fr", "phone")
    member = journey.person("member")
    page, main = member.page, member.main
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo.url)
    visit(member, "/feeds/")
    form = main.locator("form").filter(
        has=page.get_by_label(labelled(journey.say("Member administration")))
    )
    member.press("Create the feed", scope=form)
    fits_the_screen(member)
    with django_db_blocker.unblock():
        feed = CalendarFeed.objects.filter(owner__username="member").latest("pk")
    card = main.get_by_role("listitem").filter(has=page.locator(f"#feed-address-{feed.pk}"))
    address = card.get_by_label(labelled(journey.say("Address of the feed"))).input_value()
    assert re.search(r"/feeds/[^/]+\.ics$", address), address
    copy = card.get_by_role("button", name=exactly(journey.say("Copy the address")))
    page.bring_to_front()
    copy.click()
    status = card.locator(f'[data-copy-status="feed-address-{feed.pk}"]')
    # The clipboard answers asynchronously: wait for the button's sentence.
    expect(status).to_have_text(journey.say("Address copied."))
    assert page.evaluate("navigator.clipboard.readText()") == address
    # Anyone with the address reads the calendar, without signing in.
    anonymous = chromium.new_context()
    try:
        answer = anonymous.request.get(address)
        assert answer.status == 200, answer.text()
        assert answer.headers["content-type"].startswith("text/calendar")
        calendar = Calendar.from_ical(answer.body())
        assert calendar.name == "VCALENDAR"
        member.press("Revoke the feed", scope=card)
        with django_db_blocker.unblock():
            assert not CalendarFeed.objects.filter(pk=feed.pk, revoked_at=None).exists()
        assert anonymous.request.get(address).status in (404, 410)
    finally:
        anonymous.close()
    finish(journey, member)


def _csv(rows: list[dict[str, str]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_import_experts_bad_then_good(demo: Demo, chromium: Any, django_db_blocker: Any) -> None:
    journey = Journey(chromium, demo.url, "en", "phone")
    member = journey.person("member")
    page, main = member.page, member.main
    visit(member, "/imports/")
    with page.expect_navigation():
        main.get_by_role("link", name=exactly(journey.say("Experts"))).click()
    member.check()
    fits_the_screen(member)
    with page.expect_download() as downloading:
        main.get_by_role("link", name=exactly(journey.say("CSV template"))).click()
    template = Path(downloading.value.path()).read_text(encoding="utf-8-sig")
    header, example = list(csv.DictReader(io.StringIO(template))), None
    example = header[0]
    columns = list(example)
    assert "home_administration" in columns and "languages" in columns, columns
    tag = uuid.uuid4().hex[:6]
    good = {
        **example,
        "home_administration": DEMO_MEMBER_CODE,
        "email": f"browser.{tag}@example.org",
        "staff_number": f"KE-{tag}",
        "first_name": "Wanjiru",
        "last_name": f"Journey{tag}",
    }
    bad = {**good, "email": f"other.{tag}@example.org", "staff_number": "", "languages": ""}

    def upload(content: bytes, name: str) -> None:
        payload: FilePayload = {"name": name, "mimeType": "text/csv", "buffer": content}
        main.locator("input[type=file]").set_input_files(files=[payload])
        member.press("Check the file")
        fits_the_screen(member)

    upload(_csv([good, bad], columns), "experts-bad.csv")
    errors = main.get_by_role("row").filter(has=page.locator("code", has_text="languages"))
    assert errors.count() == 1, main.inner_text()
    assert errors.get_by_role("cell").first.inner_text().strip() == "3"
    with django_db_blocker.unblock():
        assert not Expert.objects.filter(last_name=f"Journey{tag}").exists()
    with page.expect_navigation():
        main.get_by_role("link", name=exactly(journey.say("Upload a corrected file"))).click()
    member.check()
    upload(_csv([good], columns), "experts-good.csv")
    member.press("Import this file")
    fits_the_screen(member)
    with django_db_blocker.unblock():
        assert Expert.objects.filter(last_name=f"Journey{tag}").exists(), member.flash()
    finish(journey, member)


def test_api_docs_render_locally(demo: Demo, chromium: Any) -> None:
    journey = Journey(chromium, demo.url, "en", "phone")
    member = journey.person("member")
    page = member.page
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(demo.url) and not r.url.startswith("data:")
            else None
        ),
    )
    visit(member, "/api/v1/docs")
    try:
        page.locator(".opblock").first.wait_for()
    except playwright.sync_api.TimeoutError:
        raise AssertionError(
            "Swagger UI shows no operation:\n" + "\n".join([*journey.problems, *member.errors])
        ) from None
    assert page.locator(".opblock").count() > 5
    member.check(after="rendering")
    known = [
        p
        for p in journey.problems
        if p.startswith("/api/v1/docs") and any(k in p for k in SWAGGER_KNOWN)
    ]
    for problem in known:
        journey.problems.remove(problem)
        warnings.warn(f"Swagger UI: {problem}", stacklevel=1)
    fits_the_screen(member)
    assert not outside, outside
    assert page.viewport_size == VIEWPORTS["phone"]
    finish(journey, member)
