"""The home page: Vietnamese, self-contained (works on a closed network), the front door for
visitors; signed-in users go straight to their dashboard."""

import re

import pytest
from django.utils import timezone

from parindex.web.accounts.models import Role
from parindex.web.periods.models import Period

from .conftest import deadlines, make_user


@pytest.mark.django_db
def test_home_page_is_vietnamese(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>parindex — Chỉ số cải cách hành chính</title>" in html
    assert '<html lang="vi">' in html
    assert response["Content-Language"] == "vi"
    assert 'class="btn btn-primary" href="/login/"' in html
    assert 'href="/results/public/"' in html
    # the cycle is built: nothing may announce it as a later release any more
    assert "phiên bản sau" not in html


@pytest.mark.django_db
def test_home_page_loads_nothing_from_outside(client):
    html = client.get("/").content.decode()

    assert "http://" not in html
    assert "https://" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']//""", html)
    assert 'rel="icon" type="image/svg+xml" href="/static/parindex/favicon.svg"' in html


@pytest.mark.django_db
def test_home_page_lists_published_periods_only(client):
    published = Period.objects.create(
        year=2025, name="Kỳ 2025", state="published", published_at=timezone.now(), **deadlines()
    )
    Period.objects.create(year=2026, name="Kỳ 2026", state="final", **deadlines())

    html = client.get("/").content.decode()

    assert f'href="/results/public/{published.pk}/">Kỳ 2025</a>' in html
    assert "Kỳ 2026" not in html


@pytest.mark.django_db
def test_a_signed_in_user_goes_to_the_dashboard(client):
    client.force_login(make_user("stp.canbo", Role.VIEWER))

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def _period_cell(html: str, period) -> str:
    row = re.search(rf"<tr><td>{re.escape(str(period))}</td>.*?</tr>", html, re.S)
    assert row, html
    return row.group(0)


def test_the_dashboard_links_each_period_without_dangling_separators(client, world):
    client.force_login(world.admin)
    cell = _period_cell(client.get("/dashboard/").content.decode(), world.period)
    # an open period: progress only, no results link and no "·" left hanging
    assert "Theo dõi tiến độ" in cell and "Kết quả" not in cell and "·" not in cell

    world.period.state = "final"
    world.period.save(update_fields=["state"])
    cell = _period_cell(client.get("/dashboard/").content.decode(), world.period)
    assert re.search(r"Theo dõi tiến độ</a>\s*·\s*<a [^>]*>Kết quả</a>", cell)


def test_only_appraisers_get_the_appraisal_queue_button(client, world):
    for user, shown in ((world.appraiser, True), (world.admin, False), (world.officer, False)):
        client.force_login(user)
        html = client.get("/dashboard/").content.decode()
        assert ('href="/appraisal/"' in html) is shown, user.username
