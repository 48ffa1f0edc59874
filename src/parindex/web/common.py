"""What every app shares: the service error types and small helpers for views.

Services raise :class:`ServiceError` (a specific Vietnamese message; nothing was changed) or
:class:`StaleEdit` (someone saved first; the newer value is attached). Views turn them into a
form error and a 400/409 answer — never a 500.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.http import Http404
from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A use case refused: the message says why, in Vietnamese, and nothing was changed."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(ServiceError):
    """The record changed since the user loaded it; ``current`` is the newer state."""

    def __init__(self, message: str, current: Any) -> None:
        super().__init__(message)
        self.current = current


def not_found() -> NoReturn:
    """Forbidden and missing look the same from outside."""
    raise Http404(_("Không tìm thấy."))
