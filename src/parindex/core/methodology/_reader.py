"""Checked access to located YAML values, collecting issues instead of raising."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .._yamlsrc import LocList, LocMap
from ..errors import Issue


def written(value: Decimal) -> str:
    """A number as a methodology author writes it: 4, 0.5 (not 4.0 or 0.50)."""
    return f"{value.normalize():f}"


class Reader:
    """Collects :class:`Issue` objects while the loader walks a file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[Issue] = []
        # Codes whose maximum (or "max_points") was invalid and already reported.
        self.unsure: set[str] = set()
        self.max_lines: dict[str, int] = {}  # node code → line of its `max`

    def error(self, code: str, message: str, line: int | None, node: str | None = None) -> None:
        self.issues.append(Issue(code, message, self.source, line, node=node))

    def line_of(self, mapping: LocMap, key: str) -> int:
        return mapping.key_lines.get(key, mapping.line)

    def mapping(self, value: Any, what: str, line: int, node: str | None = None) -> LocMap | None:
        if isinstance(value, LocMap):
            return value
        self.error("M005", f"{what} phải là một bảng khóa: giá trị", line, node)
        return None

    def sequence(self, value: Any, what: str, line: int, node: str | None = None) -> LocList | None:
        if isinstance(value, LocList):
            return value
        self.error("M005", f"{what} phải là một danh sách", line, node)
        return None

    def keys(
        self,
        mapping: LocMap,
        allowed: set[str],
        required: set[str],
        where: str,
        node: str | None = None,
    ) -> bool:
        """Report unknown and missing keys; true when the mapping is usable."""
        ok = True
        for key in mapping:
            if key not in allowed:
                valid = ", ".join(sorted(allowed))
                self.error(
                    "M003",
                    f"khóa '{key}' không được phép trong {where}; các khóa hợp lệ: {valid}",
                    self.line_of(mapping, key),
                    node,
                )
        for key in sorted(required - set(mapping)):
            self.error("M004", f"{where} thiếu khóa bắt buộc '{key}'", mapping.line, node)
            ok = False
        return ok

    def text(self, mapping: LocMap, key: str, node: str | None = None, default: str = "") -> str:
        if key not in mapping or mapping[key] is None:
            return default
        value = mapping[key]
        if isinstance(value, LocMap | LocList | bool):
            self.error("M005", f"'{key}' phải là một chuỗi", self.line_of(mapping, key), node)
            return default
        return str(value).strip()

    def number(
        self,
        mapping: LocMap,
        key: str,
        node: str | None = None,
        *,
        default: Decimal | None = None,
        minimum: Decimal | None = None,
        positive: bool = False,
    ) -> Decimal | None:
        if key not in mapping:
            return default
        value = mapping[key]
        line = self.line_of(mapping, key)
        if not isinstance(value, Decimal):
            self.error("M005", f"'{key}' phải là một số, không phải '{value}'", line, node)
            return default
        if positive and value <= 0:
            self.error("M005", f"'{key}' phải lớn hơn 0 (đang là {value})", line, node)
            return default
        if minimum is not None and value < minimum:
            self.error("M005", f"'{key}' phải ≥ {minimum} (đang là {value})", line, node)
            return default
        return value

    def boolean(self, mapping: LocMap, key: str, node: str | None, default: bool) -> bool:
        if key not in mapping:
            return default
        value = mapping[key]
        if not isinstance(value, bool):
            line = self.line_of(mapping, key)
            self.error("M005", f"'{key}' phải là true hoặc false, không phải '{value}'", line, node)
            return default
        return value

    def choice(
        self, mapping: LocMap, key: str, allowed: tuple[str, ...], node: str | None, default: str
    ) -> str:
        if key not in mapping:
            return default
        value = mapping[key]
        if value not in allowed:
            valid = " | ".join(allowed)
            line = self.line_of(mapping, key)
            self.error("M005", f"'{key}' không nhận giá trị '{value}'; hợp lệ: {valid}", line, node)
            return default
        return str(value)
