"""Parsing and checking of a leaf's ``rule`` and ``inputs`` (part of the loader)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal

from .. import formula as _formula
from .._yamlsrc import LocMap
from ..decimals import HUNDRED, ZERO
from ..errors import FormulaError
from ._reader import Reader, written
from .model import InputSpec, Node, Option
from .rules import (
    RULE_TYPES,
    Band,
    BandsRule,
    BonusRule,
    BooleanRule,
    ChoiceRule,
    DeductionRule,
    FormulaRule,
    ManualRule,
    ProportionalRule,
    Rule,
    SurveyRule,
)

_RULE_KEYS: dict[str, set[str]] = {
    "choice": {"options"},
    "bands": {"measure", "bands", "on_zero_denominator"},
    "proportional": {"measure", "on_zero_denominator"},
    "boolean": {"yes", "no"},
    "manual": {"step"},
    "deduction": {"per", "cap", "fixed"},
    "bonus": {"per", "cap", "fixed"},
    "survey": {"source"},
    "formula": {"expression"},
}
_REQUIRED: dict[str, set[str]] = {
    "choice": {"options"},
    "bands": {"measure", "bands"},
    "survey": {"source"},
    "formula": {"expression"},
}
_MEASURES = {"bands": ("ratio", "percent", "count", "number"), "proportional": ("ratio", "percent")}
_ZERO_DEN = ("full", "zero", "not_applicable")
_INPUT_KEYS = {"label", "min", "max", "help"}
_INPUT_KINDS = ("number", "integer", "percent", "boolean")
_RESERVED = {"max_points", "min", "max", "abs", "round", "clamp"}


def parse_rule(r: Reader, m: LocMap, node: Node) -> Rule | None:
    spec = r.mapping(m["rule"], "'rule'", r.line_of(m, "rule"), node.code)
    if spec is None:
        return None
    kind = spec.get("type")
    if kind not in RULE_TYPES:
        msg = f"loại quy tắc '{kind}' không có; hợp lệ: {', '.join(RULE_TYPES)}"
        r.error("M005", msg, spec.line, node.code)
        return None
    allowed = _RULE_KEYS[kind] | {"type"}
    if not r.keys(spec, allowed, _REQUIRED.get(kind, set()), f"quy tắc {kind}", node.code):
        return None
    if not _fits_area(r, spec, kind, node):
        return None
    if kind == "formula":
        declared = m.get("inputs")
        rule = _formula_rule(r, spec, node, declared if isinstance(declared, LocMap) else LocMap())
    else:
        rule = _PARSERS[kind](r, spec, node)
    if rule is not None:
        _check_bounds(r, spec, rule, node)
    return rule


def _fits_area(r: Reader, spec: LocMap, kind: str, node: Node) -> bool:
    allowed = {
        "standard": set(RULE_TYPES),
        "bonus": {"bonus", "boolean", "choice", "manual", "formula"},
        "penalty": {"deduction", "manual", "choice", "formula"},
    }[node.kind]
    if kind in allowed:
        return True
    msg = f"quy tắc '{kind}' không dùng được trong lĩnh vực {node.kind}; dùng: " + ", ".join(
        sorted(allowed)
    )
    r.error("M041", msg, spec.line, node.code)
    return False


def _check_bounds(r: Reader, spec: LocMap, rule: Rule, node: Node) -> None:
    bounds = rule.bounds(node.max)
    if bounds is None or node.code in r.unsure:
        return
    low, high = bounds
    lo_ok, hi_ok = (-node.max, ZERO) if node.kind == "penalty" else (ZERO, node.max)
    if low < lo_ok or high > hi_ok:
        allowed = f"[{written(lo_ok)}, {written(hi_ok)}]"
        msg = (
            f"quy tắc {rule.type} có thể cho từ {written(low)} đến {written(high)} điểm, "
            f"vượt khoảng {allowed} của nút (điểm tối đa {written(node.max)})"
        )
        r.error("M040", msg, _offending_line(rule, lo_ok, hi_ok) or spec.line, node.code)


def _offending_line(rule: Rule, low: Decimal, high: Decimal) -> int | None:
    """The line of the first option or band whose points fall outside [low, high]."""
    parts = rule.options if isinstance(rule, ChoiceRule) else getattr(rule, "bands", ())
    return next((p.line for p in parts if not low <= p.points <= high and p.line), None)


def _choice(r: Reader, spec: LocMap, node: Node) -> Rule | None:
    items = r.sequence(spec["options"], "'options'", r.line_of(spec, "options"), node.code)
    if items is None:
        return None
    options: list[Option] = []
    for item, line in zip(items, items.item_lines, strict=True):
        o = r.mapping(item, "mỗi phương án", line, node.code)
        keys = {"code", "label", "points"}
        if o is None or not r.keys(o, keys, keys, "phương án", node.code):
            continue
        code = r.text(o, "code", node.code)
        if any(code == x.code for x in options):
            r.error("M005", f"mã phương án '{code}' bị trùng", line, node.code)
        points = r.number(o, "points", node.code)
        if points is not None:
            options.append(Option(code, r.text(o, "label", node.code), points, line))
    if len(options) < 2 and len(options) == len(items):
        r.error("M005", "quy tắc choice cần ít nhất 2 phương án", items.line, node.code)
        return None
    return ChoiceRule(tuple(options)) if len(options) == len(items) else None


def _bands(r: Reader, spec: LocMap, node: Node) -> Rule | None:
    measure = r.choice(spec, "measure", _MEASURES["bands"], node.code, "")
    zero_den = r.choice(spec, "on_zero_denominator", _ZERO_DEN, node.code, "full")
    items = r.sequence(spec["bands"], "'bands'", r.line_of(spec, "bands"), node.code)
    if not measure or items is None:
        return None
    bands: list[Band] = []
    for item, line in zip(items, items.item_lines, strict=True):
        band = _band(r, item, line, node)
        if band is not None:
            bands.append(band)
    if len(bands) != len(items) or not bands:
        if not items:
            r.error("M004", "'bands' cần ít nhất một khoảng", items.line, node.code)
        return None
    bands.sort(key=lambda b: (b.lower is not None, b.lower or ZERO, not b.lower_inclusive))
    if not _coverage(r, bands, measure, node):
        return None
    return BandsRule(
        measure=measure, bands=tuple(bands), on_zero_denominator=zero_den, node_max=node.max
    )


def _band(r: Reader, item: object, line: int, node: Node) -> Band | None:
    b = r.mapping(item, "mỗi khoảng", line, node.code)
    if b is None or not r.keys(
        b, {"gte", "gt", "lte", "lt", "points"}, {"points"}, "khoảng", node.code
    ):
        return None
    if ("gte" in b and "gt" in b) or ("lte" in b and "lt" in b):
        r.error(
            "M032",
            "một khoảng chỉ có một cận dưới (gte hoặc gt) và một cận trên (lte hoặc lt)",
            line,
            node.code,
        )
        return None
    lower = r.number(b, "gte", node.code) if "gte" in b else r.number(b, "gt", node.code)
    upper = r.number(b, "lte", node.code) if "lte" in b else r.number(b, "lt", node.code)
    points = r.number(b, "points", node.code)
    if points is None:
        return None
    if (
        lower is not None
        and upper is not None
        and (lower > upper or (lower == upper and not ("gte" in b and "lte" in b)))
    ):
        r.error("M032", f"cận dưới {lower} phải nhỏ hơn cận trên {upper}", line, node.code)
        return None
    return Band(lower, "gte" in b, upper, "lte" in b, points, line)


def _coverage(r: Reader, bands: list[Band], measure: str, node: Node) -> bool:
    """Bands sorted by lower bound must tile the measure's domain exactly."""
    dom_low, dom_high = {"count": (ZERO, None), "number": (None, None)}.get(
        measure, (ZERO, HUNDRED)
    )
    ok = _reachable(r, bands, dom_low, dom_high, node)
    first, last = bands[0], bands[-1]
    if (
        dom_low is not None
        and first.lower is not None
        and (first.lower > dom_low or (first.lower == dom_low and not first.lower_inclusive))
    ):
        r.error(
            "M031",
            f"giá trị từ {dom_low} đến {first.lower} không thuộc khoảng nào; "
            f"khoảng đầu cần 'gte: {dom_low}' hoặc bỏ cận dưới",
            first.line,
            node.code,
        )
        ok = False
    if last.upper is not None and (
        dom_high is None
        or last.upper < dom_high
        or (last.upper == dom_high and not last.upper_inclusive)
    ):
        top = "∞" if dom_high is None else dom_high
        r.error(
            "M031",
            f"giá trị trên {last.upper} (đến {top}) không thuộc khoảng nào; "
            f"khoảng cuối cần bỏ cận trên hoặc 'lte: {top}'",
            last.line,
            node.code,
        )
        ok = False
    for prev, nxt in itertools.pairwise(bands):
        ok = _adjacent(r, prev, nxt, measure, node) and ok
    return ok


