"""Pages fit the screen in real headless Chromium: nothing runs off a phone's 390 px, and the
top bar keeps its buttons reachable however long the user's name and role are."""

from __future__ import annotations

import re

import pytest

from parindex.web.appraisal import services as appraisal

from .conftest import PASSWORD
from .test_cycle_services import submit_all
from .test_results_browser import browser  # noqa: F401  (the Chromium fixture)

LONG_NAME = "Phan Hữu Hùng (Tổ thẩm định khối sở, ban, ngành và cơ quan Trung ương)"


def _login(context, base: str, username: str):
    page = context.new_page()
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))
    return page


def _fits(page, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url}: {overflow} px wide on a {width} px screen"
    logout = page.get_by_role("button", name="Đăng xuất").bounding_box()
    assert logout is not None and logout["x"] + logout["width"] <= width, page.url


@pytest.fixture
def cycle(live_world):
    w = live_world
    w.appraiser.full_name = LONG_NAME
    w.appraiser.save(update_fields=["full_name"])
    submit_all(w)
    appraisal.explanation_request(
        actor=w.appraiser, leaf=w.leaf("2.1"), question="Đề nghị gửi báo cáo quý IV"
    )
    return w


def test_pages_fit_a_phone_screen(browser, live_server, cycle):  # noqa: F811
    w, base = cycle, live_server.url
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(base + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    a = w.a_stp.pk
    page = _login(context, base, w.officer.username)
    for path in ("/dashboard/", f"/assessments/{a}/", f"/appraisal/{a}/explanations/"):
        page.goto(base + path)
        _fits(page, 390)
    context.clear_cookies()

    page = _login(context, base, w.appraiser.username)
    for path in ("/dashboard/", "/appraisal/", f"/appraisal/{a}/"):
        page.goto(base + path)
        _fits(page, 390)
    context.clear_cookies()

    page = _login(context, base, w.admin.username)
    for path in (f"/periods/{w.period.pk}/", "/units/", "/periods/methodologies/"):
        page.goto(base + path)
        _fits(page, 390)
    context.close()


def test_the_top_bar_stays_one_line_with_a_long_name(browser, live_server, cycle):  # noqa: F811
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    page = _login(context, live_server.url, cycle.appraiser.username)

    bar = page.locator("nav.navbar").bounding_box()
    assert bar is not None and bar["height"] < 70  # one line (two lines measure ~100 px)
    who = page.locator("nav .who")
    assert LONG_NAME in (who.get_attribute("title") or "")  # the whole text, on hover
    _fits(page, 1280)
    context.close()
