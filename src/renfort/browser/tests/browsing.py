"""A person in the browser: signs in, chooses a language, visits pages, presses buttons.

Controls are found by their role and accessible name, and names are the project's own
msgids translated into the run's language (``say``), so a journey reads the same in English
and French and follows the translations. Every page visited is checked once per journey:
axe-core (WCAG 2.2 A/AA) finds nothing, no console error or uncaught exception happened, and
a French page shows none of the application's English (``english_on_page``).
"""

from __future__ import annotations

import functools
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import polib  # type: ignore[import-untyped, unused-ignore]
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Locator, Page, Response

from renfort.accounts.two_factor import current_code
from renfort.browser.tests.preconditions import axe_source
from renfort.demo.logins import TWO_FACTOR_DEMO_KEY

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORDS = {
    "secretariat": "secretariat-demo",
    "regional": "regional-demo",
    "member": "member-demo",
    "lender": "lender-demo",
    "donor": "donor-demo",
    "expert": "expert-demo",
}
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = {"en": "en-GB", "fr": "fr-FR"}
SCREENSHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# A phrase of the application's English: a literal stretch of a msgid, between its
# placeholders, long enough (four words and more) not to be met in what people typed by chance.
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>|\n")


@functools.cache
def english_phrases() -> tuple[str, ...]:
    """Stretches of the catalogue's English that French pages must never show."""
    phrases: set[str] = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if not entry.msgstr or entry.fuzzy or entry.msgstr == entry.msgid:
            continue
        for part in _PLACEHOLDER.split(entry.msgid):
            part = " ".join(part.split()).strip(" .,:;()“”\"'")
            long_enough = len(part) >= 20 and part.count(" ") >= 3
            if long_enough and part not in entry.msgstr and not _is_a_name(part):
                phrases.add(part)
    return tuple(sorted(phrases))


def _is_a_name(part: str) -> bool:
    """Title Case ("East & Southern Africa", "SAFE Framework of Standards"): the name of a
    region or topic, which people also write in their own titles and organisation names."""
    words = [w for w in part.split() if len(w) >= 4]
    return bool(words) and all(w[0].isupper() for w in words)


def english_on_page(text: str) -> list[str]:
    """The application's English phrases found in ``text`` (a French page's visible text)."""
    flat = " ".join(text.split())
    return [p for p in english_phrases() if p in flat]


_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""


def say(lang: str, msgid: str, **params: Any) -> str:
    """``msgid`` as the pages show it in ``lang``."""
    with translation.override(lang):
        text = gettext(msgid)
    return text % params if params else text


def say_n(lang: str, singular: str, plural: str, n: int, **params: Any) -> str:
    with translation.override(lang):
        return ngettext(singular, plural, n) % {"n": n, **params}


def exactly(*names: str) -> re.Pattern[str]:
    """A name matching any of ``names`` exactly (whitespace around trimmed)."""
    return re.compile(r"^\s*(" + "|".join(re.escape(n) for n in names) + r")\s*$")


def labelled(*names: str) -> re.Pattern[str]:
    """A field's label: one of ``names``, maybe followed by the required mark or a hint in
    brackets ("Username *", "Reason (optional)")."""
    return re.compile(r"^\s*(" + "|".join(re.escape(n) for n in names) + r")(\s*[*(].*)?\s*$", re.S)


@dataclass
class Journey:
    """One run of the journeys: a language and a screen width; what it found."""

    browser: Browser
    base_url: str
    lang: str
    screen: str
    problems: list[str] = field(default_factory=list)
    checked: set[tuple[str, str]] = field(default_factory=set)
    axe_seconds: float = 0.0

    def person(self, username: str) -> Person:
        context = self.browser.new_context(
            viewport=VIEWPORTS[self.screen],  # type: ignore[arg-type]
            locale=LOCALES[self.lang],
            base_url=self.base_url,
        )
        context.set_default_timeout(15_000)
        person = Person(self, username, context.new_page())
        person.sign_in()
        return person

    def say(self, msgid: str, **params: Any) -> str:
        return say(self.lang, msgid, **params)

    def any_of(self, *msgids: str) -> re.Pattern[str]:
        """Names in the run's language: the wording the UX rules ask for first, then the
        current one (pages are being renamed: "Accept the request" for "Accept")."""
        return exactly(*(self.say(m) for m in msgids))


