"""The scorecard in real headless Chromium: the chart is drawn by the plotly.js served by the
application (no request leaves the server), and clicking a number shows its trace (htmx)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from parindex.web.periods.models import PeriodState
from parindex.web.results.services import period_publish

from .conftest import PASSWORD
from .test_results import _period, _record, run_to_final

CHROMIUM = os.environ.get("PARINDEX_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("PARINDEX_SHOTS", "test-artifacts/screenshots/results")).resolve()

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Không thấy Chromium ở {CHROMIUM}: cài bằng 'apt-get install -y chromium' "
            "hoặc đặt PARINDEX_CHROMIUM."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


def test_unit_head_reads_the_scorecard_chart_and_a_trace(browser, live_server, live_world):
    w = run_to_final(live_world)
    period_publish(actor=w.admin, period=w.period)
    earlier = _period(2025, PeriodState.PUBLISHED)
    _record(earlier, w.stp, rank=2, index="70.5")
    _record(earlier, w.syt, rank=1, index="80")
    base = live_server.url
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def block(route):
        outside.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!" + re.escape(base) + ").*"), block)
    page = context.new_page()
    page.goto(base + "/login/")
    page.fill("#id_username", w.head.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))

    page.goto(f"{base}/results/{w.period.pk}/")
    assert page.locator('tr[data-unit="STP"] [data-role=rank-change]').inner_text() == "↑1"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "bang-xep-hang.png"), full_page=True)
    page.get_by_role("link", name="Sở Tư pháp").click()
    page.wait_for_selector("#area-chart .main-svg")  # drawn by plotly.js
    assert page.locator("#area-chart .bars .point").count() == 3
    page.locator('[data-role=lost] tr[data-node="2.1"] a').first.click()
    trace = page.locator("#trace-panel [data-role=trace]")
    trace.wait_for()
    assert "2.1 Tỷ lệ hồ sơ đúng hạn" in trace.inner_text()
    assert "3,72 / 4,00" in trace.inner_text()
    assert page.url.endswith(f"/results/{w.period.pk}/unit/STP/")  # no navigation: a partial
    page.screenshot(path=str(SHOTS / "phieu-diem-don-vi.png"), full_page=True)
    context.close()
    assert outside == []
