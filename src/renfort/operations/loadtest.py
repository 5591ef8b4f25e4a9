"""The load benchmark's client (``renfort loadtest``, docs/performance.md "Load").

Simulated people sign in as the demo logins of each role and walk the main pages of their role,
pausing between requests; the figures of a warm-up are dropped. A closed loop then asks each
page with no pause from a few clients at once, for the most it can serve. Loopback only, and
bounded: in time (each phase's duration, a socket timeout) and in requests (``max_requests``).

Plain standard library (``http.client``, threads): the client must cost the machine it shares
with the server little, and the CPU it did cost is measured and reported.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import ip_address
from urllib.parse import urlencode, urlsplit

from renfort.operations.loadtest_pages import PAGES, Page, role_pages

LOOPBACK_NAMES = {"localhost"}
TIMEOUT_S = 30.0
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class LoadTestRefused(Exception):
    """A load test that must not run (a host off the loopback, a bad bound)."""


def loopback_origin(url: str) -> tuple[str, int]:
    """The host and port of ``url``, refused unless it is on the loopback interface."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "http":
        raise LoadTestRefused(f"{url}: only plain http on the loopback is driven.")
    try:
        loopback = host in LOOPBACK_NAMES or ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise LoadTestRefused(f"{url}: {host or 'no host'} is not a loopback address.")
    return host, parts.port or 80


@dataclass(frozen=True)
class Account:
    """A login a simulated person signs in with; ``code`` gives its second-step code, if any."""

    role: str
    username: str
    password: str
    code: Callable[[], str] | None = None


@dataclass
class Sample:
    page: str
    started: float
    seconds: float
    status: int
    size: int


class Budget:
    """How many requests are left, shared by every thread; ``stop`` ends a phase early."""

    def __init__(self, max_requests: int) -> None:
        self.left = max_requests
        self.exhausted = False
        self.stop = threading.Event()
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self.left <= 0:
                self.exhausted = True
                self.stop.set()
                return False
            self.left -= 1
            return True


class Browser:
    """One person's connection and cookies. Requests pass as through a TLS-terminating proxy
    (``X-Forwarded-Proto: https``): a server started with ``RENFORT_TRUSTED_PROXIES=1`` then runs
    its production code paths (secure cookies, no redirect to https)."""

    def __init__(self, host: str, port: int, budget: Budget) -> None:
        self.host, self.port, self.budget = host, port, budget
        self.origin = f"https://{host}:{port}" if port != 443 else f"https://{host}"
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.last_body = ""
        self.last_location = ""

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Sample:
        """One request, timed from sending to the last byte; ``status`` 0 when it failed."""
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Accept": "text/html",
            "Accept-Language": "en",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # No Origin header: a Referer alone passes Django's CSRF check whether or not the
            # server trusts the forwarded scheme (it checks a Referer only on https).
            headers["Referer"] = self.origin + path
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            if response.will_close:
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            return Sample("", started, time.monotonic() - started, 0, 0)
        sample = Sample("", started, time.monotonic() - started, response.status, len(content))
        self.last_body = content.decode("utf-8", "replace")
        self.last_location = response.headers.get("Location", "")
        return sample

    def _keep_cookies(self, lines: list[str]) -> None:
        for line in lines:
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=Thu, 01 Jan 1970" in line or value in {"", '""'}:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value

    def sign_in(self, account: Account) -> None:
        """Sign in through the pages, with the second step when the login has one."""
        login = "/accounts/login/"
        status = self._form(login, {"username": account.username, "password": account.password})
        if self.last_location.rstrip("/").endswith("/accounts/two-factor") or (
            "/two-factor/" in self.last_location
        ):
            if account.code is None:
                raise LoadTestRefused(f"{account.username} needs a second-step code.")
            for attempt in range(2):
                status = self._form("/accounts/two-factor/", {"code": account.code()})
                if status == 302:
                    break
                if attempt == 0:  # this time step's code was used already: wait for the next
                    time.sleep(30.5 - time.time() % 30)
            else:
                raise LoadTestRefused(f"{account.username}: the second step was refused.")
        elif not self.last_location or "/accounts/login/" in self.last_location:
            raise LoadTestRefused(f"{account.username}: signing in was refused ({status}).")

    def _form(self, path: str, fields: dict[str, str]) -> int:
        page = self.request("GET", path)
        token = CSRF_FIELD.search(getattr(self, "last_body", "") or "")
        if page.status != 200 or token is None:
            raise LoadTestRefused(f"{path} answered {page.status} without a form.")
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **fields}).status