def _reachable(
    r: Reader, bands: list[Band], low: Decimal | None, high: Decimal | None, node: Node
) -> bool:
    """Every band must contain some value of the domain (a percent never exceeds 100)."""
    ok = True
    for band in bands:
        above = (
            high is not None
            and band.lower is not None
            and (band.lower > high or (band.lower == high and not band.lower_inclusive))
        )
        below = (
            low is not None
            and band.upper is not None
            and (band.upper < low or (band.upper == low and not band.upper_inclusive))
        )
        if above or below:
            domain = f"[{'−∞' if low is None else low}, {'∞' if high is None else high}]"
            msg = (
                f"khoảng {band.describe()} nằm ngoài miền giá trị {domain}, không bao giờ đạt được"
            )
            r.error("M032", msg, band.line, node.code)
            ok = False
    return ok


def _adjacent(r: Reader, prev: Band, nxt: Band, measure: str, node: Node) -> bool:
    if (
        prev.upper is None
        or nxt.lower is None
        or prev.upper > nxt.lower
        or (prev.upper == nxt.lower and prev.upper_inclusive and nxt.lower_inclusive)
    ):
        where = "" if nxt.lower is None else f" tại {nxt.lower}"
        msg = (
            f"khoảng ở dòng {prev.line} ({prev.describe()}) và khoảng ở dòng {nxt.line} "
            f"({nxt.describe()}) chồng lấn{where}; "
            "dùng 'lt: X' rồi 'gte: X' (hoặc 'lte: X' rồi 'gt: X')"
        )
        r.error("M030", msg, nxt.line, node.code)
        return False
    integer_step = (
        measure == "count"
        and prev.upper_inclusive
        and nxt.lower_inclusive
        and prev.upper == prev.upper.to_integral_value()
        and nxt.lower == prev.upper + 1
    )
    if (prev.upper < nxt.lower and not integer_step) or (
        prev.upper == nxt.lower and not prev.upper_inclusive and not nxt.lower_inclusive
    ):
        msg = (
            f"giữa khoảng ở dòng {prev.line} ({prev.describe()}) và khoảng ở dòng {nxt.line} "
            f"({nxt.describe()}) bị hở; khoảng sau cần bắt đầu đúng tại {prev.upper} "
            f"({'gt' if prev.upper_inclusive else 'gte'}: {prev.upper})"
        )
        r.error("M031", msg, nxt.line, node.code)
        return False
    return True


