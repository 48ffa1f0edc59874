#!/usr/bin/env python3
"""Benchmark of the scoring core on a synthetic national period.

4,000 units × 150 leaves (by default) with a realistic mix of rule types: the methodology is
generated as YAML text and goes through the real strict loader; inputs are generated with a
fixed seed both as typed values (for ``compute``) and as long-form string rows (for
``parse_inputs``). Measured: methodology load, ``parse_inputs``, ``compute`` (results, ranks and
classes) repeated N times, tracemalloc peak during one separate compute, process max RSS.

Goal (from the issue): compute median ≤ 1.0 s and peak memory ≤ 1 GB on a 2-core machine.
This is a measurement, not a test: it exits 0 whatever the verdict, unless something crashes
or a sanity check fails (then the figures would mean nothing).

    make bench                                   # python bench/engine.py
    .venv/bin/python bench/engine.py --units 500 # quick run
    .venv/bin/python bench/engine.py --profile --units 1000
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from parindex.core import Methodology, Results, Unit, compute, loads_methodology, parse_inputs

UNITS = 4000
LEAVES = 150
SEED = 20260101
REPEAT = 7
GOAL_MEDIAN_S = 1.0
GOAL_MEMORY_MB = 1000.0  # 1 GB = 10^9 bytes (the stricter reading); figures are in MB = 10^6 B
MB = 1_000_000
ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------------------------
# Methodology shape and rule mix
# --------------------------------------------------------------------------------------------

# The eight standard areas of a provincial criteria set for departments (structure of Đề án
# 876/QĐ-BNV as the provinces detail it): code, title, max, leaves per criterion.
AREAS: list[tuple[str, str, int, list[int]]] = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", 12, [4, 4, 4, 4]),
    ("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", 8, [4, 3, 4, 3]),
    ("3", "Cải cách thủ tục hành chính", 14, [4, 4, 4, 4, 4]),
    ("4", "Cải cách tổ chức bộ máy hành chính nhà nước", 10, [4, 4, 4, 4]),
    ("5", "Cải cách chế độ công vụ", 16, [4, 4, 4, 4, 4]),
    ("6", "Cải cách tài chính công", 10, [4, 4, 4, 3]),
    ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", 14, [5, 5, 5, 5]),
    ("8", "Tác động của cải cách hành chính đến người dân, tổ chức", 16, [6, 6, 6]),
]
MAX_POINTS = 100
# Bonus area: one criterion, six leaves of 0.5; penalty area: two criteria (3 + 2 leaves of 1).
BONUS = ("9", "Điểm thưởng", [("9.1", "Sáng kiến, mô hình cải cách hành chính", 6)])
PENALTY = (
    "10",
    "Điểm trừ",
    [("10.1", "Vi phạm trong giải quyết thủ tục hành chính", 3), ("10.2", "Vi phạm kỷ luật", 2)],
)
# Rule types of the 139 standard leaves (the first nine leaves of area 8 are the surveys, the
# rest is shuffled with the seed). Bonus and penalty leaves are fixed above.
STANDARD_MIX = {
    "choice": 46,
    "boolean": 22,
    "bands_ratio": 22,
    "bands_count": 8,
    "proportional": 12,
    "manual": 7,
    "deduction": 5,
    "survey": 9,
    "formula": 8,
}
PENALTY_DEDUCTIONS = 5
BONUS_LEAVES = 6
RULE_TYPES = {
    "choice",
    "boolean",
    "bands",
    "proportional",
    "manual",
    "deduction",
    "bonus",
    "survey",
    "formula",
}
MIX_NOTE = (
    "rule mix modelled on a provincial criteria set for departments (mostly choice and yes/no "
    "self-assessment items, ratio bands for procedures and online services, surveys in the "
    "last area); the percentages are this benchmark's assumption, not taken from one decision"
)
EXEMPTIBLE = ("3.1", "3.2", "3.3", "7.3.2", "8.1.6")  # e.g. units without procedures (TTHC)
DEPARTMENT_ONLY = "2.4"  # applies_to: [department] — central agencies are not assessed on it
# Exemption patterns for the ~5 % of units with exemptions (pattern, weight).
EXEMPTIONS = [(("3.1", "3.2", "3.3", "8.1.6"), 6), (("7.3.2",), 3), (("3.3",), 1)]

Q = Decimal("0.25")
CENT = Decimal("0.01")


def dec(d: Decimal) -> str:
    """A Decimal as YAML/CSV writes it: ``0.75``, ``1``."""
    return f"{d.normalize():f}"


@dataclass
class LeafSpec:
    """What the generator needs to know about a leaf to draw realistic inputs."""

    code: str
    kind: str  # choice, boolean, bands_ratio, …, deduction_pen, bonus (see draw())
    max: Decimal
    path: tuple[str, ...]  # codes of the area, criterion and leaf (for exemptions)
    applies_to: frozenset[str] | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.params["names"])


def _split(total: Decimal, n: int, rng: random.Random) -> list[Decimal]:
    """``n`` leaf maxima, multiples of 0.25 and ≥ 0.5, adding up exactly to ``total``."""
    quarters = int(total / Q)
    base, rest = divmod(quarters, n)
    parts = [base + (1 if i < rest else 0) for i in range(n)]
    for _ in range(2 * n):  # move quarters around for variety, keeping the sum
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b and parts[a] > 2:
            parts[a] -= 1
            parts[b] += 1
    return [Q * p for p in parts]


def _part(top: Decimal, share: str) -> Decimal:
    return (top * Decimal(share)).quantize(CENT, ROUND_DOWN)


_CHOICES = [
    [("on_time", "Đúng thời hạn"), ("late", "Chậm thời hạn"), ("none", "Không thực hiện")],
    [("full", "Đầy đủ"), ("partial", "Chưa đầy đủ"), ("none", "Không có")],
    [
        ("all", "Hoàn thành toàn bộ"),
        ("most", "Hoàn thành phần lớn"),
        ("some", "Một phần"),
        ("none", "Không hoàn thành"),
    ],
]
_SOURCES = ("sipas", "leaders", "staff")
_FORMULAS: list[tuple[dict[str, str], str, str]] = [
    (
        {"ke_hoach": "integer", "hoan_thanh": "integer"},
        "0 if ke_hoach == 0 else min(max_points, max_points * hoan_thanh / ke_hoach)",
        "plan",
    ),
    (
        {"ty_le": "percent"},
        "max_points if ty_le >= 95 else (max_points * ty_le / 100 if ty_le >= 50 else 0)",
        "percent",
    ),
    (
        {"tong": "integer", "dat": "integer", "co_bao_cao": "boolean"},
        "(0 if tong == 0 else min(1, dat / tong)) * (max_points - 0.25)"
        " + (0.25 if co_bao_cao else 0)",
        "ratio_flag",
    ),
    (
        {"so_ngay_tre": "integer"},
        "clamp(max_points - 0.05 * so_ngay_tre, 0, max_points)",
        "late_days",
    ),
]


def _rule(kind: str, top: Decimal, n: int) -> tuple[list[str], dict[str, Any]]:
    """YAML lines (``inputs``/``rule`` at leaf indentation) and generator params for a leaf."""
    t = dec(top)
    if kind == "choice":
        options = _CHOICES[n % len(_CHOICES)]
        shares = ["1", "0.5", "0"] if len(options) == 3 else ["1", "0.75", "0.4", "0"]
        lines = ["rule:", "  type: choice", "  options:"]
        for (code, label), share in zip(options, shares, strict=True):
            pts = dec(_part(top, share))
            lines.append(f'    - {{code: {code}, label: "{label}", points: {pts}}}')
        return lines, {"names": ["value"], "options": [c for c, _ in options]}
    if kind == "boolean":
        if n % 3 == 0:
            return [f"rule: {{type: boolean, yes: {t}, no: 0}}"], {"names": ["value"]}
        return ["rule: {type: boolean}"], {"names": ["value"]}
    if kind == "bands_ratio":
        zero = ("full", "zero", "not_applicable")[n % 3]
        lines = [
            "rule:",
            "  type: bands",
            "  measure: ratio",
            f"  on_zero_denominator: {zero}",
            "  bands:",
            f"    - {{gte: 100, points: {t}}}",
            f"    - {{gte: 80, lt: 100, points: {dec(_part(top, '0.75'))}}}",
            f"    - {{gte: 50, lt: 80, points: {dec(_part(top, '0.4'))}}}",
            "    - {lt: 50, points: 0}",
        ]
        return lines, {"names": ["numerator", "denominator"]}
    if kind == "bands_count":
        fewer = n % 2 == 0  # violations (fewer is better) or outputs (more is better)
        if fewer:
            bands = [
                f"    - {{lt: 1, points: {t}}}",
                f"    - {{gte: 1, lt: 3, points: {dec(_part(top, '0.5'))}}}",
                "    - {gte: 3, points: 0}",
            ]
        else:
            bands = [
                "    - {lt: 2, points: 0}",
                f"    - {{gte: 2, lt: 5, points: {dec(_part(top, '0.5'))}}}",
                f"    - {{gte: 5, points: {t}}}",
            ]
        lines = ["rule:", "  type: bands", "  measure: count", "  bands:", *bands]
        return lines, {"names": ["value"], "fewer": fewer}
    if kind == "proportional":
        if n % 3 == 2:
            return ["rule: {type: proportional, measure: percent}"], {"names": ["value"]}
        zero = ("full", "not_applicable")[n % 3]
        rule = f"rule: {{type: proportional, measure: ratio, on_zero_denominator: {zero}}}"
        return [rule], {"names": ["numerator", "denominator"]}
    if kind == "manual":
        step = Decimal("0.25") if n % 2 == 0 else Decimal("0.05")
        return [f"rule: {{type: manual, step: {dec(step)}}}"], {"names": ["value"], "step": step}
    if kind in ("deduction", "deduction_pen"):
        if n % 3 == 2:
            fixed = dec(_part(top, "0.5") if kind == "deduction" else top)
            return [f"rule: {{type: deduction, fixed: {fixed}}}"], {"names": ["value"]}
        per = "0.25" if n % 2 == 0 else "0.5"
        return [f"rule: {{type: deduction, per: {per}, cap: {t}}}"], {"names": ["count"]}
    if kind == "bonus":
        if n % 3 == 2:
            return [f"rule: {{type: bonus, fixed: {t}}}"], {"names": ["value"]}
        return [f"rule: {{type: bonus, per: 0.25, cap: {t}}}"], {"names": ["count"]}
    if kind == "survey":
        source = _SOURCES[n % len(_SOURCES)]
        return [f"rule: {{type: survey, source: {source}}}"], {"names": ["index"]}
    if kind == "formula":
        inputs, expression, template = _FORMULAS[n % len(_FORMULAS)]
        lines = ["inputs:"]
        for name, typ in inputs.items():
            extra = ", min: 0" if typ == "integer" else ""
            lines.append(f'  {name}: {{label: "{name}", type: {typ}{extra}}}')
        lines += ["rule:", "  type: formula", f'  expression: "{expression}"']
        return lines, {"names": list(inputs), "template": template}
    raise AssertionError(kind)


def build_methodology(seed: int) -> tuple[str, list[LeafSpec]]:
    """The YAML text of the synthetic methodology and the generator's view of its leaves."""
    rng = random.Random(seed)
    standard_slots = sum(sum(per) for *_, per in AREAS)
    others = [k for k, n in STANDARD_MIX.items() if k != "survey" for _ in range(n)]
    rng.shuffle(others)
    assert standard_slots == len(others) + STANDARD_MIX["survey"]
    lines = [
        "format: parindex/methodology@1",
        "id: bench-quoc-gia",
        'title: "Bộ tiêu chí tổng hợp dùng cho đo hiệu năng (benchmark)"',
        "year: 2026",
        "status: sample",
        "unit_types: [department, central_agency]",
        f"max_points: {MAX_POINTS}",
        "rounding: {points: 2, index: 2, mode: half_up}",
        "classes:",
        '  - {code: A, label: "Xuất sắc", min: 90}',
        '  - {code: B, label: "Tốt", min: 80}',
        '  - {code: C, label: "Khá", min: 70}',
        '  - {code: D, label: "Trung bình", min: 50}',
        '  - {code: E, label: "Yếu", min: 0}',
        "ranking: {method: standard}",
        "nodes:",
    ]
    specs: list[LeafSpec] = []
    counter: Counter[str] = Counter()

    def node(depth: int, code: str, title: str, top: Decimal, extra: list[str]) -> None:
        pad = "  " * depth
        lines.append(f'{pad}- code: "{code}"')
        lines.append(f'{pad}  title: "{title}"')
        lines.append(f"{pad}  max: {dec(top)}")
        lines.extend(f"{pad}  {e}" for e in extra)

    def leaf(depth: int, area: str, crit: str, code: str, kind: str, top: Decimal) -> None:
        n = counter[kind]
        counter[kind] += 1
        rule_lines, params = _rule(kind, top, n)
        extra = ["exemptible: true"] if code in EXEMPTIBLE else []
        node(depth, code, f"Tiêu chí {code}", top, extra + rule_lines)
        applies = frozenset({"department"}) if crit == DEPARTMENT_ONLY else None
        specs.append(LeafSpec(code, kind, top, (area, crit, code), applies, params))

    for area, title, top, per in AREAS:
        node(1, area, title, Decimal(top), ["children:"])
        leaf_max = _split(Decimal(top), sum(per), rng)
        k = 0
        for c, count in enumerate(per, start=1):
            crit = f"{area}.{c}"
            extra = ["exemptible: true"] if crit in EXEMPTIBLE else []
            if crit == DEPARTMENT_ONLY:
                extra.append("applies_to: [department]")
            crit_max = sum(leaf_max[k : k + count], Decimal(0))
            node(3, crit, f"Tiêu chí {crit}", crit_max, [*extra, "children:"])
            for j in range(1, count + 1):
                kind = "survey" if area == "8" and k < STANDARD_MIX["survey"] else others.pop()
                leaf(5, area, crit, f"{crit}.{j}", kind, leaf_max[k])
                k += 1
    for (area, title, criteria), kind, area_kind, leaf_top in (
        (BONUS, "bonus", "bonus", Decimal("0.5")),
        (PENALTY, "deduction_pen", "penalty", Decimal(1)),
    ):
        area_max = sum((leaf_top * n for _, _, n in criteria), Decimal(0))
        node(1, area, title, area_max, [f"kind: {area_kind}", "children:"])
        for crit, crit_title, n in criteria:
            node(3, crit, crit_title, leaf_top * n, ["children:"])
            for j in range(1, n + 1):
                leaf(5, area, crit, f"{crit}.{j}", kind, leaf_top)
    assert not others and len(specs) == LEAVES, len(specs)
    return "\n".join(lines) + "\n", specs


