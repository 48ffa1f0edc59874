"""Scoring a period: every leaf, every node, totals, indices, ranks and classes.

The methodology is compiled once into flat lists (nodes in pre-order, leaves, children by
index) and, per unit type and set of exemptions, into a *plan* of applicable leaves and
applicable maxima, so that scoring thousands of units is a tight loop over precomputed data.
The same :func:`score_leaf` serves the fast path and the trace, so an explanation can never
disagree with the number it explains.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from ..decimals import HUNDRED, ROUNDING_MODES, ZERO, format_vn, quantize
from ..methodology import Methodology, Node
from ..units import Unit
from .ranking import rank_within_group
from .results import Finding, Results, UnitResult

LeafValues = Mapping[str, Any]
UnitInputs = Mapping[str, LeafValues]

OK, MISSING, NOT_APPLICABLE, CLAMPED = "ok", "missing", "not_applicable", "clamped"


_CACHE_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class _Leaf:
    """A leaf prepared for scoring, with a memo of points by input values.

    Rules are pure functions of the inputs, so units with the same values for a leaf get the
    same points; the memo makes the many repeated choice/yes-no/count answers cost a lookup.
    """

    index: int
    node: Node
    names: tuple[str, ...]
    low: Decimal
    high: Decimal
    memo: dict[Any, tuple[Decimal | None, str]] | None


class _Compiled:
    """Flat, index-based view of a methodology, built once per :func:`compute` call."""

    def __init__(self, m: Methodology) -> None:
        self.m = m
        self.nodes = list(m.walk())
        self.codes = [n.code for n in self.nodes]
        position = {id(n): i for i, n in enumerate(self.nodes)}
        self.children = [tuple(position[id(c)] for c in n.children) for n in self.nodes]
        self.internal = [(i, ch) for i, ch in reversed(list(enumerate(self.children))) if ch]
        self.areas = [position[id(a)] for a in m.areas]
        self.leaves = [_leaf(i, n) for i, n in enumerate(self.nodes) if n.is_leaf]
        self.quant = Decimal(1).scaleb(-m.rounding.points)
        self.mode = ROUNDING_MODES[m.rounding.mode]
        self._plans: dict[tuple[str, frozenset[str]], _Plan] = {}

    def plan(self, unit: Unit) -> _Plan:
        key = (unit.type, unit.exempt)
        plan = self._plans.get(key)
        if plan is None:
            excluded = _excluded(self.m, unit)
            leaves = [lf for lf in self.leaves if id(lf.node) not in excluded]
            plan = self._plans[key] = _Plan(self, leaves)
        return plan

    def maxima(self, applicable_leaves: Iterable[_Leaf]) -> list[Decimal | None]:
        maxima: list[Decimal | None] = [None] * len(self.nodes)
        for leaf in applicable_leaves:
            maxima[leaf.index] = leaf.node.max
        for i, children in self.internal:
            present = [m for c in children if (m := maxima[c]) is not None]
            if present:
                maxima[i] = sum(present, ZERO)
        return maxima


class _Plan:
    def __init__(self, c: _Compiled, leaves: list[_Leaf]) -> None:
        self.leaves = leaves
        self.fast = [
            (
                lf,
                lf.index,
                lf.node.code,
                lf.names[0] if len(lf.names) == 1 else None,
                lf.names,
                lf.memo,
            )
            for lf in leaves
        ]
        self.maxima = c.maxima(leaves)
        self.maxima_by_code = dict(zip(c.codes, self.maxima, strict=True))
        self.total_max = _standard_max(c, self.maxima)
        self.internal = _applicable_internal(c, self.maxima)
        self.areas = [i for i in c.areas if self.maxima[i] is not None]


def _applicable_internal(
    c: _Compiled, maxima: list[Decimal | None]
) -> list[tuple[int, tuple[int, ...]]]:
    """Internal nodes that apply, children-first, each with its applicable children."""
    return [
        (i, tuple(ch for ch in children if maxima[ch] is not None))
        for i, children in c.internal
        if maxima[i] is not None
    ]


def _leaf(index: int, node: Node) -> _Leaf:
    low, high = (-node.max, ZERO) if node.kind == "penalty" else (ZERO, node.max)
    names = tuple(spec.name for spec in node.inputs)
    # Memoize only where keys are cheap to hash and repeat often: option codes, yes/no, and
    # single numbers (counts, manual points, survey indices). Ratios rarely repeat.
    discrete = all(spec.kind in ("choice", "boolean") for spec in node.inputs)
    memo: dict[Any, tuple[Decimal | None, str]] | None = {} if discrete or len(names) == 1 else None
    return _Leaf(index, node, names, low, high, memo)


def _excluded(m: Methodology, unit: Unit) -> set[int]:
    """Nodes (by id) that do not apply to the unit's type or are exempted for it."""
    out: set[int] = set()
    for area in m.areas:
        for node in area.walk():
            if (
                (node.parent is not None and id(node.parent) in out)
                or not node.applies(unit.type)
                or node.code in unit.exempt
            ):
                out.add(id(node))
    return out


def _standard_max(c: _Compiled, maxima: list[Decimal | None]) -> Decimal:
    return sum((maxima[i] or ZERO for i in c.areas if c.nodes[i].kind == "standard"), ZERO)


def score_leaf(
    node: Node, values: LeafValues | None, methodology: Methodology, trace: list[str] | None = None
) -> tuple[Decimal | None, str]:
    """Points of one leaf for one unit and a status (ok, missing, not_applicable, clamped)."""
    r = methodology.rounding
    quant = Decimal(1).scaleb(-r.points)
    return _score(_leaf(0, node), values, quant, ROUNDING_MODES[r.mode], trace)


