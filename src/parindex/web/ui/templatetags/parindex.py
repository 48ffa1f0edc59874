"""Template filters: Vietnamese numbers (59,2703), node codes as HTML ids, labels."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from parindex.core import format_vn

register = template.Library()

ACTIONS = {
    "save": "lưu",
    "submit": "gửi bản tự đánh giá",
    "resubmit": "gửi lại",
    "appraise": "thẩm định",
    "request_explanation": "yêu cầu giải trình",
    "answer": "giải trình",
    "decide": "kết luận",
    "reopen": "mở lại",
    "link_evidence": "gắn tài liệu kiểm chứng",
    "exempt": "miễn trừ",
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
    return ACTIONS.get(action, action)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