def mix_table(specs: list[LeafSpec]) -> list[tuple[str, int]]:
    """Leaves per rule type as the issue words them (bands split by measure)."""
    names = {
        "deduction_pen": "deduction",
        "bands_ratio": "bands (ratio)",
        "bands_count": "bands (count)",
    }
    counts = Counter(names.get(s.kind, s.kind) for s in specs)
    return counts.most_common()


# --------------------------------------------------------------------------------------------
# Units and inputs
# --------------------------------------------------------------------------------------------


def build_units(n: int, seed: int) -> list[Unit]:
    rng = random.Random(seed + 1)
    units = []
    patterns = [p for p, w in EXEMPTIONS for _ in range(w)]
    for i in range(n):
        central = rng.random() < 0.12
        kind = "central_agency" if central else "department"
        group = f"K{17 + rng.randrange(4) if central else 1 + rng.randrange(16):02d}"
        exempt = frozenset(rng.choice(patterns)) if rng.random() < 0.05 else frozenset()
        units.append(Unit(f"U{i + 1:05d}", f"Đơn vị {i + 1}", kind, group, exempt))
    return units


_INT = [Decimal(i) for i in range(0, 5001)]
_HUNDREDTHS = [Decimal(i).scaleb(-2) for i in range(0, 10001)]


