"""Error answers are Vietnamese (English with the cookie), specific, and never a 500 for input:
a NUL character anywhere in a request is refused before any view runs (PostgreSQL cannot store
it; it used to surface as a 500)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

NUL_MESSAGE = "Dữ liệu gửi lên có ký tự NUL (mã 0), không hợp lệ; không có gì được lưu."


def test_a_nul_in_a_form_is_refused_and_nothing_is_saved(client, world):
    client.force_login(world.officer)
    url = reverse("assessment-leaf", args=[world.a_stp.pk, "2.1"])

    page = client.post(url, {"in_value": "80", "note": "a\x00b", "version": 1})
    part = client.post(
        url, {"in_value": "80", "note": "a\x00b", "version": 1}, HTTP_HX_REQUEST="true"
    )

    assert page.status_code == 400 and NUL_MESSAGE in page.content.decode()
    assert "<html" in page.content.decode()  # a whole page, with the navigation
    assert part.status_code == 400 and NUL_MESSAGE in part.content.decode()
    assert "<html" not in part.content.decode()  # htmx swaps the message into the card
    leaf = world.leaf("2.1")
    assert (leaf.self_points, leaf.self_note, leaf.version) == (None, "", 1)


@pytest.mark.parametrize(
    "url",
    [
        "/assessments/{pk}/leaf/2.1%00/",  # in the address
        "/assessments/{pk}/?area=1%00",  # in the query
        "/periods/{period}/?q=%00",
    ],
)
def test_a_nul_in_the_address_or_query_is_refused(client, world, url):
    client.force_login(world.admin)
    response = client.get(url.format(pk=world.a_stp.pk, period=world.period.pk))
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_nul_in_an_api_query_gets_a_json_error(client, world):
    response = client.get("/api/v1/periods/?page=1%00")
    assert response.status_code == 400
    assert response.json() == {"error": NUL_MESSAGE}


def test_not_found_is_vietnamese_or_english_with_the_cookie(client, world):
    client.force_login(world.other_officer)
    url = reverse("assessment", args=[world.a_stp.pk])  # another unit's draft

    vi = client.get(url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(url)

    assert vi.status_code == en.status_code == 404
    assert "Trang này không có, hoặc anh/chị không có quyền xem." in vi.content.decode()
    assert "This page does not exist, or you may not see it." in en.content.decode()


def test_a_stale_form_gets_a_vietnamese_csrf_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    response = client.post(reverse("assessment-leaf", args=[world.a_stp.pk, "2.1"]), {})
    assert response.status_code == 403
    assert "Biểu mẫu đã cũ hoặc phiên làm việc đã hết hạn" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "vi", "en"),
    [("500.html", "Lỗi máy chủ", "Server error"), ("400.html", "Yêu cầu không", "Bad request")],
)
def test_the_pages_rendered_without_a_request_stand_alone(name, vi, en):
    html = render_to_string(name)  # Django renders them with no context and no database
    assert vi in html and en in html
    assert "http" not in html  # nothing loaded from outside
