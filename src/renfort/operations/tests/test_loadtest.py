"""The load benchmark's client keeps working: a few seconds against the live test server, and
its bounds (loopback only, a request budget) and its report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfort.accounts.two_factor import current_code, new_key
from renfort.operations.loadtest import (
    Account,
    Budget,
    LoadTestRefused,
    loopback_origin,
    make_walkers,
)
from renfort.operations.loadtest_pages import PAGES
from renfort.operations.loadtest_report import (
    RunResult,
    percentile,
    render,
    runs_in,
    write_section,
)
from renfort.operations.loadtest_run import Plan, run
from renfort.operations.loadtest_server import (
    WORKERS,
    machine_busy,
    processes_cpu_s,
    server_env,
)
from renfort.testing import PASSWORD, make_personas, persona_mission


@pytest.mark.parametrize(
    "url",
    ["http://example.org/", "http://10.0.0.1:8000", "https://127.0.0.1:8000", "http://", "ftp://x"],
)
def test_only_plain_http_on_the_loopback_is_driven(url: str) -> None:
    with pytest.raises(LoadTestRefused):
        loopback_origin(url)


def test_loopback_addresses_are_accepted() -> None:
    assert loopback_origin("http://127.0.0.1:8123/") == ("127.0.0.1", 8123)
    assert loopback_origin("http://localhost") == ("localhost", 80)
    assert loopback_origin("http://[::1]:9000") == ("::1", 9000)


def test_a_plan_out_of_bounds_is_refused() -> None:
    account = Account("member", "member", PASSWORD)
    for plan in (
        Plan(url="http://127.0.0.1:1", accounts=[]),
        Plan(url="http://127.0.0.1:1", accounts=[account], warm_up=60, measure=3600),
        Plan(url="http://127.0.0.1:1", accounts=[account], max_requests=10**7),
        Plan(url="http://127.0.0.1:1", accounts=[account], pause=(3, 1)),
        Plan(url="http://192.168.1.1:1", accounts=[account]),
    ):
        with pytest.raises(LoadTestRefused):
            plan.check()


def test_the_budget_stops_every_thread_when_spent() -> None:
    budget = Budget(2)
    assert budget.take() and budget.take()
    assert not budget.take()
    assert budget.exhausted and budget.stop.is_set()


def test_percentiles_by_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (
        50,
        95,
        99,
    )
    assert percentile([], 95) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_client_signs_in_walks_the_pages_and_reports(live_server, tmp_path: Path) -> None:
    p = make_personas()
    mission = persona_mission(p)
    key = new_key()
    TOTPDevice.objects.create(user=p.secretariat, key=key, confirmed=True)
    secretariat = Account("secretariat", "secretariat", PASSWORD, lambda: current_code(key))
    accounts = [
        secretariat,
        Account("member", "member", PASSWORD),
        Account("expert", "expert", PASSWORD),
        secretariat,  # shares the first one's session: a code serves once per 30 s
    ]
    plan = Plan(
        url=live_server.url,
        accounts=accounts,
        warm_up=0.3,
        measure=3,
        pause=(0, 0.05),
        closed_clients=2,
        closed_seconds=0.3,
        closed_warm_up=0,
        closed_pages=("home", "mission detail"),
        max_requests=400,
    )
    # A detail page is one of the links its list showed.
    host, port = plan.check()
    walker = make_walkers(accounts[1:2], host, port, Budget(10), seed=1)[0]
    assert walker.visit(PAGES["mission detail"]) is None  # no list seen yet
    listed = walker.visit(PAGES["mission list"])
    detail = walker.visit(PAGES["mission detail"])
    assert listed is not None and listed.status == 200
    assert detail is not None and detail.status == 200 and detail.size > 1000
    assert walker.links["mission detail"] == [f"/missions/{mission.pk}/"]
    walker.browser.close()

    result = run(plan, label="demo", data={"missions": 1})

    pages = {f.page: f for f in result.open_pages}
    assert "home" in pages and len(pages) >= 3
    assert [f.page for f in result.open_pages if f.errors] == []
    assert all(f.p50_ms <= f.p95_ms <= f.p99_ms and f.per_s > 0 for f in pages.values())
    assert "home" in {f.page for f in result.closed_pages}
    assert 0 <= result.cpu["generator"] < 1

    folder = tmp_path / "loadtest"
    result.save(folder)
    RunResult(**{**result.__dict__, "label": "ten-years"}).save(folder)
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\n## Bounded pages\n\nKept.\n\n## Load\n\nold\n\n## After\n")
    write_section(doc, render(runs_in(folder)))
    text = doc.read_text()
    assert "## Bounded pages\n\nKept." in text and "## After" in text and "old" not in text
    assert "| mission detail | detail (200 ms) |" in text
    assert "ten-years: p50 / p95 / p99 ms" in text
    write_section(doc, render(runs_in(folder)))
    assert doc.read_text() == text


def test_the_server_runs_with_production_settings_and_its_cpu_is_read() -> None:
    env = server_env({"DEBUG": "true", "PATH": "/bin"})
    assert env["DEBUG"] == "false" and env["RENFORT_TRUSTED_PROXIES"] == "1"
    assert env["SECRET_KEY"] and env["WEB_CONCURRENCY"] == str(WORKERS) and env["PATH"] == "/bin"
    assert processes_cpu_s([os.getpid()]) > 0
    busy, total = machine_busy()
    assert 0 <= busy <= total
