"""Scoring a period: every leaf, every node, totals, indices, ranks and classes.

The methodology is compiled once per call (see :mod:`._compile`): one scorer per leaf and,
per unit type and set of exemptions, a plan of what applies, so scoring thousands of units
is a tight loop over precomputed data. (Scoring one leaf for all units at a time was measured
slower: it walks every unit's input dictionaries once per leaf and loses the CPU cache.)
:func:`score_leaf` runs the reference scoring the compiled scorers are tested against, with a
trace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import cast

from ..decimals import HUNDRED, ROUNDING_MODES, ZERO, quantize
from ..methodology import Methodology, Node
from ..units import Unit
from ._compile import (
    CLAMPED,
    EMPTY,
    FORMULA_FAILED,
    MISSING,
    NOT_APPLICABLE,
    OK,
    Compiled,
    LeafValues,
    score_leaf_values,
)
from .ranking import rank_within_group
from .results import Finding, NodeMap, Results, UnitResult

UnitInputs = Mapping[str, LeafValues]

__all__ = [
    "CLAMPED",
    "FORMULA_FAILED",
    "MISSING",
    "NOT_APPLICABLE",
    "OK",
    "compute",
    "score_leaf",
]


def score_leaf(
    node: Node, values: LeafValues | None, methodology: Methodology, trace: list[str] | None = None
) -> tuple[Decimal | None, str]:
    """Points of one leaf for one unit and a status (ok, missing, not_applicable, clamped).

    Steps are appended to ``trace`` when a list is given.
    """
    r = methodology.rounding
    quant = Decimal(1).scaleb(-r.points)
    return score_leaf_values(node, values, quant, ROUNDING_MODES[r.mode], trace)


def compute(
    methodology: Methodology, units: Iterable[Unit], inputs: Mapping[str, UnitInputs]
) -> Results:
    """Score every unit; rank within groups; classify. Pure: no I/O, no globals."""
    c = Compiled(methodology)
    results = [_score_unit(c, unit, inputs.get(unit.code, EMPTY)) for unit in units]
    findings: list[Finding] = []
    for result in results:
        if result.status:
            _report(result.unit, result.status, findings)
        if not result.max:
            msg = f"đơn vị {result.unit.code} không có tiêu chí nào áp dụng"
            findings.append(Finding("W004", msg, result.unit.code))
    ranks = rank_within_group(
        ((r.unit.code, r.unit.group, r.index) for r in results), methodology.ranking_method
    )
    for r in results:
        r.rank = ranks[r.unit.code]
        r.klass = methodology.classify(r.index) if r.index is not None else None
    return Results(methodology, results, findings)


def _score_unit(c: Compiled, unit: Unit, values: UnitInputs) -> UnitResult:
    # Unit by unit: each unit's values stay hot in the CPU cache while its leaves are scored.
    plan = c.plan(unit)
    points: list[Decimal | None] = [None] * len(c.nodes)
    status: dict[str, str] = {}
    get = values.get
    for position, code, scorer in plan.leaves:
        hit = scorer(get(code, EMPTY))
        points[position] = hit[0]
        if hit[1] is not OK:
            status[code] = hit[1]
    shape = plan.shape
    if status and NOT_APPLICABLE in status.values():
        dropped = frozenset(i for i, code, _ in plan.leaves if status.get(code) == NOT_APPLICABLE)
        shape = plan.reduced(dropped)
    # Applicable nodes always have points here, so the getter never yields None.
    at = cast(Callable[[int], Decimal], points.__getitem__)
    for i, children in shape.internal:
        points[i] = _sum(map(at, children))
    top = shape.total_max
    total = max(ZERO, min(top, _sum(map(at, shape.areas))))
    r = c.m.rounding
    index = quantize(total / top * HUNDRED, r.index, r.mode) if top else None
    node_points = NodeMap(c.position, points)
    return UnitResult(c.m, unit, node_points, shape.maxima, total, top, index, status)


_sum = cast(Callable[[Iterable[Decimal]], Decimal], partial(sum, start=ZERO))


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
        elif s == FORMULA_FAILED:
            msg = (
                f"đơn vị {unit.code}, nút {code}: công thức không tính được với số liệu này "
                "(chia cho 0 hoặc vượt giới hạn), tính 0 điểm"
            )
            findings.append(Finding("W005", msg, unit.code, code))
