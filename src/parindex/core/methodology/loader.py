"""Strict loading of methodology files (YAML) into :class:`Methodology`.

All problems are collected and raised together as :class:`MethodologyError`; each names the
file, the line, the node code and what would be valid (see docs/methodology-format.md §8).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from .._yamlsrc import LocMap, load_located
from ..decimals import ZERO
from ..errors import MethodologyError
from ._reader import Reader, written
from ._rules_parse import parse_inputs, parse_rule
from .model import (
    AREA_KINDS,
    UNIT_TYPES,
    ClassBand,
    Decision,
    Methodology,
    Node,
    Rounding,
)

FORMAT = "parindex/methodology@1"
MAX_DEPTH = 8  # area → criterion → sub-criterion → … ; real sets use 3 or 4 levels
_TOP_KEYS = {
    "format",
    "id",
    "title",
    "year",
    "status",
    "decision",
    "description",
    "notes",
    "unit_types",
    "max_points",
    "rounding",
    "classes",
    "ranking",
    "nodes",
}
_TOP_REQUIRED = {"format", "id", "title", "year", "status", "unit_types", "max_points", "nodes"}
_NODE_KEYS = {
    "code",
    "title",
    "max",
    "children",
    "rule",
    "inputs",
    "reference",
    "guidance",
    "evidence",
    "evidence_required",
    "applies_to",
    "exemptible",
    "kind",
}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CODE_RE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")


def load_methodology(path: str | Path) -> Methodology:
    """Read and validate a methodology file; raise :class:`MethodologyError` if invalid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        from ..errors import Issue

        raise MethodologyError([Issue("M001", f"không đọc được tệp: {exc}", str(path))]) from None
    return loads_methodology(text, source=str(path))


def loads_methodology(text: str, source: str = "<dữ liệu>") -> Methodology:
    """Validate methodology YAML given as text."""
    data, issues = load_located(text, source)
    reader = Reader(source)
    reader.issues.extend(issues)
    methodology = None
    if data is None and not issues:
        reader.error(
            "M004", "tệp rỗng: cần ít nhất các khóa " + ", ".join(sorted(_TOP_REQUIRED)), 1
        )
    elif data is not None:
        top = reader.mapping(data, "tệp bộ tiêu chí", 1)
        if top is not None:
            methodology = _build(reader, top)
    if reader.issues or methodology is None:
        raise MethodologyError(sorted(reader.issues, key=lambda i: (i.line or 0, i.code)))
    return methodology


def _build(r: Reader, top: LocMap) -> Methodology | None:
    if not r.keys(top, _TOP_KEYS, _TOP_REQUIRED, "phần đầu tệp"):
        return None
    if top["format"] != FORMAT:
        r.error("M005", f"'format' phải là '{FORMAT}'", r.line_of(top, "format"))
    ident = r.text(top, "id")
    if not _ID_RE.match(ident):
        msg = f"'id' chỉ gồm chữ thường không dấu, số và '-', không phải '{ident}'"
        r.error("M005", msg, r.line_of(top, "id"))
    year = top["year"]
    if not isinstance(year, Decimal) or year != int(year) or not 1990 <= year <= 2100:
        msg = f"'year' phải là một năm (ví dụ 2026), không phải '{year}'"
        r.error("M005", msg, r.line_of(top, "year"))
        year = Decimal(0)
    unit_types = _unit_types(r, top)
    max_points = r.number(top, "max_points", positive=True)
    if max_points is None:
        r.unsure.add("max_points")
    rounding = _rounding(r, top)
    areas = _areas(r, top, frozenset(unit_types))
    if areas is None:
        return None
    nodes = _index(r, areas)
    _check_decimals(r, nodes.values(), rounding)
    standard = sum((a.max for a in areas if a.kind == "standard"), ZERO)
    if not r.unsure & ({"max_points"} | {a.code for a in areas}) and standard != max_points:
        r.error(
            "M021",
            f"tổng điểm các lĩnh vực thường là {written(standard)}, "
            f"khác max_points = {written(max_points or ZERO)}",
            r.line_of(top, "max_points"),
        )
    return Methodology(
        id=ident,
        title=r.text(top, "title"),
        year=int(year),
        status=r.choice(top, "status", ("official", "sample"), None, "sample"),
        unit_types=tuple(unit_types),
        max_points=max_points or ZERO,
        areas=areas,
        source=r.source,
        decision=_decision(r, top),
        description=r.text(top, "description"),
        notes=tuple(_texts(r, top, "notes")),
        rounding=rounding,
        classes=_classes(r, top),
        ranking_method=_ranking(r, top),
        nodes=nodes,
    )


def _check_decimals(r: Reader, nodes: Iterable[Node], rounding: Rounding) -> None:
    """A maximum needs no more decimals than points are rounded to, or full marks would
    round above it (0,25 with 1 decimal would become 0,3)."""
    for node in nodes:
        if not node.is_leaf:
            continue  # a parent's maximum is the sum of its leaves'
        exponent = node.max.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > rounding.points:
            msg = (
                f"điểm tối đa {node.max} có {-exponent} chữ số thập phân, nhiều hơn số chữ số "
                f"làm tròn điểm (rounding.points = {rounding.points})"
            )
            r.error("M005", msg, r.max_lines.get(node.code, node.line), node.code)