def _proportional(r: Reader, spec: LocMap, node: Node) -> Rule | None:
    measure = r.choice(spec, "measure", _MEASURES["proportional"], node.code, "ratio")
    zero_den = r.choice(spec, "on_zero_denominator", _ZERO_DEN, node.code, "full")
    return ProportionalRule(measure=measure, node_max=node.max, on_zero_denominator=zero_den)


def _boolean(r: Reader, spec: LocMap, node: Node) -> Rule | None:
    yes = r.number(spec, "yes", node.code, default=node.max)
    no = r.number(spec, "no", node.code, default=ZERO)
    assert yes is not None and no is not None
    return BooleanRule(yes=yes, no=no)


def _manual(r: Reader, spec: LocMap, node: Node) -> Rule | None:
    step = r.number(spec, "step", node.code, default=Decimal("0.01"), positive=True)
    assert step is not None
    if node.max % step != 0:
        r.error(
            "M005",
            f"điểm tối đa {node.max} không phải bội số của bước {step}",
            r.line_of(spec, "step"),
            node.code,
        )
    return ManualRule(step=step, node_max=node.max, penalty=node.kind == "penalty")


def _count(
    r: Reader, spec: LocMap, node: Node
) -> tuple[Decimal | None, Decimal, Decimal | None] | None:
    per = r.number(spec, "per", node.code, positive=True)
    fixed = r.number(spec, "fixed", node.code, positive=True)
    if (per is None) == (fixed is None):
        r.error(
            "M005",
            f"quy tắc {spec['type']} cần đúng một trong hai khóa "
            "'per' (mỗi lần) hoặc 'fixed' (một lần)",
            spec.line,
            node.code,
        )
        return None
    if fixed is not None and "cap" in spec:
        r.error("M003", "'cap' chỉ dùng cùng 'per'", r.line_of(spec, "cap"), node.code)
    cap = r.number(spec, "cap", node.code, default=node.max, positive=True)
    assert cap is not None
    return per, cap, fixed


def _deduction(r: Reader, spec: LocMap, node: Node) -> Rule | None:
    parts = _count(r, spec, node)
    if parts is None:
        return None
    per, cap, fixed = parts
    return DeductionRule(
        per=per, cap=cap, fixed=fixed, node_max=node.max, penalty=node.kind == "penalty"
    )


def _bonus(r: Reader, spec: LocMap, node: Node) -> Rule | None:
    parts = _count(r, spec, node)
    return None if parts is None else BonusRule(per=parts[0], cap=parts[1], fixed=parts[2])


