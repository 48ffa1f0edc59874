"""Parsing of long-form input tables (``unit,node,input,value``) into typed values.

The result maps unit code → leaf code → input name → value, where a value is a ``Decimal``,
a ``bool`` or an option code. Every problem is reported with its row and column and nothing is
returned unless the whole table is valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from .decimals import parse_decimal
from .errors import InputError, Issue
from .methodology import InputSpec, Methodology, Node
from .units import Unit, cell_text, exempted_by, fold, node_applies

Row = Mapping[str, object]
Inputs = dict[str, dict[str, dict[str, Any]]]

_TRUE = {"co", "c", "yes", "y", "true", "1", "x", "dat"}
_FALSE = {"khong", "k", "no", "n", "false", "0", "khong dat"}


def parse_value(spec: InputSpec, raw: object) -> Any:
    """Convert one cell to the input's type; ``ValueError`` with a Vietnamese message if bad."""
    if spec.kind == "choice":
        return _choice(spec, raw)
    if spec.kind == "boolean":
        return _boolean(raw)
    value = parse_decimal(raw)
    if spec.kind == "integer" and value != value.to_integral_value():
        raise ValueError(f"'{raw}' không phải là số nguyên")
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        raise ValueError(f"{raw} nằm ngoài khoảng cho phép: {spec.describe_allowed()}")
    return value


def _choice(spec: InputSpec, raw: object) -> str:
    text = str(raw).strip()
    for option in spec.options:
        if text == option.code:
            return option.code
    folded = fold(text)
    for option in spec.options:
        if folded in (fold(option.code), fold(option.label)):
            return option.code
    raise ValueError(f"'{text}' không phải là phương án hợp lệ; chọn: {spec.describe_allowed()}")


def _boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | Decimal) and raw in (0, 1):
        return bool(raw)
    text = fold(str(raw))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{raw}' không phải là có/không (viết: có, không, x, 1, 0)")


def parse_inputs(
    rows: Iterable[tuple[int, Row]],
    methodology: Methodology,
    units: Iterable[Unit],
    source: str = "<đầu vào>",
    *,
    allow_survey: bool = True,
) -> Inputs:
    """Typed inputs from ``(row number, row)`` pairs; raise :class:`InputError` on any problem."""
    by_code = {u.code: u for u in units}
    issues: list[Issue] = []
    out: Inputs = {}
    seen: dict[tuple[str, str, str], int] = {}
    lines: dict[tuple[str, str], int] = {}
    for line, row in rows:
        parsed = _row(line, row, methodology, by_code, source, issues, allow_survey)
        if parsed is None:
            continue
        unit, node, spec, value = parsed
        key = (unit.code, node.code, spec.name)
        if key in seen:
            msg = (
                f"giá trị '{spec.name}' của nút {node.code} cho đơn vị {unit.code} "
                f"đã có ở dòng {seen[key]}"
            )
            issues.append(Issue("I027", msg, source, line, "input", node.code))
            continue
        seen[key] = line
        lines.setdefault((unit.code, node.code), line)
        out.setdefault(unit.code, {}).setdefault(node.code, {})[spec.name] = value
    _cross_checks(out, methodology, lines, source, issues)
    if issues:
        raise InputError(issues)
    return out


def _row(
    line: int,
    row: Row,
    m: Methodology,
    units: dict[str, Unit],
    source: str,
    issues: list[Issue],
    allow_survey: bool,
) -> tuple[Unit, Node, InputSpec, Any] | None:
    unit_code, node_code = cell_text(row, "unit"), cell_text(row, "node")
    name, raw = cell_text(row, "input"), row.get("value")
    if not unit_code or not node_code:
        col = "unit" if not unit_code else "node"
        issues.append(Issue("I021", f"cột '{col}' không được để trống", source, line, col))
        return None
    unit = units.get(unit_code)
    if unit is None:
        issues.append(
            Issue("I022", f"đơn vị '{unit_code}' không có trong tệp đơn vị", source, line, "unit")
        )
        return None
    node = m.nodes.get(node_code)
    if node is None or not node.is_leaf:
        why = (
            "không có trong bộ tiêu chí"
            if node is None
            else "không phải tiêu chí lá (được tính từ các nút con)"
        )
        issues.append(Issue("I023", f"nút '{node_code}' {why}", source, line, "node", node_code))
        return None
    if not node_applies(node, unit):
        exempt = exempted_by(node, unit)
        why = f"được miễn (nút {exempt})" if exempt else f"không áp dụng cho loại {unit.type}"
        issues.append(
            Issue(
                "I025",
                f"nút {node_code} {why} với đơn vị {unit.code}",
                source,
                line,
                "node",
                node_code,
            )
        )
        return None
    spec = _spec(node, name, source, line, issues)
    if spec is None:
        return None
    if spec.survey and not allow_survey:
        msg = f"'{spec.name}' của nút {node_code} lấy từ kết quả khảo sát, đơn vị không tự chấm"
        issues.append(Issue("I030", msg, source, line, "input", node_code))
        return None
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return unit, node, spec, parse_value(spec, raw)
    except ValueError as exc:
        issues.append(Issue("I028", f"{spec.label}: {exc}", source, line, "value", node_code))
        return None


def _spec(node: Node, name: str, source: str, line: int, issues: list[Issue]) -> InputSpec | None:
    if not name:
        if len(node.inputs) == 1:
            return node.inputs[0]
        names = ", ".join(i.name for i in node.inputs)
        msg = f"nút {node.code} có nhiều đầu vào, cột 'input' phải ghi một trong: {names}"
        issues.append(Issue("I026", msg, source, line, "input", node.code))
        return None
    spec = node.input(name)
    if spec is None:
        names = ", ".join(i.name for i in node.inputs)
        msg = f"nút {node.code} không có đầu vào '{name}'; các đầu vào: {names}"
        issues.append(Issue("I026", msg, source, line, "input", node.code))
    return spec


def _cross_checks(
    out: Inputs, m: Methodology, lines: dict[tuple[str, str], int], source: str, issues: list[Issue]
) -> None:
    for unit_code, leaves in out.items():
        for code, values in leaves.items():
            rule = m.nodes[code].rule
            problem = rule.check_values(values) if rule is not None else None
            if problem:
                line = lines[(unit_code, code)]
                msg = f"đơn vị {unit_code}, nút {code}: {problem}"
                issues.append(Issue("I029", msg, source, line, "value", code))


__all__ = ["Inputs", "parse_inputs", "parse_value"]