def _texts(r: Reader, mapping: LocMap, key: str, node: str | None = None) -> list[str]:
    if key not in mapping:
        return []
    value = mapping[key]
    line = r.line_of(mapping, key)
    if isinstance(value, str):
        return [value]
    items = r.sequence(value, f"'{key}'", line, node)
    if items is None:
        return []
    out = []
    for item, item_line in zip(items, items.item_lines, strict=True):
        if not isinstance(item, str):
            r.error("M005", f"mỗi mục của '{key}' phải là một chuỗi", item_line, node)
        else:
            out.append(item.strip())
    return out


def _unit_types(r: Reader, mapping: LocMap, node: str | None = None) -> list[str]:
    key = "unit_types" if "unit_types" in mapping else "applies_to"
    types = _texts(r, mapping, key, node)
    for t in types:
        if t not in UNIT_TYPES:
            valid = ", ".join(UNIT_TYPES)
            msg = f"loại đơn vị '{t}' không có; hợp lệ: {valid}"
            r.error("M005", msg, r.line_of(mapping, key), node)
    if not types:
        r.error("M005", f"'{key}' cần ít nhất một loại đơn vị", r.line_of(mapping, key), node)
    return [t for t in types if t in UNIT_TYPES]


def _decision(r: Reader, top: LocMap) -> Decision:
    if "decision" not in top:
        return Decision()
    m = r.mapping(top["decision"], "'decision'", r.line_of(top, "decision"))
    if m is None:
        return Decision()
    r.keys(m, {"number", "date", "issuer", "title"}, {"number"}, "'decision'")
    date = m.get("date")
    date_text = _date_text(r, m, date)
    return Decision(r.text(m, "number"), date_text, r.text(m, "issuer"), r.text(m, "title"))


def _date_text(r: Reader, m: LocMap, date: object) -> str:
    if isinstance(date, datetime.date):
        return date.strftime("%d/%m/%Y")
    return r.text(m, "date")


def _rounding(r: Reader, top: LocMap) -> Rounding:
    if "rounding" not in top:
        return Rounding()
    m = r.mapping(top["rounding"], "'rounding'", r.line_of(top, "rounding"))
    if m is None:
        return Rounding()
    r.keys(m, {"points", "index", "mode"}, set(), "'rounding'")
    digits = []
    for key in ("points", "index"):
        value = r.number(m, key, default=Decimal(2))
        if value is None or value != int(value) or not 0 <= value <= 6:
            r.error("M005", f"'rounding.{key}' phải là số nguyên từ 0 đến 6", r.line_of(m, key))
            value = Decimal(2)
        digits.append(int(value))
    mode = r.choice(m, "mode", ("half_up", "half_even"), None, "half_up")
    return Rounding(digits[0], digits[1], mode)


def _classes(r: Reader, top: LocMap) -> tuple[ClassBand, ...]:
    if "classes" not in top:
        return ()
    items = r.sequence(top["classes"], "'classes'", r.line_of(top, "classes"))
    if items is None:
        return ()
    bands: list[ClassBand] = []
    for item, line in zip(items, items.item_lines, strict=True):
        m = r.mapping(item, "mỗi mức xếp loại", line)
        if m is None or not r.keys(
            m, {"code", "label", "min"}, {"code", "label", "min"}, "xếp loại"
        ):
            continue
        low = r.number(m, "min", minimum=ZERO)
        if low is None or low > 100:
            r.error("M060", f"'min' của loại {m['code']} phải trong [0, 100]", line)
            continue
        if bands and low >= bands[-1].min:
            r.error(
                "M061",
                f"loại {m['code']} (min {low}) phải thấp hơn loại {bands[-1].code} "
                f"(min {bands[-1].min}): các mức phải giảm dần",
                line,
            )
        bands.append(ClassBand(r.text(m, "code"), r.text(m, "label"), low))
    if bands and bands[-1].min != 0:
        r.error(
            "M062",
            f"loại cuối ({bands[-1].code}) bắt đầu từ {bands[-1].min}: chỉ số dưới mức này "
            "không thuộc loại nào; loại cuối cần 'min: 0'",
            items.line,
        )
    return tuple(bands)


def _ranking(r: Reader, top: LocMap) -> str:
    if "ranking" not in top:
        return "standard"
    m = r.mapping(top["ranking"], "'ranking'", r.line_of(top, "ranking"))
    if m is None:
        return "standard"
    r.keys(m, {"method"}, set(), "'ranking'")
    return r.choice(m, "method", ("standard", "dense"), None, "standard")


def _areas(r: Reader, top: LocMap, unit_types: frozenset[str]) -> list[Node] | None:
    items = r.sequence(top["nodes"], "'nodes'", r.line_of(top, "nodes"))
    if items is None:
        return None
    if not items:
        r.error("M004", "'nodes' cần ít nhất một lĩnh vực", items.line)
    areas = []
    for item, line in zip(items, items.item_lines, strict=True):
        node = _node(r, item, line, None, unit_types)
        if node is not None:
            areas.append(node)
    return areas