def _score(
    leaf: _Leaf, values: LeafValues | None, quant: Decimal, mode: str, trace: list[str] | None
) -> tuple[Decimal | None, str]:
    if values is None:
        return _missing(leaf, values, trace)
    for name in leaf.names:
        if name not in values:
            return _missing(leaf, values, trace)
    node = leaf.node
    raw = node.rule.score(values, trace)  # type: ignore[union-attr]
    if raw is None:
        if trace is not None:
            trace.append("Không tính nút này: bỏ khỏi điểm tối đa áp dụng")
        return None, NOT_APPLICABLE
    status = OK
    if raw < leaf.low or raw > leaf.high:
        clamped = max(leaf.low, min(leaf.high, raw))
        if trace is not None:
            bounds = f"[{format_vn(leaf.low)}, {format_vn(leaf.high)}]"
            trace.append(f"Giới hạn trong {bounds} → {format_vn(clamped)}")
        raw, status = clamped, CLAMPED
    points = raw.quantize(quant, mode)
    if trace is not None and points != raw:
        trace.append(f"Làm tròn {format_vn(raw, 6)} → {format_vn(points)}")
    return points, status


def _missing(
    leaf: _Leaf, values: LeafValues | None, trace: list[str] | None
) -> tuple[Decimal | None, str]:
    if trace is not None:
        absent = [n for n in leaf.names if values is None or n not in values]
        trace.append(f"Thiếu dữ liệu ({', '.join(absent)}) → 0 điểm")
    return ZERO, MISSING


def compute(
    methodology: Methodology, units: Iterable[Unit], inputs: Mapping[str, UnitInputs]
) -> Results:
    """Score every unit; rank within groups; classify. Pure: no I/O, no globals."""
    c = _Compiled(methodology)
    findings: list[Finding] = []
    results = [_score_unit(c, unit, inputs.get(unit.code, {}), findings) for unit in units]
    ranks = rank_within_group(
        ((r.unit.code, r.unit.group, r.index) for r in results), methodology.ranking_method
    )
    for r in results:
        r.rank = ranks[r.unit.code]
        r.klass = methodology.classify(r.index) if r.index is not None else None
    return Results(methodology, results, findings)


def _score_unit(
    c: _Compiled, unit: Unit, values: UnitInputs, findings: list[Finding]
) -> UnitResult:
    plan = c.plan(unit)
    points: list[Decimal | None] = [None] * len(c.nodes)
    status: dict[str, str] = {}
    quant, mode = c.quant, c.mode
    get = values.get
    for leaf, position, code, single, names, memo in plan.fast:
        v = get(code)
        hit: tuple[Decimal | None, str] | None
        if memo is None:
            hit = _score(leaf, v, quant, mode, None)
        else:
            if v is None:
                key: Any = None
            elif single is not None:
                key = v.get(single)
            else:
                key = tuple([v.get(name) for name in names])
            hit = memo.get(key)
            if hit is None:
                hit = _score(leaf, v, quant, mode, None)
                if len(memo) < _CACHE_LIMIT:
                    memo[key] = hit
        points[position] = hit[0]
        if hit[1] is not OK:
            status[code] = hit[1]
    maxima_by_code, total_max = plan.maxima_by_code, plan.total_max
    internal, areas = plan.internal, plan.areas
    if status and NOT_APPLICABLE in status.values():
        # Rare: a leaf turned out not to apply (zero denominator); rebuild this unit's maxima.
        maxima = c.maxima(lf for lf in plan.leaves if points[lf.index] is not None)
        maxima_by_code = dict(zip(c.codes, maxima, strict=True))
        total_max = _standard_max(c, maxima)
        internal = _applicable_internal(c, maxima)
        areas = [i for i in c.areas if maxima[i] is not None]
    # Applicable nodes always have points here, so the getter never yields None.
    at = cast(Callable[[int], Decimal], points.__getitem__)
    for i, children in internal:
        points[i] = sum(map(at, children), ZERO)
    total = max(ZERO, min(total_max, sum(map(at, areas), ZERO)))
    r = c.m.rounding
    index = quantize(total / total_max * HUNDRED, r.index, r.mode) if total_max else None
    if status:
        _report(unit, status, findings)
    if total_max == 0:
        findings.append(
            Finding("W004", f"đơn vị {unit.code} không có tiêu chí nào áp dụng", unit.code)
        )
    return UnitResult(
        c.m,
        unit,
        dict(zip(c.codes, points, strict=True)),
        maxima_by_code,
        total,
        total_max,
        index,
        status,
    )


def _report(unit: Unit, status: dict[str, str], findings: list[Finding]) -> None:
    missing = [code for code, s in status.items() if s == MISSING]
    if missing:
        shown = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
        msg = f"đơn vị {unit.code} thiếu dữ liệu ở {len(missing)} tiêu chí (tính 0 điểm): {shown}"
        findings.append(Finding("W001", msg, unit.code))
    for code, s in status.items():
        if s == CLAMPED:
            msg = f"đơn vị {unit.code}, nút {code}: điểm tính ra vượt khoảng cho phép, đã giới hạn"
            findings.append(Finding("W002", msg, unit.code, code))
        elif s == NOT_APPLICABLE:
            msg = f"đơn vị {unit.code}, nút {code}: mẫu số bằng 0, nút không được tính"
            findings.append(Finding("W003", msg, unit.code, code))
