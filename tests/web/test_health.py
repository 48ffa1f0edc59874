"""The health page tells monitors whether the application can reach its database."""

import pytest
from django.db import OperationalError, connection

from parindex import __version__


@pytest.mark.django_db
def test_health_reports_ok_when_database_answers(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "version": __version__}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_in_vietnamese_when_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "error"
    assert body["message"] == "Không kết nối được cơ sở dữ liệu."
    assert "connection refused" not in response.content.decode()


def test_health_rejects_writes(client):
    assert client.post("/health/").status_code == 405