def _node(
    r: Reader, item: Any, line: int, parent: Node | None, types: frozenset[str]
) -> Node | None:
    m = r.mapping(item, "mỗi nút", line, parent.code if parent else None)
    if m is None:
        return None
    code = str(m.get("code", "")).strip()
    if parent is not None and parent.depth + 1 >= MAX_DEPTH:
        msg = f"cây tiêu chí sâu quá {MAX_DEPTH} cấp (lĩnh vực → tiêu chí → …)"
        r.error("M005", msg, m.line, code or None)
        return None
    allowed = _NODE_KEYS if parent is None else _NODE_KEYS - {"kind"}
    if not r.keys(m, allowed, {"code", "title", "max"}, f"nút '{code}'", code or None):
        return None
    _check_code(r, m, code, parent)
    kind = parent.kind if parent else r.choice(m, "kind", AREA_KINDS, code, "standard")
    top = r.number(m, "max", code, minimum=ZERO)
    r.max_lines[code] = r.line_of(m, "max")
    if top is None:
        r.unsure.add(code)  # already reported: skip the sums that would only repeat it
    node = Node(
        code=code,
        title=r.text(m, "title", code),
        max=top or ZERO,
        line=m.line,
        kind=kind,
        parent=parent,
        reference=r.text(m, "reference", code),
        guidance=r.text(m, "guidance", code),
        evidence=tuple(_texts(r, m, "evidence", code)),
        exemptible=r.boolean(m, "exemptible", code, False),
    )
    node.evidence_required = r.boolean(m, "evidence_required", code, bool(node.evidence))
    node.applies_to = _applies_to(r, m, code, parent, types)
    effective = node.applies_to if node.applies_to is not None else types
    if "children" in m:
        _children(r, m, node, effective)
    elif "rule" in m:
        node.rule = parse_rule(r, m, node)
        node.inputs = parse_inputs(r, m, node)
    else:
        r.error("M012", "nút lá cần 'rule' (hoặc nút cha cần 'children')", m.line, code)
    return node


def _check_code(r: Reader, m: LocMap, code: str, parent: Node | None) -> None:
    line = r.line_of(m, "code")
    if not _CODE_RE.match(code):
        r.error("M005", f"mã nút '{code}' không hợp lệ; dạng đúng: 1, 2.3, 2.3.1", line, code)
    elif parent is not None and not code.startswith(parent.code + "."):
        msg = f"mã '{code}' phải bắt đầu bằng mã nút cha '{parent.code}.' (ví dụ {parent.code}.1)"
        r.error("M011", msg, line, code)


def _applies_to(
    r: Reader, m: LocMap, code: str, parent: Node | None, types: frozenset[str]
) -> frozenset[str] | None:
    inherited = parent.applies_to if parent else None
    if "applies_to" not in m:
        return inherited
    own = frozenset(_unit_types(r, m, code))
    outside = own - types
    if outside:
        msg = (
            f"applies_to có loại {', '.join(sorted(outside))} không thuộc các loại của nút cha/bộ "
            f"tiêu chí ({', '.join(sorted(types))})"
        )
        r.error("M080", msg, r.line_of(m, "applies_to"), code)
    return own & types


def _children(r: Reader, m: LocMap, node: Node, types: frozenset[str]) -> None:
    if "rule" in m:
        r.error("M012", "nút có 'children' không được có 'rule'", r.line_of(m, "rule"), node.code)
    if "inputs" in m:
        r.error(
            "M012", "nút có 'children' không được có 'inputs'", r.line_of(m, "inputs"), node.code
        )
    items = r.sequence(m["children"], "'children'", r.line_of(m, "children"), node.code)
    if items is None:
        return
    if not items:
        r.error("M012", "'children' rỗng: bỏ 'children' và thêm 'rule'", items.line, node.code)
    for item, line in zip(items, items.item_lines, strict=True):
        child = _node(r, item, line, node, types)
        if child is not None:
            node.children.append(child)
    total = sum((c.max for c in node.children), ZERO)
    unsure = r.unsure & ({node.code} | {c.code for c in node.children})
    if node.children and len(node.children) == len(items) and not unsure and total != node.max:
        parts = " + ".join(f"{c.code}: {written(c.max)}" for c in node.children)
        msg = (
            f"tổng điểm các nút con là {written(total)} ({parts}), "
            f"khác điểm tối đa {written(node.max)} của nút"
        )
        r.error("M020", msg, r.line_of(m, "max"), node.code)


def _index(r: Reader, areas: list[Node]) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for area in areas:
        for node in area.walk():
            if node.code in nodes:
                first = nodes[node.code].line
                r.error(
                    "M010",
                    f"mã '{node.code}' bị trùng (đã dùng ở dòng {first})",
                    node.line,
                    node.code,
                )
                continue
            nodes[node.code] = node
    return nodes


__all__ = ["FORMAT", "load_methodology", "loads_methodology"]
