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

from .errors import Issue

_BOOL_TAG = "tag:yaml.org,2002:bool"
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
    issues: list[Issue] = []
    if node is None:
        return None, issues
    return _build(node, source, issues), issues


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
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    if node.tag == _BOOL_TAG and str(node.value).lower() not in ("true", "false"):
        # YAML 1.1 reads yes/no/on/off/y/n as booleans (the "Norway problem"); like YAML 1.2,
        # only true/false are booleans here, so option codes such as `no` stay text.
        return str(node.value)
    if node.tag in _NUMBER_TAGS:
        text = str(node.value).replace("_", "")
        try:
            value = Decimal(text)
        except ArithmeticError:
            return node.value
        return value if value.is_finite() else node.value
    constructor = yaml.SafeLoader("")
    return constructor.construct_object(node, deep=True)
