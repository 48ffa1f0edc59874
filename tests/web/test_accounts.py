"""Login: Argon2 hashes, lock-out after repeated failures, every page behind login."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from .conftest import PASSWORD


def test_the_product_hashes_passwords_with_argon2(db, settings):
    # conftest swaps in a fast hasher for the suite; put the product's own list back
    from parindex.web import settings as product
    from parindex.web.accounts.models import User

    settings.PASSWORD_HASHERS = product.PASSWORD_HASHERS
    user = User.objects.create_user(username="a", password=PASSWORD)

    assert user.password.startswith("argon2$")
    assert get_hasher().algorithm == "argon2"
    assert user.check_password(PASSWORD)


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_works_and_leads_to_the_dashboard(client, world):
    response = login(client, "stp.canbo", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert "Sở Tư pháp" in client.get(reverse("dashboard")).content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, world, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        response = login(client, "stp.canbo", "sai-mat-khau")
        assert "không đúng" in response.content.decode()
    response = login(client, "STP.canbo", "sai-mat-khau")
    assert "tạm bị khóa" in response.content.decode()

    response = login(client, "stp.canbo", PASSWORD)
    assert response.status_code == 200 and "tạm bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_clears_the_failure_count(client, world, settings):
    settings.LOGIN_MAX_FAILURES = 2
    login(client, "stp.canbo", "sai")
    assert login(client, "stp.canbo", PASSWORD).status_code == 302
    client.logout()
    assert "không đúng" in login(client, "stp.canbo", "sai").content.decode()
    assert login(client, "stp.canbo", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "url", ["/dashboard/", "/appraisal/", "/assessments/1/", "/periods/1/", "/evidence/1/download/"]
)
def test_pages_are_behind_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
