"""The whole cycle in real headless Chromium (Debian's, driven by Playwright; no download).

A unit officer fills inputs, attaches a PDF and cites a decision; the head submits; an
appraiser lowers one score with a remark and requests an explanation; the unit answers with
new evidence; the appraiser decides; the administrator finalizes and publishes; an anonymous
visitor sees the ranking. A screenshot of each step goes to ``SHOTS`` (printed).
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import PASSWORD

CHROMIUM = os.environ.get("PARINDEX_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("PARINDEX_SHOTS", "test-artifacts/screenshots/journey")).resolve()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# between browser steps are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Không thấy Chromium ở {CHROMIUM}: cài bằng 'apt-get install -y chromium' "
            "(.ci/run làm việc này) hoặc đặt PARINDEX_CHROMIUM."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


class Steps:
    def __init__(self, browser, base: str):
        self.browser, self.base, self.n = browser, base, 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page = None

    def login(self, username: str):
        if self.page is not None:
            self.page.context.close()
        context = self.browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        # a closed network: any request off the live server is a failure
        context.route(re.compile(r"^(?!" + re.escape(self.base) + ").*"), lambda r: r.abort())
        self.page = context.new_page()
        if username:
            self.page.goto(self.base + "/login/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", PASSWORD)
            self.page.locator("main").get_by_role("button", name="Đăng nhập").click()
            self.page.wait_for_url(re.compile(r".*/dashboard/"))
        return self.page

    def shot(self, name: str):
        self.n += 1
        self.page.screenshot(path=str(SHOTS / f"{self.n:02d}-{name}.png"), full_page=True)


def leaf(page, code):
    return page.locator(f'.leaf[data-code="{code}"]')


def open_area(page, code):
    """Open a closed area of the self-assessment page: its leaves load from the server."""
    page.locator(f'details[data-area="{code}"] > summary').click()
    page.wait_for_selector(f'details[data-area="{code}"] .leaf')


def test_the_assessment_cycle_in_a_browser(browser, live_server, live_world, tmp_path):
    w = live_world
    print(f"\nẢnh chụp màn hình: {SHOTS}")
    s = Steps(browser, live_server.url)
    pdf = tmp_path / "ke-hoach-cchc-2026.pdf"
    pdf.write_bytes(PDF)

    # 1. the officer fills inputs; points appear live (computed by the server)
    page = s.login("stp.canbo")
    page.goto(f"{live_server.url}/assessments/{w.a_stp.pk}/")
    l11 = leaf(page, "1.1")
    l11.locator("select").select_option("on_time")
    l11.get_by_role("button", name="Lưu").click()
    page.wait_for_selector('.leaf[data-code="1.1"] [data-role=self-points]:has-text("1,00")')
    l12 = leaf(page, "1.2")
    inputs = l12.locator("input[name^=in_]")
    inputs.nth(0).fill("8")
    inputs.nth(1).fill("10")
    page.wait_for_selector('.leaf[data-code="1.2"] [data-role=preview-points]:has-text("2,00")')
    s.shot("can-bo-nhap-lieu-diem-tinh-ngay")
    leaf(page, "1.2").get_by_role("button", name="Lưu").click()
    page.wait_for_selector('.leaf[data-code="1.2"] [data-role=self-points]:has-text("2,00")')
    # area 2 is closed: opening it loads its leaves
    assert page.locator('.leaf[data-code="2.1"]').count() == 0
    open_area(page, "2")
    l21 = leaf(page, "2.1")
    l21.locator("input[name^=in_]").fill("90")
    l21.get_by_role("button", name="Lưu").click()
    page.wait_for_selector('.leaf[data-code="2.1"] [data-role=self-points]:has-text("3,60")')
    # the progress figures follow every save: 3 of 7 leaves, 1 + 2 + 3.60 points
    page.wait_for_selector("[data-role=progress]:has-text('3/7')")
    page.wait_for_selector("[data-role=claimed]:has-text('6,60')")

    # attach a PDF and cite a decision on 1.1
    leaf(page, "1.1").locator("summary", has_text="Thêm tài liệu kiểm chứng").click()
    leaf(page, "1.1").locator("input[type=file]").set_input_files(str(pdf))
    leaf(page, "1.1").get_by_role("button", name="Tải lên").click()
    page.wait_for_selector(
        '.leaf[data-code="1.1"] [data-role=evidence]:has-text("ke-hoach-cchc-2026.pdf")'
    )
    leaf(page, "1.1").locator("summary", has_text="Thêm tài liệu kiểm chứng").click()
    form = leaf(page, "1.1").locator("form", has=page.locator("input[value=document]"))
    form.locator("[name=doc_number]").fill("15/KH-UBND")
    form.locator("[name=doc_date]").fill("20/01/2026")
    form.locator("[name=issuer]").fill("UBND tỉnh")
    form.locator("[name=summary]").fill("Kế hoạch cải cách hành chính năm 2026")
    form.get_by_role("button", name="Thêm văn bản").click()
    page.wait_for_selector('.leaf[data-code="1.1"] [data-role=evidence]:has-text("15/KH-UBND")')
    s.shot("can-bo-dinh-kem-pdf-va-trich-dan-van-ban")

    # 2. the head submits, acknowledging the checklist
    page = s.login("stp.lanhdao")
    page.goto(f"{live_server.url}/assessments/{w.a_stp.pk}/submit/")
    s.shot("lanh-dao-xem-danh-sach-kiem-tra")
    page.check("#ack")
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_selector("[data-role=assessment-state]:has-text('Đã gửi')")
    s.shot("lanh-dao-da-gui")

    # 3. the appraiser lowers 2.1 with a remark and requests an explanation
    page = s.login("thamdinh")
    page.goto(f"{live_server.url}/appraisal/")
    page.get_by_role("link", name="Sở Tư pháp").click()
    open_area(page, "2")
    l21 = leaf(page, "2.1")
    l21.locator("input[name^=in_]").first.fill("50")
    l21.locator("[name=remark]").first.fill("Hệ thống một cửa ghi nhận 50 % hồ sơ đúng hạn")
    l21.get_by_role("button", name="Lưu điểm thẩm định").click()
    page.wait_for_selector('.leaf[data-code="2.1"] [data-role=appraised-points]:has-text("2,00")')
    leaf(page, "2.1").locator("[name=question]").fill("Đề nghị gửi báo cáo thống kê hồ sơ quý IV")
    leaf(page, "2.1").get_by_role("button", name="Yêu cầu giải trình").click()
    page.wait_for_selector('.leaf[data-code="2.1"] .badge:has-text("Chờ đơn vị giải trình")')
    s.shot("tham-dinh-ha-diem-va-yeu-cau-giai-trinh")

    # 4. the unit adds new evidence and answers in the thread
    page = s.login("stp.canbo")
    page.goto(f"{live_server.url}/appraisal/{w.a_stp.pk}/explanations/")
    page.get_by_role("link", name="Mở tiêu chí này trên trang tự đánh giá").click()
    page.wait_for_selector('details[data-area="2"][open] .leaf[data-code="2.1"]')
    report = tmp_path / "bao-cao-ho-so-quy-IV.pdf"
    report.write_bytes(PDF + b"% quy IV\n")
    leaf(page, "2.1").locator("summary", has_text="Thêm tài liệu kiểm chứng").click()
    leaf(page, "2.1").locator("input[type=file]").set_input_files(str(report))
    leaf(page, "2.1").get_by_role("button", name="Tải lên").click()
    page.wait_for_selector(
        '.leaf[data-code="2.1"] [data-role=evidence]:has-text("bao-cao-ho-so-quy-IV")'
    )
    page.goto(f"{live_server.url}/appraisal/{w.a_stp.pk}/explanations/")
    page.fill("[name=text]", "Theo báo cáo quý IV, 80 % hồ sơ được giải quyết đúng hạn.")
    page.get_by_label("bao-cao-ho-so-quy-IV.pdf").check()
    page.get_by_role("button", name="Gửi giải trình").click()
    page.wait_for_selector(".badge:has-text('Đơn vị đã giải trình')")
    s.shot("don-vi-giai-trinh")

    # 5. the appraiser decides
    page = s.login("thamdinh")
    page.goto(f"{live_server.url}/appraisal/{w.a_stp.pk}/")
    open_area(page, "2")
    decide = leaf(page, "2.1").locator("form", has=page.locator("[value=keep]"))
    decide.locator("input[name^=in_]").fill("80")
    decide.locator("[name=remark]").fill("Chấp nhận giải trình, báo cáo quý IV hợp lệ")
    decide.get_by_role("button", name="Kết luận với giá trị trên").click()
    page.wait_for_selector('.leaf[data-code="2.1"] [data-role=final-points]:has-text("3,20")')
    s.shot("tham-dinh-ket-luan")
    assert w.leaf("2.1").final_points == Decimal("3.20")

    # 6. the administrator finalizes and publishes
    page = s.login("quantri")
    page.goto(f"{live_server.url}/periods/{w.period.pk}/")
    page.get_by_role("button", name="Chuyển sang thẩm định").click()
    page.get_by_role("button", name="Chốt điểm và tính kết quả").click()
    page.wait_for_selector("[data-role=period-state]:has-text('Đã chốt điểm')")
    page.get_by_role("button", name="Công bố kết quả").click()
    page.wait_for_selector("[data-role=period-state]:has-text('Đã công bố')")
    s.shot("quan-tri-cong-bo")

    # 7. an anonymous visitor sees the ranking
    page = s.login("")
    page.goto(f"{live_server.url}/results/public/")
    page.get_by_role("link", name=w.period.name).click()
    page.wait_for_selector("text=Sở Tư pháp")
    s.shot("nguoi-dan-xem-xep-hang")
    body = page.content()
    assert "Sở Y tế" in body
    # STP: 1 + 2 + 3.20 (decided) = 6.20 of 10 applicable points (2.2, survey, bonus empty)
    assert "6,20" in body
    assert len(list(SHOTS.glob("*.png"))) >= 9
