"""Lock-out after repeated failed logins, per user name, stored in the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import LoginFailure


def locked_until(username: str) -> datetime | None:
    """When the lock on this user name ends, or ``None`` if it may try to log in."""
    row = LoginFailure.objects.filter(username=_key(username)).first()
    if row is None or row.locked_until is None or row.locked_until <= timezone.now():
        return None
    return row.locked_until


@transaction.atomic
def login_failed(username: str) -> datetime | None:
    """Count a failure; lock the name once the limit is reached. Returns the lock's end."""
    now = timezone.now()
    row, _ = LoginFailure.objects.select_for_update().get_or_create(
        username=_key(username), defaults={"last_failure": now}
    )
    if row.locked_until is not None and row.locked_until <= now:
        row.failures, row.locked_until = 0, None  # the previous lock has expired
    row.failures += 1
    row.last_failure = now
    if row.failures >= settings.LOGIN_MAX_FAILURES:
        row.locked_until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    row.save()
    return row.locked_until


def login_succeeded(username: str) -> None:
    LoginFailure.objects.filter(username=_key(username)).delete()


def _key(username: str) -> str:
    return username.strip().lower()[:150]
