"""Scoring rules of leaf nodes.

Each rule knows the inputs it needs, the range of points it can give (checked against the
node's maximum when the methodology is loaded) and how to score a unit's values. ``score``
appends human-readable steps to ``trace`` when one is given; the engine passes ``None`` on the
fast path and a list when a user asks why a score is what it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from .. import formula as _formula
from ..decimals import HUNDRED, ZERO, format_vn
from .model import InputSpec, Option

Values = Mapping[str, Any]
Trace = list[str] | None
ONE = Decimal(1)


def _pct(value: Decimal) -> str:
    return format_vn(value.normalize() if value == value.to_integral_value() else value) + " %"


class Rule:
    """Base class: subclasses set ``type`` and implement the methods below."""

    type: ClassVar[str]

    def default_inputs(self, node_max: Decimal) -> list[InputSpec]:
        raise NotImplementedError  # pragma: no cover - every rule overrides it

    def bounds(self, node_max: Decimal) -> tuple[Decimal, Decimal] | None:
        """Lowest and highest points the rule can give, or ``None`` when unknowable."""
        raise NotImplementedError  # pragma: no cover

    def score(self, values: Values, trace: Trace = None) -> Decimal | None:
        """Points before clamping and rounding; ``None`` means "not applicable"."""
        raise NotImplementedError  # pragma: no cover

    def describe(self) -> str:
        raise NotImplementedError  # pragma: no cover

    def check_values(self, values: Values) -> str | None:
        """A Vietnamese message when inputs contradict each other, else ``None``."""
        return None


@dataclass(frozen=True, slots=True)
class Band:
    lower: Decimal | None
    lower_inclusive: bool
    upper: Decimal | None
    upper_inclusive: bool
    points: Decimal
    line: int = 0

    def describe(self) -> str:
        low = "" if self.lower is None else ("≥ " if self.lower_inclusive else "> ")
        high = "" if self.upper is None else ("≤ " if self.upper_inclusive else "< ")
        parts = []
        if self.lower is not None:
            parts.append(low + format_vn(self.lower))
        if self.upper is not None:
            parts.append(high + format_vn(self.upper))
        return " và ".join(parts) or "mọi giá trị"


def _ratio_inputs() -> list[InputSpec]:
    return [
        InputSpec("numerator", "Tử số", "number", min=ZERO),
        InputSpec("denominator", "Mẫu số", "number", min=ZERO),
    ]


class _RatioMixin:
    measure: str
    on_zero_denominator: str

    def _measure_value(self, values: Values, trace: Trace, as_fraction: bool) -> Decimal | str:
        """The measured value; the string "zero"/"full"/"na" when the denominator is 0."""
        if self.measure != "ratio":
            value: Decimal = values["value"]
            if trace is not None:
                trace.append(f"Giá trị nhập: {format_vn(value)}")
            return value / HUNDRED if as_fraction and self.measure == "percent" else value
        num: Decimal = values["numerator"]
        den: Decimal = values["denominator"]
        if den == 0:
            if trace is not None:
                what = {"full": "đạt tối đa", "zero": "0 điểm", "not_applicable": "không tính"}
                trace.append(f"Mẫu số bằng 0 → theo quy định: {what[self.on_zero_denominator]}")
            return self.on_zero_denominator
        ratio = num / den
        if trace is not None:
            pct = ratio * HUNDRED
            trace.append(
                f"Tỷ lệ = {format_vn(num)} / {format_vn(den)} × 100 = {format_vn(pct, 4)} %"
            )
        return ratio if as_fraction else ratio * HUNDRED

    def _ratio_check(self, values: Values) -> str | None:
        if self.measure == "ratio":
            num, den = values.get("numerator"), values.get("denominator")
            if num is not None and den is not None and num > den:
                return f"tử số ({format_vn(num)}) lớn hơn mẫu số ({format_vn(den)})"
        return None


@dataclass(frozen=True, slots=True)
class ChoiceRule(Rule):
    type: ClassVar[str] = "choice"
    options: tuple[Option, ...]

    def default_inputs(self, node_max: Decimal) -> list[InputSpec]:
        return [InputSpec("value", "Phương án", "choice", options=self.options)]

    def bounds(self, node_max: Decimal) -> tuple[Decimal, Decimal]:
        points = [o.points for o in self.options]
        return min(points), max(points)

    def score(self, values: Values, trace: Trace = None) -> Decimal:
        code = values["value"]
        option = next(o for o in self.options if o.code == code)
        if trace is not None:
            trace.append(f"Phương án '{option.code}' ({option.label}) → {format_vn(option.points)}")
        return option.points

    def describe(self) -> str:
        opts = "; ".join(f"{o.label}: {format_vn(o.points)}" for o in self.options)
        return f"chọn phương án ({opts})"


@dataclass(frozen=True, slots=True)
class BandsRule(_RatioMixin, Rule):
    type: ClassVar[str] = "bands"
    measure: str
    bands: tuple[Band, ...]
    on_zero_denominator: str = "full"
    node_max: Decimal = ZERO
    # Bands tile the domain (the loader checks it), so lower bounds alone decide: scan from the
    # highest lower bound down; the first band whose lower bound the value reaches is it.
    # Derived from ``bands``: (lower bound, inclusive, band), highest first.
    thresholds: tuple[tuple[Decimal | None, bool, Band], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        ordered = sorted(
            self.bands,
            key=lambda b: (b.lower is not None, b.lower or ZERO, not b.lower_inclusive),
            reverse=True,
        )
        object.__setattr__(
            self, "thresholds", tuple((b.lower, b.lower_inclusive, b) for b in ordered)
        )

    def default_inputs(self, node_max: Decimal) -> list[InputSpec]:
        if self.measure == "ratio":
            return _ratio_inputs()
        kind = {"percent": "percent", "count": "integer", "number": "number"}[self.measure]
        low = None if self.measure == "number" else ZERO
        high = HUNDRED if self.measure == "percent" else None
        return [InputSpec("value", "Giá trị", kind, min=low, max=high)]

    def bounds(self, node_max: Decimal) -> tuple[Decimal, Decimal]:
        points = [b.points for b in self.bands]
        if self.measure == "ratio" and self.on_zero_denominator == "full":
            points.append(node_max)
        return min(points), max(points)

    def score(self, values: Values, trace: Trace = None) -> Decimal | None:
        value = self._measure_value(values, trace, as_fraction=False)
        if isinstance(value, str):
            return {"full": self.node_max, "zero": ZERO, "not_applicable": None}[value]
        for lower, inclusive, band in self.thresholds:
            if lower is None or value > lower or (inclusive and value == lower):
                if trace is not None:
                    trace.append(f"Thuộc khoảng {band.describe()} → {format_vn(band.points)}")
                return band.points
        # Below every lower bound: only possible for values outside the domain, which input
        # parsing rejects; the lowest band is the sensible answer.
        return self.thresholds[-1][2].points

    def describe(self) -> str:
        what = {"ratio": "tỷ lệ %", "percent": "tỷ lệ %", "count": "số lần", "number": "giá trị"}
        parts = "; ".join(f"{b.describe()}: {format_vn(b.points)}" for b in self.bands)
        return f"theo khoảng {what[self.measure]} ({parts})"

    def check_values(self, values: Values) -> str | None:
        return self._ratio_check(values)


@dataclass(frozen=True, slots=True)
class ProportionalRule(_RatioMixin, Rule):
    type: ClassVar[str] = "proportional"
    measure: str
    node_max: Decimal
    on_zero_denominator: str = "full"

    def default_inputs(self, node_max: Decimal) -> list[InputSpec]:
        if self.measure == "ratio":
            return _ratio_inputs()
        return [InputSpec("value", "Tỷ lệ (%)", "percent", min=ZERO, max=HUNDRED)]

    def bounds(self, node_max: Decimal) -> tuple[Decimal, Decimal]:
        return ZERO, node_max

    def score(self, values: Values, trace: Trace = None) -> Decimal | None:
        ratio = self._measure_value(values, trace, as_fraction=True)
        if isinstance(ratio, str):
            return {"full": self.node_max, "zero": ZERO, "not_applicable": None}[ratio]
        clamped = max(ZERO, min(ONE, ratio))
        points = self.node_max * clamped
        if trace is not None:
            shown = format_vn(clamped.quantize(Decimal("0.000001")).normalize())
            trace.append(f"Điểm = {format_vn(self.node_max)} × {shown}")
        return points

    def describe(self) -> str:
        return "điểm tối đa × tỷ lệ" + (" (tử số/mẫu số)" if self.measure == "ratio" else " %")

    def check_values(self, values: Values) -> str | None:
        return self._ratio_check(values)


@dataclass(frozen=True, slots=True)
class BooleanRule(Rule):
    type: ClassVar[str] = "boolean"
    yes: Decimal
    no: Decimal

    def default_inputs(self, node_max: Decimal) -> list[InputSpec]:
        return [InputSpec("value", "Có/Không", "boolean")]

    def bounds(self, node_max: Decimal) -> tuple[Decimal, Decimal]:
        return min(self.yes, self.no), max(self.yes, self.no)

    def score(self, values: Values, trace: Trace = None) -> Decimal:
        flag = bool(values["value"])
        points = self.yes if flag else self.no
        if trace is not None:
            trace.append(f"{'Có' if flag else 'Không'} → {format_vn(points)}")
        return points

    def describe(self) -> str:
        return f"có: {format_vn(self.yes)}; không: {format_vn(self.no)}"


@dataclass(frozen=True, slots=True)
class ManualRule(Rule):
    type: ClassVar[str] = "manual"
    step: Decimal
    node_max: Decimal
    penalty: bool = False

    def default_inputs(self, node_max: Decimal) -> list[InputSpec]:
        label = "Số điểm trừ" if self.penalty else "Số điểm"
        return [InputSpec("value", label, "number", min=ZERO, max=node_max, step=self.step)]

    def bounds(self, node_max: Decimal) -> tuple[Decimal, Decimal]:
        return (-node_max, ZERO) if self.penalty else (ZERO, node_max)

    def score(self, values: Values, trace: Trace = None) -> Decimal:
        value: Decimal = values["value"]
        if trace is not None:
            trace.append(f"Điểm chấm trực tiếp: {format_vn(value)}")
        return -value if self.penalty else value

    def describe(self) -> str:
        return f"chấm trực tiếp từ 0 đến {format_vn(self.node_max)}, bước {format_vn(self.step)}"

    def check_values(self, values: Values) -> str | None:
        value = values.get("value")
        if value is not None and value % self.step != 0:
            return f"{format_vn(value)} không phải là bội số của bước {format_vn(self.step)}"
        return None


@dataclass(frozen=True, slots=True)
class _CountRule(Rule):
    per: Decimal | None
    cap: Decimal
    fixed: Decimal | None

    def default_inputs(self, node_max: Decimal) -> list[InputSpec]:
        if self.fixed is not None:
            return [InputSpec("value", "Có phát sinh", "boolean")]
        return [InputSpec("count", "Số lần", "integer", min=ZERO)]

    def _amount(self, values: Values, trace: Trace) -> Decimal:
        if self.fixed is not None:
            flag = bool(values["value"])
            amount = self.fixed if flag else ZERO
            if trace is not None:
                trace.append(f"{'Có' if flag else 'Không'} phát sinh → {format_vn(amount)}")
            return amount
        assert self.per is not None
        count: Decimal = values["count"]
        raw = self.per * count
        amount = min(self.cap, raw)
        if trace is not None:
            capped = f", giới hạn {format_vn(self.cap)}" if raw > self.cap else ""
            trace.append(
                f"{format_vn(count)} lần × {format_vn(self.per)} = {format_vn(raw)}{capped}"
            )
        return amount

    def _what(self) -> str:
        if self.fixed is not None:
            return f"{format_vn(self.fixed)} nếu có"
        assert self.per is not None
        return f"{format_vn(self.per)} mỗi lần, tối đa {format_vn(self.cap)}"


@dataclass(frozen=True, slots=True)
class DeductionRule(_CountRule):
    type: ClassVar[str] = "deduction"
    node_max: Decimal = ZERO
    penalty: bool = False

    def bounds(self, node_max: Decimal) -> tuple[Decimal, Decimal]:
        top = ZERO if self.penalty else node_max
        most = self.fixed if self.fixed is not None else self.cap
        return top - most, top

    def score(self, values: Values, trace: Trace = None) -> Decimal:
        amount = self._amount(values, trace)
        top = ZERO if self.penalty else self.node_max
        if trace is not None:
            trace.append(f"Điểm = {format_vn(top)} − {format_vn(amount)}")
        return top - amount

    def describe(self) -> str:
        return "trừ " + self._what()


@dataclass(frozen=True, slots=True)
class BonusRule(_CountRule):
    type: ClassVar[str] = "bonus"

    def bounds(self, node_max: Decimal) -> tuple[Decimal, Decimal]:
        return ZERO, self.fixed if self.fixed is not None else self.cap

    def score(self, values: Values, trace: Trace = None) -> Decimal:
        return self._amount(values, trace)

    def describe(self) -> str:
        return "cộng " + self._what()


@dataclass(frozen=True, slots=True)
class SurveyRule(Rule):
    type: ClassVar[str] = "survey"
    source: str
    node_max: Decimal

    def default_inputs(self, node_max: Decimal) -> list[InputSpec]:
        label = f"Chỉ số khảo sát {self.source} (%)"
        return [InputSpec("index", label, "percent", min=ZERO, max=HUNDRED, survey=True)]

    def bounds(self, node_max: Decimal) -> tuple[Decimal, Decimal]:
        return ZERO, node_max

    def score(self, values: Values, trace: Trace = None) -> Decimal:
        index: Decimal = values["index"]
        if trace is not None:
            trace.append(
                f"Điểm = {format_vn(self.node_max)} × {_pct(index)} (chỉ số khảo sát {self.source})"
            )
        return self.node_max * index / HUNDRED

    def describe(self) -> str:
        return f"điểm tối đa × chỉ số khảo sát '{self.source}' (không tự chấm)"


@dataclass(frozen=True, slots=True)
class FormulaRule(Rule):
    type: ClassVar[str] = "formula"
    expression: str
    compiled: _formula.Compiled
    node_max: Decimal

    def default_inputs(self, node_max: Decimal) -> list[InputSpec]:
        return []  # a formula's inputs are all declared in the node's `inputs`

    def bounds(self, node_max: Decimal) -> None:
        return None

    def score(self, values: Values, trace: Trace = None) -> Decimal:
        """Raises :class:`~parindex.core.formula.FormulaFailed` when it cannot be computed."""
        points = _formula.evaluate(self.compiled, values)
        if trace is not None:
            shown = ", ".join(f"{k} = {_show(v)}" for k, v in values.items())
            trace.append(f"Công thức {self.expression} với {shown} = {format_vn(points, 6)}")
        return points

    def describe(self) -> str:
        return f"công thức: {self.expression}"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    return format_vn(value) if isinstance(value, Decimal) else str(value)


RULE_TYPES = (
    "choice",
    "bands",
    "proportional",
    "boolean",
    "manual",
    "deduction",
    "bonus",
    "survey",
    "formula",
)
