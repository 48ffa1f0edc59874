"""Use cases of API tokens: create one (the token is returned once) and revoke one.

``actor`` is the person doing it; ``None`` means the server operator (the ``api_token``
management command). A person may manage their own tokens; an administrator anyone's.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.web.accounts.models import User
from parindex.web.common import ServiceError

from .auth import new_token, token_hash
from .models import ApiToken


def _check_actor(actor: User | None, user: User) -> None:
    if actor is not None and not (actor.is_admin or (actor.is_active and actor.pk == user.pk)):
        raise ServiceError(_("Chỉ chủ tài khoản hoặc cán bộ quản trị được quản lý khóa API."))


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token, which is never stored."""
    _check_actor(actor, user)
    name = name.strip()
    if not name:
        raise ServiceError(_("Phải đặt tên cho khóa API (ví dụ: tên hệ thống dùng khóa)."))
    if len(name) > 100:
        raise ServiceError(_("Tên khóa API dài quá 100 ký tự."))
    if not user.is_active:
        raise ServiceError(
            _("Tài khoản '%(username)s' đang bị khóa: không tạo được khóa API.")
            % {"username": user.username}
        )
    if ApiToken.objects.filter(user=user, name=name, revoked=False).exists():
        raise ServiceError(
            _("'%(username)s' đã có khóa API tên '%(name)s' đang dùng.")
            % {"username": user.username, "name": name}
        )
    token = new_token()
    row = ApiToken.objects.create(user=user, name=name, key_hash=token_hash(token))
    return row, token


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token for good; revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _check_actor(actor, token.user)
    if not token.revoked:
        token.revoked = True
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked", "revoked_at"])
    return token
