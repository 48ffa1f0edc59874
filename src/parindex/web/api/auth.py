"""Who is calling the API: a bearer token, else the browser session, else nobody.

``Authorization: Bearer <token>`` names a token; a token that is unknown, revoked or belongs to
an inactive user is refused (401) even where the data are public, so that a client never
silently falls back to the public view. A header with another scheme (e.g. ``Basic`` added by
a proxy) is ignored. Without a token, a logged-in browser session counts.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.web.accounts.models import User

from .models import ApiToken

TOKEN_PREFIX = "pxi_"
# last_used is written at most this often per token: reads must not become writes.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class Unauthorized(Exception):
    """The request named a token that cannot be used; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str, *, invalid_token: bool) -> None:
        super().__init__(message)
        self.message = message
        self.invalid_token = invalid_token


def new_token() -> str:
    """A fresh token: a recognisable prefix and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer_token(request: HttpRequest) -> str | None:
    """The bearer token of the request; ``None`` when there is no bearer header at all."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def api_user(request: HttpRequest) -> User | AnonymousUser:
    """The user the request acts for; raises :class:`Unauthorized` for an unusable token."""
    token = bearer_token(request)
    if token is None:
        user = request.user
        return user if user.is_authenticated and user.is_active else AnonymousUser()
    if not token:
        raise Unauthorized(_("Thiếu khóa API sau 'Bearer'."), invalid_token=True)
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(token), revoked=False, user__is_active=True)
        .first()
    )
    if row is None:
        raise Unauthorized(
            _("Khóa API không hợp lệ, đã bị thu hồi hoặc tài khoản đã bị khóa."),
            invalid_token=True,
        )
    _touch(row)
    return row.user


def _touch(row: ApiToken) -> None:
    now = timezone.now()
    if row.last_used is None or now - row.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used=now)
