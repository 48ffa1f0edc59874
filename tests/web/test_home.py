"""The home page is Vietnamese and self-contained (works on a closed network)."""

import re

import pytest


@pytest.mark.django_db
def test_home_page_is_vietnamese(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>parindex — Chỉ số cải cách hành chính</title>" in html
    assert '<html lang="vi">' in html
    assert response["Content-Language"] == "vi"
    assert 'href="/health/"' in html


@pytest.mark.django_db
def test_home_page_loads_nothing_from_outside(client):
    html = client.get("/").content.decode()

    assert "http://" not in html
    assert "https://" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']//""", html)
