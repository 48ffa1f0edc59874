"""The methodology compiled for fast scoring (private to the engine).

Nodes are flattened in pre-order and addressed by position. Each leaf gets a *scorer*: the
generic one runs the rule exactly as the trace does (:func:`score_leaf_values`) and memoizes
by input values where they repeat; ratio bands and ratio proportional leaves get specialized
scorers, checked against the generic one by the test suite. A *plan* per unit type and set of
exemptions holds the applicable leaves and maxima.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..decimals import HUNDRED, ROUNDING_MODES, ZERO, format_vn
from ..formula import FormulaFailed
from ..methodology import Methodology, Node
from ..methodology.rules import BandsRule, ProportionalRule, SurveyRule
from ..units import Unit, node_applies
from .results import NodeMap

LeafValues = Mapping[str, Any]
Hit = tuple[Decimal | None, str]
Scorer = Callable[[LeafValues], Hit]

OK, MISSING, NOT_APPLICABLE, CLAMPED = "ok", "missing", "not_applicable", "clamped"
FORMULA_FAILED = "formula_failed"
MISSING_HIT: Hit = (ZERO, MISSING)
NOTHING_HIT: Hit = (ZERO, OK)
ONE = Decimal(1)
_MEMO_LIMIT = 4096


def score_leaf_values(
    node: Node, values: LeafValues | None, quant: Decimal, mode: str, trace: list[str] | None
) -> Hit:
    """The reference scoring of one leaf: rule, then clamping to the node's range, then rounding."""
    names = [spec.name for spec in node.inputs]
    if values is None or any(name not in values for name in names):
        if node.kind != "standard":
            # Bonus and penalty items are reported only when they happen: no data, no change.
            if trace is not None:
                trace.append("Không có dữ liệu: không cộng, không trừ điểm")
            return NOTHING_HIT
        if trace is not None:
            absent = [n for n in names if values is None or n not in values]
            trace.append(f"Thiếu dữ liệu ({', '.join(absent)}) → 0 điểm")
        return MISSING_HIT
    assert node.rule is not None
    try:
        raw = node.rule.score(values, trace)
    except FormulaFailed as exc:
        if trace is not None:
            trace.append(f"Công thức không tính được ({exc}) → 0 điểm")
        return ZERO, FORMULA_FAILED
    if raw is None:
        if trace is not None:
            trace.append("Không tính nút này: bỏ khỏi điểm tối đa áp dụng")
        return None, NOT_APPLICABLE
    status = OK
    low, high = (-node.max, ZERO) if node.kind == "penalty" else (ZERO, node.max)
    if raw < low or raw > high:
        clamped = max(low, min(high, raw))
        if trace is not None:
            trace.append(
                f"Giới hạn trong [{format_vn(low)}, {format_vn(high)}] → {format_vn(clamped)}"
            )
        raw, status = clamped, CLAMPED
    points = raw.quantize(quant, mode)
    if trace is not None and points != raw:
        trace.append(f"Làm tròn {format_vn(raw, 6)} → {format_vn(points)}")
    return points, status


EMPTY: LeafValues = {}  # a unit's values for a leaf it gave no data for


def make_scorer(node: Node, quant: Decimal, mode: str) -> Scorer:
    """The fastest correct scorer for one leaf: values (``EMPTY`` if none) → (points, status)."""
    rule = node.rule
    zero_den = {"numerator": ZERO, "denominator": ZERO}
    # Bands, proportional and survey rules live only in standard areas (the loader checks
    # it), where their points already lie within [0, max]: nothing to clamp.
    if isinstance(rule, BandsRule):
        if rule.measure != "ratio":
            return _value_bands(_band_table(rule, quant, mode))
        zero_hit = score_leaf_values(node, zero_den, quant, mode, None)
        return _ratio_bands(_band_table(rule, quant, mode), zero_hit)
    if isinstance(rule, ProportionalRule):
        if rule.measure != "ratio":
            return _percent_proportional(rule.node_max, quant, mode)
        zero_hit = score_leaf_values(node, zero_den, quant, mode, None)
        return _ratio_proportional(rule.node_max, quant, mode, zero_hit)
    if isinstance(rule, SurveyRule):
        return _survey(node, quant, mode)
    names = tuple(spec.name for spec in node.inputs)
    if len(names) == 1 or all(spec.kind in ("choice", "boolean") for spec in node.inputs):
        return _memoized(node, names, quant, mode)
    return lambda values: score_leaf_values(node, values, quant, mode, None)


def _memoized(node: Node, names: tuple[str, ...], quant: Decimal, mode: str) -> Scorer:
    # Rules are pure functions of their inputs: units giving the same answers get the same
    # points. Keys are option codes, yes/no or single numbers, which repeat a lot.
    memo: dict[Any, Hit] = {}

    def miss(key: Any, values: LeafValues) -> Hit:
        hit = score_leaf_values(node, values, quant, mode, None)
        if len(memo) < _MEMO_LIMIT:
            memo[key] = hit
        return hit

    if len(names) == 1:
        (single,) = names

        def score_one(values: LeafValues) -> Hit:
            key = values.get(single)
            return memo.get(key) or miss(key, values)

        return score_one

    def score_many(values: LeafValues) -> Hit:
        key = tuple([values.get(n) for n in names])
        return memo.get(key) or miss(key, values)

    return score_many


BandTable = tuple[tuple[Decimal | None, bool, Hit], ...]


