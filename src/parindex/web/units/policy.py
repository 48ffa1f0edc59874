"""Who may manage units: the administrator only (default deny)."""

from __future__ import annotations

from parindex.web.accounts.models import User


def may_manage(user: User) -> bool:
    return user.is_authenticated and user.is_admin
