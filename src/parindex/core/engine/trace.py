"""Why a number is what it is: a readable trace for a unit, an area or any node.

The trace re-runs the very same scoring function as the engine (with a list to write steps
into) and reads sums and maxima from the engine's own result, so it cannot disagree with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..decimals import ZERO, format_vn
from ..methodology import Methodology, Node
from ..units import Unit
from ._compile import LeafValues
from .results import AreaResult, Results, UnitResult
from .scoring import compute, score_leaf


@dataclass(slots=True)
class TraceNode:
    """One explained number: a node's points out of its applicable maximum, with the steps."""

    code: str
    title: str
    points: Decimal | None
    max: Decimal | None
    percent: Decimal | None
    steps: list[str] = field(default_factory=list)
    children: list[TraceNode] = field(default_factory=list)
    decimals: int = 2  # how points are shown (the methodology's rounding of points)


def explain(
    methodology: Methodology,
    unit: Unit,
    inputs: Mapping[str, LeafValues],
    node: str | None = None,
    results: Results | None = None,
) -> TraceNode:
    """Explain the unit's total and index (``node=None``) or one node with its subtree.

    ``results`` (the whole period's) supplies the rank; without it the rank is not explained.
    """
    own = compute(methodology, [unit], {unit.code: inputs}).units[0]
    ranked = results.unit(unit.code) if results is not None else None
    if node is None:
        return _unit_trace(methodology, own, ranked)
    return _node_trace(methodology.node(node), own, inputs)


def _unit_trace(m: Methodology, r: UnitResult, ranked: UnitResult | None) -> TraceNode:
    d, p = m.rounding.index, m.rounding.points
    area_results = r.areas()
    areas = [
        TraceNode(a.code, a.title, a.points, a.max, a.index, [_area_step(a, p, d)], decimals=p)
        for a in area_results
    ]
    parts = " + ".join(f"{a.code}: {format_vn(a.points, p)}" for a in area_results) or "0"
    steps = [f"Tổng điểm = {parts} = {format_vn(r.total, p)}"]
    if r.max != m.max_points:
        # The topmost nodes left out: not applicable, exempted, or with a zero denominator.
        excluded = [
            n.code
            for n in m.walk()
            if r.maxima[n.code] is None
            and (n.parent is None or r.maxima[n.parent.code] is not None)
        ]
        whole = format_vn(m.max_points, p)
        steps.append(
            f"Điểm tối đa áp dụng = {format_vn(r.max, p)} (bộ tiêu chí {whole}, không tính "
            f"các nút không áp dụng hoặc được miễn: {', '.join(excluded)})"
        )
    else:
        steps.append(f"Điểm tối đa = {format_vn(r.max, p)}")
    if r.index is not None:
        steps.append(
            f"Chỉ số = {format_vn(r.total, p)} / {format_vn(r.max, p)} × 100 = "
            f"{format_vn(r.index, d)} %"
            f" (làm tròn {d} chữ số, {m.rounding.mode})"
        )
    if r.klass is not None:
        steps.append(
            f"Xếp loại {r.klass.label} ({r.klass.code}): chỉ số ≥ {format_vn(r.klass.min)}"
        )
    if ranked is not None and ranked.rank is not None:
        how = "cùng chỉ số thì cùng hạng" + (
            ", xếp hạng liền" if m.ranking_method == "dense" else ""
        )
        steps.append(f"Hạng {ranked.rank} trong khối {r.unit.group} ({how})")
    title = f"{r.unit.code} — {r.unit.name}"
    return TraceNode("", title, r.total, r.max, r.index, steps, areas, decimals=p)


def _area_step(a: AreaResult, p: int, d: int) -> str:
    if a.kind == "bonus":
        return "Điểm thưởng: cộng vào tổng điểm, không tính vào điểm tối đa"
    if a.kind == "penalty":
        return "Điểm trừ: trừ vào tổng điểm, không tính vào điểm tối đa"
    index = format_vn(a.index, d) if a.index is not None else "—"
    return f"Chỉ số thành phần = {format_vn(a.points, p)} / {format_vn(a.max, p)} × 100 = {index} %"


def _node_trace(node: Node, r: UnitResult, inputs: Mapping[str, LeafValues]) -> TraceNode:
    points, top = r.points[node.code], r.maxima[node.code]
    p = r.methodology.rounding.points
    out = TraceNode(node.code, node.title, points, top, r.percent(node.code), decimals=p)
    if points is None and r.status.get(node.code) is None:
        out.steps.append(_why_not_applicable(node, r.unit))
        return out
    if node.is_leaf:
        assert node.rule is not None
        out.steps.append(f"Quy tắc: {node.rule.describe()}")
        score_leaf(node, inputs.get(node.code), r.methodology, out.steps)
        return out
    applicable = [c for c in node.children if r.points[c.code] is not None]
    parts = " + ".join(f"{c.code}: {format_vn(r.points[c.code] or ZERO, p)}" for c in applicable)
    out.steps.append(f"Tổng các nút con áp dụng = {parts} = {format_vn(points or ZERO, p)}")
    out.children = [_node_trace(c, r, inputs) for c in node.children]
    return out


def _why_not_applicable(node: Node, unit: Unit) -> str:
    current: Node | None = node
    while current is not None:
        if current.code in unit.exempt:
            return f"Không tính: đơn vị được miễn nút {current.code}"
        if not current.applies(unit.type):
            return f"Không tính: nút {current.code} không áp dụng cho loại đơn vị {unit.type}"
        current = current.parent
    return "Không tính: không có nút con nào áp dụng"


def format_trace(trace: TraceNode, indent: str = "  ") -> str:
    """The trace as indented text (Vietnamese), for terminals and plain-text exports."""
    lines: list[str] = []
    _format(trace, 0, indent, lines)
    return "\n".join(lines)


def _format(t: TraceNode, depth: int, indent: str, lines: list[str]) -> None:
    pad = indent * depth
    head = f"{t.code} {t.title}".strip()
    if t.points is None:
        lines.append(f"{pad}{head}: không tính")
    else:
        score = f"{format_vn(t.points, t.decimals)} / {format_vn(t.max or ZERO, t.decimals)}"
        pct = f" ({format_vn(t.percent)} %)" if t.percent is not None else ""
        lines.append(f"{pad}{head}: {score}{pct}")
    lines.extend(f"{pad}{indent}· {step}" for step in t.steps)
    for child in t.children:
        _format(child, depth + 1, indent, lines)