def _band_table(rule: BandsRule, quant: Decimal, mode: str) -> BandTable:
    return tuple(
        (low, inc, (band.points.quantize(quant, mode), OK)) for low, inc, band in rule.thresholds
    )


def _value_bands(table: BandTable) -> Scorer:
    def score(values: LeafValues) -> Hit:
        value = values.get("value")
        if value is None:
            return MISSING_HIT
        for low, inclusive, hit in table:
            if low is None or value > low or (inclusive and value == low):
                return hit
        return table[-1][2]

    return score


def _ratio_bands(table: BandTable, zero_hit: Hit) -> Scorer:
    def score(values: LeafValues) -> Hit:
        num, den = values.get("numerator"), values.get("denominator")
        if num is None or den is None:
            return MISSING_HIT
        if not den:
            return zero_hit
        value = num / den * HUNDRED
        for low, inclusive, hit in table:
            if low is None or value > low or (inclusive and value == low):
                return hit
        return table[-1][2]

    return score


def _ratio_proportional(top: Decimal, quant: Decimal, mode: str, zero_hit: Hit) -> Scorer:
    def score(values: LeafValues) -> Hit:
        num, den = values.get("numerator"), values.get("denominator")
        if num is None or den is None:
            return MISSING_HIT
        if not den:
            return zero_hit
        fraction = num / den
        fraction = ONE if fraction > ONE else ZERO if fraction < ZERO else fraction
        return (top * fraction).quantize(quant, mode), OK

    return score


def _percent_proportional(top: Decimal, quant: Decimal, mode: str) -> Scorer:
    def score(values: LeafValues) -> Hit:
        value = values.get("value")
        if value is None:
            return MISSING_HIT
        fraction = value / HUNDRED
        fraction = ONE if fraction > ONE else ZERO if fraction < ZERO else fraction
        return (top * fraction).quantize(quant, mode), OK

    return score


def _survey(node: Node, quant: Decimal, mode: str) -> Scorer:
    top = node.max

    def score(values: LeafValues) -> Hit:
        index = values.get("index")
        if index is None:
            return MISSING_HIT
        if ZERO <= index <= HUNDRED:
            return (top * index / HUNDRED).quantize(quant, mode), OK
        return score_leaf_values(node, values, quant, mode, None)  # clamped, with its status

    return score


class Compiled:
    """Flat, index-based view of a methodology with one scorer per leaf."""

    def __init__(self, m: Methodology) -> None:
        self.m = m
        self.nodes = list(m.walk())
        self.codes = [n.code for n in self.nodes]
        self.position = {code: i for i, code in enumerate(self.codes)}
        where = {id(n): i for i, n in enumerate(self.nodes)}
        self.children = [tuple(where[id(c)] for c in n.children) for n in self.nodes]
        self.internal = [(i, ch) for i, ch in reversed(list(enumerate(self.children))) if ch]
        self.areas = [where[id(a)] for a in m.areas]
        self.quant = Decimal(1).scaleb(-m.rounding.points)
        self.mode = ROUNDING_MODES[m.rounding.mode]
        self.leaves = [
            (i, n.code, make_scorer(n, self.quant, self.mode))
            for i, n in enumerate(self.nodes)
            if n.is_leaf
        ]
        self._plans: dict[tuple[str, frozenset[str]], Plan] = {}

    def plan(self, unit: Unit) -> Plan:
        key = (unit.type, unit.exempt)
        plan = self._plans.get(key)
        if plan is None:
            leaves = [lf for lf in self.leaves if node_applies(self.m.nodes[lf[1]], unit)]
            plan = self._plans[key] = Plan(self, leaves)
        return plan

    def maxima(self, leaf_positions: Iterable[int]) -> list[Decimal | None]:
        maxima: list[Decimal | None] = [None] * len(self.nodes)
        for i in leaf_positions:
            maxima[i] = self.nodes[i].max
        for i, children in self.internal:
            present = [m for c in children if (m := maxima[c]) is not None]
            if present:
                maxima[i] = sum(present, ZERO)
        return maxima


class Shape:
    """Applicable maxima and the aggregation order for one set of applicable leaves."""

    def __init__(self, c: Compiled, leaf_positions: Iterable[int]) -> None:
        maxima = c.maxima(leaf_positions)
        self.applies = [m is not None for m in maxima]
        self.maxima = NodeMap(c.position, maxima)
        self.total_max = sum(
            (maxima[i] or ZERO for i in c.areas if c.nodes[i].kind == "standard"), ZERO
        )
        # Internal nodes that apply, children first, each with its applicable children.
        self.internal = [
            (i, tuple(ch for ch in children if maxima[ch] is not None))
            for i, children in c.internal
            if maxima[i] is not None
        ]
        self.areas = [i for i in c.areas if maxima[i] is not None]


class Plan:
    """What applies to one unit type with one set of exemptions."""

    def __init__(self, c: Compiled, leaves: list[tuple[int, str, Scorer]]) -> None:
        self.c = c
        self.leaves = leaves
        self.shape = Shape(c, (i for i, _, _ in leaves))
        self._reduced: dict[frozenset[int], Shape] = {}

    def reduced(self, dropped: frozenset[int]) -> Shape:
        """The shape when some leaves turned out not to apply (zero denominators)."""
        shape = self._reduced.get(dropped)
        if shape is None:
            kept = (i for i, _, _ in self.leaves if i not in dropped)
            shape = self._reduced[dropped] = Shape(self.c, kept)
        return shape
