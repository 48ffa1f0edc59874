"""What every app shares: the service error types and small helpers for views.

Services raise :class:`ServiceError` (a specific Vietnamese message; nothing was changed) or
:class:`StaleEdit` (someone saved first; the newer value is attached). Views turn them into a
form error and a 400/409 answer — never a 500.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NoReturn

from django.http import Http404
from django.utils.translation import gettext as _

from parindex.core import format_vn


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


def bounded(text: str, limit: int, what: str, field: str) -> str:
    """``text`` without surrounding blanks; longer than ``limit`` characters is refused with a
    message that says by how much, rather than cut silently (the user's words are never lost)."""
    text = text.strip()
    if len(text) > limit:
        raise ServiceError(
            _("%(what)s dài %(n)s ký tự, quá giới hạn %(limit)s; hãy rút gọn.")
            % {
                "what": what,
                "n": format_vn(Decimal(len(text))),
                "limit": format_vn(Decimal(limit)),
            },
            field=field,
        )
    return text


def short_name(filename: str, limit: int = 255) -> str:
    """An uploaded file's name cut to ``limit`` characters, keeping its extension: the name is
    only a label (the content is stored whole), and browsers send names of any length."""
    if len(filename) <= limit:
        return filename
    stem, dot, ext = filename.rpartition(".")
    if not dot or len(ext) > 10:
        return filename[: limit - 1] + "…"
    return stem[: limit - len(ext) - 2] + "…." + ext


def unsaved(message: str, inputs: dict[str, str], texts: dict[str, str]) -> str:
    """A refused stale save's message followed by what the user had typed (inputs, then the
    free texts by their label), so that nothing typed is lost when the newer value is shown."""
    typed = [f"{k} = {v}" for k, v in inputs.items() if v]
    typed += [f"{label}: «{text.strip()}»" for label, text in texts.items() if text.strip()]
    return _("%(message)s Giá trị bạn vừa nhập (chưa lưu): %(mine)s.") % {
        "message": message,
        "mine": "; ".join(typed) or _("(trống)"),
    }


def not_found() -> NoReturn:
    """Forbidden and missing look the same from outside."""
    raise Http404(_("Không tìm thấy."))