class Person:
    """One signed-in role in its own browser context."""

    def __init__(self, journey: Journey, username: str, page: Page) -> None:
        self.journey = journey
        self.username = username
        self.page = page
        self.lang = journey.lang
        self.errors: list[str] = []
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"console error: {m.text} ({m.location.get('url', '')})")
                if m.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        # A Content Security Policy violation fails the journey, whatever the console calls it;
        # the page also records each violation event (read by ``check``). Playwright's init
        # script is the browser's, not the page's: the policy does not apply to it.
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"CSP: {m.text}")
                if "Content Security Policy" in m.text and m.type != "error"
                else None
            ),
        )
        page.add_init_script(CSP_LISTENER)

    # --- moving around ------------------------------------------------------------------

    @property
    def main(self) -> Locator:
        return self.page.get_by_role("main")

    def sign_in(self) -> None:
        page = self.page
        page.goto("/accounts/login/")
        both = ("en", "fr")
        # Django's sign-in form labels its fields with the model's names ("nom d’utilisateur").
        for name_id, value in (("username", self.username), ("password", PASSWORDS[self.username])):
            names = [say(x, m) for x in both for m in (name_id, name_id.capitalize())]
            page.get_by_label(labelled(*(capfirst(n) for n in names))).fill(value)
        with page.expect_navigation() as landed:
            page.get_by_role("button", name=exactly(*(say(x, "Sign in") for x in both))).click()
        self.answered(landed.value)
        if urlsplit(page.url).path == "/accounts/two-factor/":
            self.second_step()
        self.use_language()
        self.check()

    def second_step(self) -> None:
        """The secretariat's second step, with the demo's published secret. A code is taken
        once: a later sign-in in the same 30 seconds uses the next one, and past that waits
        for a new one."""
        page = self.page
        both = ("en", "fr")
        # The device remembers the last time step it took a code of: aim past it (the device
        # takes the next step's code too), waiting only when even that one is taken, so that
        # no code is refused (a refused code is a 400, a console error the journey reports).
        device = TOTPDevice.objects.get(user__username=self.username, confirmed=True)
        step = device.step
        now_t = int(time.time() - device.t0) // step
        target_t = max(now_t, device.last_t + 1)
        if target_t > now_t + device.tolerance:
            time.sleep((target_t - device.tolerance) * step + device.t0 - time.time() + 0.5)
        for offset in (target_t * step + device.t0 + 1, None):
            if offset is None:
                time.sleep(31 - time.time() % 30)
                offset = time.time()
            code = current_code(TWO_FACTOR_DEMO_KEY, at=offset)
            page.get_by_label(labelled(*(say(x, "Code") for x in both))).fill(code)
            with page.expect_navigation() as landed:
                page.get_by_role(
                    "button", name=exactly(*(say(x, "Continue signing in") for x in both))
                ).click()
            if urlsplit(page.url).path != "/accounts/two-factor/":
                self.answered(landed.value)
                return
        raise AssertionError(f"the second step refused the demo code of {self.username}")

    def use_language(self) -> None:
        """Choose the run's language with the header form (the user keeps it as preference)."""
        page = self.page
        if page.locator("html").get_attribute("lang") == self.lang:
            return
        banner = page.get_by_role("banner")
        both = ("en", "fr")
        banner.get_by_label(labelled(*(say(x, "Language") for x in both))).select_option(self.lang)
        with page.expect_navigation():
            banner.get_by_role("button", name=exactly(*(say(x, "Switch") for x in both))).click()
        assert page.locator("html").get_attribute("lang") == self.lang

    def go(self, path: str) -> None:
        self.answered(self.page.goto(path))
        self.check()

    def answered(self, response: Response | None) -> None:
        """A page that fails ends the journey here, saying which and how."""
        if response is not None and response.status >= 400:
            raise AssertionError(
                f"{response.url} answered HTTP {response.status} to {self.username} "
                f"({self.lang}, {self.journey.screen})"
            )

    def press(self, *msgids: str, scope: Locator | None = None, reason: str = "") -> None:
        """Press the button named by the first of ``msgids`` that the page shows, then answer
        the confirmation step if the action asks one (with ``reason`` where it asks for one).
        A button of an htmx form swaps part of the page instead of loading another."""
        where = scope or self.main
        button = where.get_by_role("button", name=self.journey.any_of(*msgids)).first
        if button.evaluate("b => !!b.closest('[hx-post]')"):
            with self.page.expect_response(lambda r: r.request.method == "POST"):
                button.click()
            self.page.wait_for_load_state("networkidle")
            self.check(after=msgids[-1])
        else:
            with self.page.expect_navigation() as landed:
                button.click()
            self.answered(landed.value)
            self.check()
        self.confirm_if_asked(reason)

    def confirm_if_asked(self, reason: str = "") -> None:
        form = self.main.locator("form").filter(has=self.page.locator("input[name=confirmed]"))
        if not form.count():
            return
        reason_box = form.get_by_role("textbox")
        if reason_box.count():
            reason_box.fill(reason or "Browser journey")
        with self.page.expect_navigation():
            form.get_by_role("button").first.click()
        self.check()

    def flash(self) -> str:
        """The messages the last action left (status and alerts), for failure messages."""
        texts = self.main.get_by_role("status").all_inner_texts()
        texts += self.main.get_by_role("alert").all_inner_texts()
        return " | ".join(t.strip() for t in texts)

    def tab_to(self, target: Locator, limit: int = 250) -> None:
        """Move the keyboard focus to ``target`` with the Tab key alone."""
        for _ in range(limit):
            if target.evaluate("el => el === document.activeElement"):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {target} on {self.page.url}")

    # --- what every page must be ----------------------------------------------------------

    def check(self, after: str = "") -> None:
        """axe-core and the console on this page, once per path (and per htmx action that
        changed it, named by ``after``), language and width."""
        page = self.page
        page.wait_for_load_state("load")
        path = urlsplit(page.url).path
        step = f" after {after}" if after else ""
        where = f"{path}{step} ({self.lang}, {self.journey.screen}, {self.username})"
        problems = self.journey.problems
        problems.extend(f"{where}: {e}" for e in self.errors)
        self.errors.clear()
        violations = page.evaluate("window.__cspViolations ? window.__cspViolations.splice(0) : []")
        problems.extend(f"{where}: Content Security Policy violation: {v}" for v in violations)
        key = (self.username, f"{path} {after}")
        if key in self.journey.checked:
            return
        self.journey.checked.add(key)
        if self.lang == "fr":
            for phrase in english_on_page(page.inner_text("body")):
                problems.append(f"{where}: English on a French page: “{phrase}”")
        started = time.perf_counter()
        page.evaluate(axe_source())
        violations = page.evaluate(_AXE_RUN, AXE_TAGS)
        self.journey.axe_seconds += time.perf_counter() - started
        for v in violations:
            problems.append(
                f"{where}: axe {v['id']} ({v['impact']}): {v['help']} at {'; '.join(v['targets'])}"
            )

    def screenshot(self, name: str, *, phone_too: bool = True, at: Locator | None = None) -> None:
        """docs/screenshots/<name>-<lang>-<screen>.png, when RENFORT_SCREENSHOTS is set."""
        if not os.environ.get("RENFORT_SCREENSHOTS"):
            return
        if self.journey.screen == "phone" and not phone_too:
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.evaluate("window.scrollTo(0, 0)")  # axe scrolls while it checks
        if at is not None:
            at.scroll_into_view_if_needed()
        self.page.screenshot(
            path=SCREENSHOTS / f"{name}-{self.lang}-{self.journey.screen}.png", full_page=False
        )

    def close(self) -> None:
        self.check()
        self.page.context.close()