def _pct(rng: random.Random, mu: float, sigma: float, low: float = 0.0) -> Decimal:
    value = min(100.0, max(low, rng.gauss(mu, sigma)))
    return _HUNDREDTHS[round(value * 100)]


def _ratio(rng: random.Random, good: float, stats: Counter[str]) -> dict[str, Decimal]:
    """Numerator/denominator: mostly 80–100 %, ~1.5 % zero denominators."""
    stats["ratio"] += 1
    if rng.random() < 0.015:
        stats["zero_denominator"] += 1
        return {"numerator": _INT[0], "denominator": _INT[0]}
    den = min(5000, 1 + int(rng.lognormvariate(3.5, 1.2)))
    u = rng.random()
    if u < good * 0.55:
        num = den
    elif u < good:
        num = int(den * rng.uniform(0.8, 1.0))
    else:
        num = int(den * rng.uniform(0.3, 0.8))
    return {"numerator": _INT[num], "denominator": _INT[den]}


def _small(rng: random.Random, p_zero: float, high: int) -> Decimal:
    return _INT[0] if rng.random() < p_zero else _INT[rng.randint(1, high)]


def draw(spec: LeafSpec, rng: random.Random, good: float, stats: Counter[str]) -> dict[str, Any]:
    """Typed values of one leaf for one unit, drawn from realistic distributions.

    ``good`` (around 0.85) is how well the unit does overall: the share of top answers.
    """
    kind, p = spec.kind, spec.params
    if kind == "choice":
        options, u = p["options"], rng.random()
        rest = (1 - good) / 4
        pick = 0 if u < good else 1 if u < 1 - rest else 2 if u < 1 - rest / 2 else -1
        return {"value": options[pick]}
    if kind == "boolean":
        return {"value": rng.random() < good + 0.05}
    if kind == "bands_ratio":
        return _ratio(rng, good, stats)
    if kind == "bands_count":
        if p["fewer"]:
            u = rng.random()
            count = 0 if u < 0.75 else rng.randint(1, 2) if u < 0.95 else rng.randint(3, 6)
            return {"value": _INT[count]}
        return {"value": _INT[rng.choice((0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 10))]}
    if kind == "proportional":
        if "numerator" in p["names"]:
            return _ratio(rng, good, stats)
        return {"value": _pct(rng, 100 * good + 5, 8)}
    if kind == "manual":
        step: Decimal = p["step"]
        if rng.random() < good - 0.25:
            return {"value": spec.max}
        return {"value": max(Decimal(0), spec.max - step * rng.randint(1, 4))}
    if kind == "deduction":
        if p["names"] == ["value"]:
            return {"value": rng.random() < 0.1}
        return {"count": _small(rng, 0.7, 4)}
    if kind == "deduction_pen":
        if p["names"] == ["value"]:
            return {"value": rng.random() < 0.05}
        return {"count": _small(rng, 0.85, 4)}
    if kind == "bonus":
        if p["names"] == ["value"]:
            return {"value": rng.random() < 0.25}
        return {"count": _small(rng, 0.6, 3)}
    if kind == "survey":
        return {"index": _pct(rng, 100 * good, 6, 40)}
    if kind == "formula":
        template = p["template"]
        if template == "plan":
            plan = 0 if rng.random() < 0.03 else rng.randint(3, 30)
            done = plan if rng.random() < good - 0.2 else rng.randint(plan * 2 // 3, plan)
            return {"ke_hoach": _INT[plan], "hoan_thanh": _INT[done]}
        if template == "percent":
            return {"ty_le": _pct(rng, 100 * good + 5, 10)}
        if template == "ratio_flag":
            total = 0 if rng.random() < 0.03 else rng.randint(1, 50)
            ok = total if rng.random() < good - 0.3 else rng.randint(total // 2, total)
            return {"tong": _INT[total], "dat": _INT[ok], "co_bao_cao": rng.random() < good}
        return {"so_ngay_tre": _small(rng, 0.7, 15)}
    raise AssertionError(kind)


@dataclass
class Workload:
    units: list[Unit]
    inputs: dict[str, dict[str, dict[str, Any]]]
    blanks: dict[str, dict[str, tuple[str, ...]]]  # inputs left blank (missing values)
    stats: Counter[str]
    applicable: dict[str, list[LeafSpec]]


def build_inputs(units: list[Unit], specs: list[LeafSpec], seed: int) -> Workload:
    """Typed inputs for every applicable leaf; ~0.1 % leaves and ~0.05 % single inputs blank.

    Each unit draws how well it does (``good``, mean 0.85) so that indices spread over
    several classes as real results do, instead of all units landing on the average.
    """
    rng = random.Random(seed + 2)
    stats: Counter[str] = Counter()
    plans: dict[tuple[str, frozenset[str]], list[LeafSpec]] = {}
    inputs: dict[str, dict[str, dict[str, Any]]] = {}
    blanks: dict[str, dict[str, tuple[str, ...]]] = {}
    applicable: dict[str, list[LeafSpec]] = {}
    for unit in units:
        key = (unit.type, unit.exempt)
        leaves = plans.get(key)
        if leaves is None:
            leaves = plans[key] = [
                s
                for s in specs
                if (s.applies_to is None or unit.type in s.applies_to)
                and not unit.exempt.intersection(s.path)
            ]
        applicable[unit.code] = leaves
        mine: dict[str, dict[str, Any]] = {}
        good = min(0.97, max(0.45, rng.gauss(0.85, 0.08)))
        for spec in leaves:
            stats["leaf_values"] += 1
            values = draw(spec, rng, good, stats)
            if rng.random() < 0.001:
                stats["missing_leaf"] += 1
                blanks.setdefault(unit.code, {})[spec.code] = tuple(values)
                continue
            if len(values) > 1 and rng.random() < 0.0005:
                stats["missing_input"] += 1
                name = rng.choice(list(values))
                del values[name]
                blanks.setdefault(unit.code, {})[spec.code] = (name,)
            stats["typed_values"] += len(values)
            mine[spec.code] = values
        inputs[unit.code] = mine
    return Workload(units, inputs, blanks, stats, applicable)


def _cell(value: Any, n: int) -> str:
    if value is True:
        return "có"
    if value is False:
        return "không"
    if isinstance(value, Decimal):
        text = str(value)
        return text.replace(".", ",") if n % 10 == 0 else text  # some people write 0,5
    return str(value)


def build_rows(w: Workload) -> list[tuple[int, dict[str, str]]]:
    """The long-form table ``unit,node,input,value`` (blank cells for missing values)."""
    rows: list[tuple[int, dict[str, str]]] = []
    line = 1  # the header
    for unit in w.units:
        mine, blank = w.inputs[unit.code], w.blanks.get(unit.code, {})
        for spec in w.applicable[unit.code]:
            values = mine.get(spec.code, {})
            single = len(spec.names) == 1
            for name in spec.names:
                line += 1
                raw = values.get(name)
                text = "" if raw is None else _cell(raw, line)
                assert raw is not None or name in blank.get(spec.code, ())
                row = {"unit": unit.code, "node": spec.code, "input": "" if single else name}
                row["value"] = text
                rows.append((line, row))
    return rows


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB  # KiB on Linux


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / MB
    except OSError:
        pass
    return float("nan")


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "?"
    ram = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)  # GiB, as `free -h`
                break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 0
    return {
        "nproc": nproc,
        "cpu": cpu,
        "ram_gib": ram,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "commit": _commit(),
    }


def _commit() -> str:
    def git(*args: str) -> str:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
        return out.stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


def sanity(results: Results, units: list[Unit]) -> tuple[list[str], dict[str, Any]]:
    """Cheap checks on one compute's results, and a checksum to compare runs."""
    problems: list[str] = []
    if len(results.units) != len(units):
        problems.append(f"{len(results.units)} results for {len(units)} units")
    total = index_sum = Decimal(0)
    classes: Counter[str] = Counter()
    for r in results.units:
        code = r.unit.code
        if r.total > r.max or r.total < 0:
            problems.append(f"{code}: total {r.total} outside [0, {r.max}]")
        if r.index is None or not 0 <= r.index <= 100:
            problems.append(f"{code}: index {r.index}")
        if r.rank is None or r.rank < 1:
            problems.append(f"{code}: rank {r.rank}")
        if r.klass is None:
            problems.append(f"{code}: no class")
        else:
            classes[r.klass.code] += 1
        total += r.total
        index_sum += r.index or 0
    findings = Counter(f.code for f in results.findings)
    summary = {
        "checksum_total": str(total),
        "checksum_index": str(index_sum),
        "classes": dict(sorted(classes.items())),
        "findings": dict(sorted(findings.items())),
        "groups": len({u.group for u in units}),
    }
    return problems[:20], summary


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    info = machine()
    print(f"parindex engine benchmark — {started:%Y-%m-%d %H:%M:%S} UTC")
    print(
        f"machine: nproc {info['nproc']}, {info['cpu']}, RAM {info['ram_gib']} GiB; "
        f"{info['python']}; commit {info['commit']}"
    )

    text, specs = build_methodology(args.seed)
    units = build_units(args.units, args.seed)
    gen_s, w = timed(lambda: build_inputs(units, specs, args.seed))
    kinds = Counter(u.type for u in units)
    exempted = sum(1 for u in units if u.exempt)
    groups = len({u.group for u in units})
    print(
        f"workload: {len(units):,} units ({kinds['department']:,} department, "
        f"{kinds['central_agency']:,} central_agency; {groups} groups; {exempted:,} with "
        f"exemptions), {LEAVES} leaves; seed {args.seed}; generated in {gen_s:.2f} s"
    )
    mix = mix_table(specs)
    print("rule mix: " + ", ".join(f"{k} {n} ({n / LEAVES:.0%})" for k, n in mix))
    print(f"  ({MIX_NOTE})")
    s = w.stats
    print(
        f"inputs: {s['typed_values']:,} typed values for {s['leaf_values']:,} unit×leaf; "
        f"{s['missing_leaf']:,} leaves and {s['missing_input']:,} single inputs blank; "
        f"{s['zero_denominator']:,} of {s['ratio']:,} ratios with a zero denominator"
    )

    # 1. Methodology load (strict loader, from YAML text).
    load_times = []
    m: Methodology | None = None
    for _ in range(args.repeat):
        t, m = timed(lambda: loads_methodology(text, "<bench>"))
        load_times.append(t)
    assert m is not None
    leaves = sum(1 for _ in m.leaves())
    criteria = sum(1 for n in m.walk() if not n.is_leaf and n.parent is not None)
    types = sorted({n.rule.type for n in m.leaves() if n.rule is not None})
    assert leaves == LEAVES, leaves
    assert set(types) == RULE_TYPES, types  # every rule type is present
    print(
        f"methodology: {len(m.areas)} areas, {criteria} criteria, {leaves} leaves, "
        f"{len(types)} rule types; loaded from {len(text.splitlines()):,} lines of YAML"
    )

    # 2. compute, repeated; results of one run are dropped before the next.
    gc.collect()
    rss_before = current_rss_mb()
    times: list[float] = []
    checks: set[str] = set()
    problems: list[str] = []
    summary: dict[str, Any] = {}
    for i in range(args.repeat):
        gc.collect()
        t, results = timed(lambda: compute(m, units, w.inputs))
        times.append(t)
        if i == 0:
            problems, summary = sanity(results, units)
        checks.add(str(sum((r.total for r in results.units), Decimal(0))))
        del results
    if len(checks) != 1:
        problems.append(f"checksum differs between runs: {sorted(checks)}")
    rss_compute = max_rss_mb()

    # 3. tracemalloc peak during one separate compute (slower; not timed).
    gc.collect()
    tracemalloc.start()
    results = compute(m, units, w.inputs)
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del results
    gc.collect()

    # 4. parse_inputs of the long-form rows (last: the rows are big and raise max RSS).
    rows_s, rows = timed(lambda: build_rows(w))
    gc.collect()
    start = time.perf_counter()
    parsed = parse_inputs(rows, m, units, "<bench>")
    parse_s = time.perf_counter() - start
    if parsed != w.inputs:
        problems.append("parse_inputs of the long-form rows differs from the typed inputs")
    n_rows = len(rows)
    del rows, parsed
    rss_end = max_rss_mb()

    median = statistics.median(times)
    peak_mb = max(rss_compute, peak / MB)
    figures = {
        "date": f"{started:%Y-%m-%dT%H:%M:%SZ}",
        "machine": info,
        "units": len(units),
        "leaves": LEAVES,
        "seed": args.seed,
        "repeat": args.repeat,
        "rule_mix": dict(mix),
        "inputs": dict(s),
        "load_s": {"median": statistics.median(load_times), "min": min(load_times)},
        "compute_s": {
            "median": median,
            "min": min(times),
            "max": max(times),
            "runs": times,
        },
        "parse_inputs_s": parse_s,
        "parse_rows": n_rows,
        "build_rows_s": rows_s,
        "tracemalloc_peak_mb": peak / MB,
        "tracemalloc_retained_mb": retained / MB,
        "rss_before_compute_mb": rss_before,
        "max_rss_compute_mb": rss_compute,
        "max_rss_end_mb": rss_end,
        "sanity": {"problems": problems, **summary},
        "goal": {"median_s": GOAL_MEDIAN_S, "memory_mb": GOAL_MEMORY_MB},
    }

    per_unit = median / len(units) * 1e6
    print()
    print(f"{'phase':<42}{'median':>10}{'min':>10}{'max':>10}")
    print(f"{'-' * 72}")
    lt = load_times
    print(
        f"{'load methodology (YAML, strict loader)':<42}{statistics.median(lt):>9.3f}s"
        f"{min(lt):>9.3f}s{max(lt):>9.3f}s"
    )
    print(
        f"{'compute: results + ranks + classes':<42}{median:>9.3f}s{min(times):>9.3f}s"
        f"{max(times):>9.3f}s   ({args.repeat} runs, {per_unit:.0f} µs/unit)"
    )
    print(f"{f'parse_inputs ({n_rows:,} long-form rows)':<42}{parse_s:>9.3f}s   (1 run)")
    print()
    print(f"{'memory':<42}{'MB':>10}")
    print(f"{'-' * 72}")
    print(f"{'tracemalloc peak during one compute':<42}{peak / MB:>10.1f}")
    print(f"{'  of which results kept after compute':<42}{retained / MB:>10.1f}")
    print(f"{'process RSS before compute (data loaded)':<42}{rss_before:>10.1f}")
    print(f"{'process max RSS through compute runs':<42}{rss_compute:>10.1f}")
    print(f"{'process max RSS incl. parse_inputs rows':<42}{rss_end:>10.1f}")
    print()
    cls = ", ".join(f"{k} {v:,}" for k, v in summary.get("classes", {}).items())
    fnd = ", ".join(f"{k} {v:,}" for k, v in summary.get("findings", {}).items()) or "none"
    print(
        f"sanity: {'OK' if not problems else 'FAILED'} — every unit has total ≤ max, an index, "
        f"a rank and a class; parse_inputs == typed inputs"
    )
    print(f"  classes: {cls}; findings: {fnd}")
    print(
        f"  checksum: sum(total) = {summary.get('checksum_total')}, "
        f"sum(index) = {summary.get('checksum_index')}"
    )
    for problem in problems:
        print(f"  ! {problem}")

    full = len(units) == UNITS
    time_ok = median <= GOAL_MEDIAN_S
    mem_ok = peak_mb <= GOAL_MEMORY_MB

    def verdict(ok: bool) -> str:
        return ("PASS" if ok else "FAIL") if full else "n/a"

    figures["verdict"] = {"full_size": full, "median": verdict(time_ok), "memory": verdict(mem_ok)}
    note = "" if full else f" (goal is for {UNITS:,} units; this run has {len(units):,})"
    if info["nproc"] != 2:
        note += f" (goal is for a 2-core machine; this one has nproc {info['nproc']})"
    print()
    print(
        f"verdict: compute median {median:.3f} s ≤ {GOAL_MEDIAN_S:.1f} s: {verdict(time_ok)}; "
        f"peak memory {peak_mb:.1f} MB ≤ {GOAL_MEMORY_MB:.0f} MB: {verdict(mem_ok)}{note}"
    )

    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"figures written to {args.json}")
    if args.profile:
        profile(m, units, w.inputs)
    return 0 if not problems else 2


def profile(m: Methodology, units: list[Unit], inputs: dict[str, Any]) -> None:
    """Top functions by own time (tottime) for one compute under cProfile."""
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    compute(m, units, inputs)
    profiler.disable()
    print()
    print(f"cProfile of one compute ({len(units):,} units), top 15 by tottime:")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=UNITS, help=f"units (default {UNITS:,})")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="compute runs (default 7)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--profile", action="store_true", help="cProfile one extra compute")
    args = parser.parse_args(argv)
    if args.units < 1 or args.repeat < 1:
        parser.error("--units and --repeat must be ≥ 1")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
