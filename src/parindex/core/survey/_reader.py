"""The methodology loader's checked YAML access, reporting survey error codes.

The generic checks (YAML syntax, duplicate, unknown and missing keys, bad values) are the
same for every strict file; an instrument reports them as ``S001``–``S005`` instead of
``M001``–``M005`` so that a code always says which kind of file is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from .._yamlsrc import LocList, LocMap
from ..errors import Issue
from ..methodology._reader import Reader

_GENERIC = {f"M00{n}": f"S00{n}" for n in range(1, 6)}
_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,39}$")


def survey_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Issues of the shared YAML reader, with their survey codes."""
    return [replace(i, code=_GENERIC.get(i.code, i.code)) for i in issues]


class SurveyReader(Reader):
    """A :class:`Reader` whose generic issues carry survey codes."""

    def error(self, code: str, message: str, line: int | None, node: str | None = None) -> None:
        super().error(_GENERIC.get(code, code), message, line, node)

    def code(self, value: Any, what: str, line: int) -> str | None:
        """A code as written (``A1``, ``tiep_can``) or an integer (``4`` → ``"4"``)."""
        text = code_text(value)
        integer = isinstance(value, Decimal) and text is not None  # -1, -99: missing in exports
        if text is None or not (integer or _CODE_RE.match(text)):
            msg = (
                f"{what} '{value}' không hợp lệ: dùng số nguyên hoặc chữ không dấu, số, '_', "
                "'.', '-' (tối đa 40 ký tự), ví dụ 4, A1, tiep_can"
            )
            self.error("S005", msg, line)
            return None
        return text

    def codes(self, mapping: LocMap, key: str, what: str) -> list[tuple[str, int]]:
        """A list of codes (one code alone is accepted too) with the line of each."""
        value, line = mapping[key], self.line_of(mapping, key)
        items: list[tuple[Any, int]]
        if isinstance(value, LocList):
            items = list(zip(value, value.item_lines, strict=True))
        elif isinstance(value, LocMap):
            self.error("S005", f"'{key}' phải là một mã hoặc một danh sách mã", line)
            return []
        else:
            items = [(value, line)]
        out = []
        for item, item_line in items:
            code = self.code(item, what, item_line)
            if code is not None:
                out.append((code, item_line))
        return out

    def texts(self, mapping: LocMap, key: str) -> list[str]:
        """A text or a list of texts (``notes``)."""
        if key not in mapping:
            return []
        value, line = mapping[key], self.line_of(mapping, key)
        if isinstance(value, str):
            return [value.strip()]
        items = self.sequence(value, f"'{key}'", line)
        if items is None:
            return []
        out = []
        for item, item_line in zip(items, items.item_lines, strict=True):
            if isinstance(item, str):
                out.append(item.strip())
            else:
                self.error("S005", f"mỗi mục của '{key}' phải là một chuỗi", item_line)
        return out


def code_text(value: Any) -> str | None:
    """The text form of a code: integers lose any ``.0``; other numbers are not codes."""
    if isinstance(value, bool) or value is None or isinstance(value, LocMap | LocList):
        return None
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else None
    return str(value).strip()