@dataclass
class Walker:
    """A simulated person: a browser, the pages of their role, the links they have seen."""

    account: Account
    browser: Browser
    rng: random.Random
    pages: list[Page]
    links: dict[str, list[str]] = field(default_factory=dict)

    def path_for(self, page: Page) -> str | None:
        if page.path is not None:
            return page.path
        found = self.links.get(page.name) or []
        return self.rng.choice(found) if found else None

    def visit(self, page: Page) -> Sample | None:
        """Ask ``page`` (a detail page: one of the links its list showed); ``None`` when there
        is nothing to ask yet or the budget is spent."""
        path = self.path_for(page)
        if path is None or not self.browser.budget.take():
            return None
        sample = self.browser.request("GET", path)
        sample.page = page.name
        if sample.status == 200:
            body = self.browser.last_body
            for detail in PAGES.values():
                if detail.link_from == page.name and detail.link_pattern:
                    seen = sorted(set(re.findall(detail.link_pattern, body)))
                    if seen:
                        self.links[detail.name] = seen[:50]
        return sample


class Recorder:
    """The samples of a phase that started inside its measured window."""

    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self._lock = threading.Lock()
        self.window = (0.0, 0.0)

    def add(self, sample: Sample) -> None:
        start, end = self.window
        if start <= sample.started < end:
            with self._lock:
                self.samples.append(sample)


def make_walkers(
    accounts: list[Account], host: str, port: int, budget: Budget, seed: int
) -> list[Walker]:
    """Sign every simulated person in (one at a time; not measured). People sharing a login
    that has a second step share its session: its code serves once per 30 s."""
    walkers: list[Walker] = []
    shared: dict[str, dict[str, str]] = {}
    for n, account in enumerate(accounts):
        browser = Browser(host, port, budget)
        if account.code is not None and account.username in shared:
            browser.cookies = dict(shared[account.username])
        else:
            browser.sign_in(account)
            shared[account.username] = dict(browser.cookies)
        walkers.append(
            Walker(account, browser, random.Random(seed * 1000 + n), role_pages(account.role))
        )
    return walkers


def walk(
    walker: Walker,
    recorder: Recorder,
    *,
    until: float,
    pause: tuple[float, float],
    stop: threading.Event,
) -> None:
    """Walk the role's pages in order, again and again, pausing between requests, until
    ``until`` (monotonic). The first pause is random too, so people do not move in step."""
    stop.wait(walker.rng.uniform(0, pause[1]))
    n = walker.rng.randrange(len(walker.pages))
    while not stop.is_set() and time.monotonic() < until:
        page = walker.pages[n % len(walker.pages)]
        n += 1
        sample = walker.visit(page)
        if sample is None:
            continue
        recorder.add(sample)
        stop.wait(walker.rng.uniform(*pause))


def run_walkers(
    walkers: list[Walker], *, warm_up: float, measure: float, pause: tuple[float, float]
) -> tuple[list[Sample], float]:
    """The open phase: every walker in its own thread; returns the samples of the measured
    window and its length in seconds (shorter if the request budget ran out)."""
    recorder = Recorder()
    now = time.monotonic()
    recorder.window = (now + warm_up, now + warm_up + measure)
    stop = walkers[0].browser.budget.stop if walkers else threading.Event()
    threads = [
        threading.Thread(
            target=walk,
            args=(w, recorder),
            kwargs={"until": recorder.window[1], "pause": pause, "stop": stop},
            daemon=True,
        )
        for w in walkers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(warm_up + measure + TIMEOUT_S + pause[1] + 5)
    ended = min(time.monotonic(), recorder.window[1])
    return recorder.samples, max(ended - recorder.window[0], 1e-9)


def closed_loop(
    walkers: list[Walker], page: Page, *, clients: int, warm_up: float, measure: float
) -> tuple[list[Sample], float]:
    """The most ``page`` serves: ``clients`` threads ask it with no pause, each with the
    session of a walker of a role that has the page, after a short warm-up."""
    owners = [w for w in walkers if page in w.pages and w.path_for(page) is not None]
    if not owners:
        return [], 0.0
    recorder = Recorder()
    now = time.monotonic()
    recorder.window = (now + warm_up, now + warm_up + measure)
    stop = owners[0].browser.budget.stop

    def loop(k: int) -> None:
        owner = owners[k % len(owners)]
        browser = Browser(owner.browser.host, owner.browser.port, owner.browser.budget)
        browser.cookies = dict(owner.browser.cookies)
        me = Walker(owner.account, browser, random.Random(k), owner.pages, dict(owner.links))
        try:
            while not stop.is_set() and time.monotonic() < recorder.window[1]:
                sample = me.visit(page)
                if sample is None:
                    return
                recorder.add(sample)
        finally:
            browser.close()

    threads = [threading.Thread(target=loop, args=(k,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(warm_up + measure + TIMEOUT_S + 5)
    ended = min(time.monotonic(), recorder.window[1])
    return recorder.samples, max(ended - recorder.window[0], 1e-9)
