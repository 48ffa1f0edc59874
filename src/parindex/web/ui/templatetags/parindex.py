"""Template filters: Vietnamese numbers (59,2703), node codes as HTML ids, labels."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from parindex.core import format_vn

register = template.Library()

ACTIONS = {
    "save": _("lưu"),
    "submit": _("gửi bản tự đánh giá"),
    "resubmit": _("gửi lại"),
    "appraise": _("thẩm định"),
    "request_explanation": _("yêu cầu giải trình"),
    "answer": _("giải trình"),
    "decide": _("kết luận"),
    "reopen": _("mở lại"),
    "link_evidence": _("gắn tài liệu kiểm chứng"),
    "exempt": _("miễn trừ"),
    "survey_import": _("nhập kết quả điều tra"),
}


@register.filter
def vn(value: Any, decimals: Any = None) -> str:
    """A number in Vietnamese form; ``decimals`` fixes the number of decimals."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    places = None if decimals in (None, "") else int(decimals)
    return format_vn(number, places)


@register.filter
def vn_text(value: Any) -> str:
    """A stored decimal string without its storage zeros: ``"0.500000"`` → ``0,5``."""
    try:
        return format_vn(Decimal(str(value)).normalize()) if value not in (None, "") else ""
    except InvalidOperation:
        return str(value)


@register.filter
def slugcode(code: str) -> str:
    return str(code).replace(".", "-")


@register.filter
def action_label(action: str) -> str:
    return str(ACTIONS[action]) if action in ACTIONS else action


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
