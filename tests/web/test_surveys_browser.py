"""A unit's survey results in real headless Chromium: the chart with its confidence intervals
is drawn by the plotly.js the application serves (no request leaves the server)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .conftest import PASSWORD
from .test_results_browser import browser  # noqa: F401 - the shared Chromium fixture
from .test_surveys import imported, previous_year

SHOTS = Path(os.environ.get("PARINDEX_SHOTS", "test-artifacts/screenshots/surveys")).resolve()

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_leader_reads_a_units_survey_chart_with_intervals(browser, live_server, live_world):  # noqa: F811
    w = live_world
    previous_year(w)
    si = imported(w, populations="STP, 1000")
    base = live_server.url
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def block(route):
        outside.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!" + re.escape(base) + ").*"), block)
    page = context.new_page()
    page.goto(base + "/login/")
    page.fill("#id_username", w.viewer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))

    page.goto(f"{base}/surveys/results/{si.pk}/")
    assert page.locator('tr[data-unit="STP"][data-small-sample="1"]').count() == 1
    assert page.locator('tr[data-unit="SYT"] [data-role=rank]').inner_text() == "1"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "xep-hang-khao-sat.png"), full_page=True)
    page.get_by_role("link", name="Sở Y tế").click()
    page.wait_for_selector("#groups-chart .main-svg")  # drawn by plotly.js
    assert page.locator("#groups-chart .bars .point").count() == 4  # 2 groups × this year, 2025
    assert page.locator("#groups-chart .errorbar").count() >= 2
    page.screenshot(path=str(SHOTS / "ket-qua-khao-sat-don-vi.png"), full_page=True)
    context.close()
    assert outside == []
