"""YAML reading that keeps line numbers and rejects duplicate keys.

PyYAML's composer gives nodes with marks; we build plain Python values from them ourselves so
that mappings remember the line of each key, duplicate keys are errors (PyYAML silently keeps
the last), numbers become exact ``Decimal`` values taken from the text as written, and only
``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off`` stay text).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from .decimals import MAX_DECIMALS, too_large
from .decimals import decimals_of as _decimals
from .errors import Issue

_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_CONSTRUCTOR = yaml.SafeLoader("")  # only used for timestamps, which need no loader state
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class LocMap(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]


class LocList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int
    item_lines: list[int]


def load_located(text: str, source: str) -> tuple[Any, list[Issue]]:
    """Parse ``text``; return the value and the issues (syntax, duplicate keys)."""
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Issue("M001", f"YAML không đọc được: {problem}", source, line)]
    except RecursionError:
        return None, [Issue("M001", "YAML lồng nhau quá sâu", source, None)]
    issues: list[Issue] = []
    if node is None:
        return None, issues
    try:
        return _build(node, source, issues), issues
    except RecursionError:
        return None, [Issue("M001", "YAML lồng nhau quá sâu", source, None)]


class _NoAliasLoader(yaml.SafeLoader):
    """Refuses aliases (``*name``): methodology files never need them, and expanding
    reused nodes is how "billion laughs" files exhaust time and memory."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            problem = "không dùng bí danh YAML (*tên): hãy viết đầy đủ nội dung"
            raise yaml.composer.ComposerError(None, None, problem, mark)
        return super().compose_node(parent, index)


def _build(node: yaml.Node, source: str, issues: list[Issue]) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = LocMap()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            # Keys are names as written: `yes:`/`no:` must not turn into True/False.
            if isinstance(key_node, yaml.ScalarNode):
                key = str(key_node.value)
            else:
                key = str(_build(key_node, source, issues))
            if key in out:
                first = out.key_lines[key]
                issues.append(
                    Issue("M002", f"khóa '{key}' bị lặp (đã có ở dòng {first})", source, line)
                )
                continue
            out[key] = _build(value_node, source, issues)
            out.key_lines[key] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LocList(_build(item, source, issues) for item in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    return _scalar(node, source, issues)


def _scalar(node: yaml.Node, source: str, issues: list[Issue]) -> Any:
    text, tag, line = str(node.value), node.tag, node.start_mark.line + 1
    if tag == _STR_TAG:
        return text
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        # YAML 1.1 reads yes/no/on/off/y/n as booleans (the "Norway problem"); like YAML 1.2,
        # only true/false are booleans here, so option codes such as `no` stay text.
        return text.lower() == "true" if text.lower() in ("true", "false") else text
    if tag in _NUMBER_TAGS:
        return _number(text, source, line, issues)
    if tag == _TIMESTAMP_TAG:
        try:
            return _CONSTRUCTOR.construct_object(node, deep=True)
        except (ValueError, TypeError, AttributeError, yaml.YAMLError):
            issues.append(
                Issue("M005", f"ngày '{text}' không hợp lệ (viết YYYY-MM-DD)", source, line)
            )
            return text
    issues.append(Issue("M005", f"không dùng thẻ YAML '{tag}' (giá trị '{text}')", source, line))
    return text


def _number(text: str, source: str, line: int, issues: list[Issue]) -> Decimal | str:
    """A number exactly as written, within the bounds any methodology needs."""
    try:
        value = Decimal(text.replace("_", ""))
    except ArithmeticError:
        return text
    if not value.is_finite():
        return text
    if too_large(value) or _decimals(value) > MAX_DECIMALS:
        msg = f"số '{text}' quá lớn hoặc có quá {MAX_DECIMALS} chữ số thập phân"
        issues.append(Issue("M005", msg, source, line))
        return text
    return value