def _survey(r: Reader, spec: LocMap, node: Node) -> Rule | None:
    source = r.text(spec, "source", node.code)
    if not source:
        r.error("M005", "'source' cần mã công cụ khảo sát (ví dụ sipas)", spec.line, node.code)
        return None
    return SurveyRule(source=source, node_max=node.max)


def _formula_rule(r: Reader, spec: LocMap, node: Node, declared: LocMap) -> Rule | None:
    expression = r.text(spec, "expression", node.code)
    try:
        compiled = _formula.compile_formula(expression, set(declared), {"max_points": node.max})
    except FormulaError as exc:
        r.error(exc.code, exc.message, r.line_of(spec, "expression"), node.code)
        return None
    # A declared input the formula never reads would still be asked of every unit, and
    # leaving it empty would zero the leaf as "missing data".
    used = _formula.names_in(expression)
    for name in declared:
        if name.isidentifier() and name not in used and name not in _RESERVED:
            msg = f"công thức không dùng đầu vào '{name}'; bỏ khai báo hoặc dùng nó trong công thức"
            r.error("M071", msg, r.line_of(declared, name), node.code)
    return FormulaRule(expression=expression, compiled=compiled, node_max=node.max)


_PARSERS: dict[str, Callable[[Reader, LocMap, Node], Rule | None]] = {
    "choice": _choice,
    "bands": _bands,
    "proportional": _proportional,
    "boolean": _boolean,
    "manual": _manual,
    "deduction": _deduction,
    "bonus": _bonus,
    "survey": _survey,
}


def parse_inputs(r: Reader, m: LocMap, node: Node) -> tuple[InputSpec, ...]:
    """The leaf's input specs: the rule's defaults with the ``inputs`` overrides applied."""
    rule = node.rule
    declared = m.get("inputs")
    line = r.line_of(m, "inputs")
    if declared is not None and r.mapping(declared, "'inputs'", line, node.code) is None:
        return ()
    declared = declared or LocMap()
    if rule is None:
        return ()
    if rule.type == "formula":
        return _formula_inputs(r, declared, node, line)
    specs = {spec.name: spec for spec in rule.default_inputs(node.max)}
    for name, value in declared.items():
        name_line = r.line_of(declared, name)
        if name not in specs:
            valid = ", ".join(specs)
            r.error(
                "M071",
                f"quy tắc {rule.type} không dùng đầu vào '{name}'; các đầu vào của nó: {valid}",
                name_line,
                node.code,
            )
            continue
        o = r.mapping(value, f"đầu vào '{name}'", name_line, node.code)
        if o is None or not r.keys(o, _INPUT_KEYS, set(), f"đầu vào '{name}'", node.code):
            continue
        specs[name] = _override(r, o, specs[name], node)
    return tuple(specs.values())


def _override(r: Reader, o: LocMap, spec: InputSpec, node: Node) -> InputSpec:
    from dataclasses import replace

    low = r.number(o, "min", node.code, default=spec.min)
    high = r.number(o, "max", node.code, default=spec.max)
    if low is not None and high is not None and low > high:
        r.error("M070", f"đầu vào '{spec.name}': min {low} lớn hơn max {high}", o.line, node.code)
    return replace(
        spec,
        label=r.text(o, "label", node.code, spec.label),
        help=r.text(o, "help", node.code),
        min=low,
        max=high,
    )


def _formula_inputs(r: Reader, declared: LocMap, node: Node, line: int) -> tuple[InputSpec, ...]:
    if not declared:
        r.error("M070", "quy tắc formula cần khai báo 'inputs' (tên, nhãn, kiểu)", line, node.code)
        return ()
    specs = []
    for name, value in declared.items():
        name_line = r.line_of(declared, name)
        if not name.isidentifier() or name in _RESERVED:
            r.error(
                "M070",
                f"tên đầu vào '{name}' không hợp lệ (chữ, số, '_'; không trùng tên hàm)",
                name_line,
                node.code,
            )
            continue
        o = r.mapping(value, f"đầu vào '{name}'", name_line, node.code)
        if o is None or not r.keys(
            o, _INPUT_KEYS | {"type"}, {"label", "type"}, f"đầu vào '{name}'", node.code
        ):
            continue
        kind = r.choice(o, "type", _INPUT_KINDS, node.code, "number")
        base = InputSpec(
            name,
            "",
            kind,
            min=ZERO if kind in ("integer", "percent") else None,
            max=HUNDRED if kind == "percent" else None,
        )
        specs.append(_override(r, o, base, node))
    return tuple(specs)
