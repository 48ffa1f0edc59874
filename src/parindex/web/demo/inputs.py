"""Plausible inputs for any leaf, as an officer would type them, for a unit of given quality.

For each leaf a handful of *ways* to fill it is listed (ratios of tasks done, options of a
choice, counts of late reports…), each scored once by the core engine on a probe value. A unit
of quality *q* (0–1) gets full marks on a leaf with a probability that makes its mean share of
points about *q*, otherwise a random share; the way closest to that share is taken and turned
into concrete text (a denominator of the right size for a department or a commune).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from parindex.core import Methodology, Node
from parindex.web.assessments.scoring import score_texts

Texts = dict[str, str]
Maker = Callable[[random.Random, bool], Texts]  # (rng, commune-level unit?) → input texts

RATIOS = (1, 0.99, 0.98, 0.96, 0.95, 0.93, 0.9, 0.88, 0.85, 0.82, 0.8, 0.76, 0.72, 0.7, 0.65)
RATIOS += (0.6, 0.5, 0.4, 0.3)
PERCENTS = (100, 98, 96, 93, 90, 87, 84, 80, 76, 72, 68, 60, 52, 45, 35, 25, 15)
COUNTS = (0, 1, 2, 3, 4, 6, 8, 10, 12, 15, 18, 24, 30, 36, 48)
GROWTH = (-4.5, -1.2, 0.8, 2.5, 4.2, 5.5, 7.8, 10.5, 13.2)
# the size of a denominator, by words of its label: (department level, commune level)
SCALES: list[tuple[str, tuple[int, int], tuple[int, int]]] = [
    ("triệu đồng", (20_000, 400_000), (3_000, 60_000)),
    ("hồ sơ", (300, 8_000), (600, 9_000)),
    ("công dân", (4_000, 30_000), (4_000, 30_000)),
    ("văn bản đi", (800, 5_000), (600, 3_000)),
    ("thủ tục", (40, 180), (40, 120)),
    ("công chức", (25, 140), (22, 45)),
    ("nhiệm vụ", (10, 45), (8, 30)),
    ("chỉ tiêu", (10, 30), (8, 20)),
    ("phản ánh", (2, 35), (2, 25)),
    ("vụ việc", (5, 40), (5, 40)),
    ("cơ quan, đơn vị", (2, 12), (2, 6)),
    ("kiến nghị", (2, 15), (2, 10)),
    ("đơn khiếu nại", (2, 20), (2, 20)),
]
PLAN_PAIRS = {  # formula inputs: the part done → (the planned total, range of that total)
    "luot_hoan_thanh": ("luot_ke_hoach", (10, 60)),
    "nv_hoan_thanh": ("nv_ke_hoach", (8, 30)),
    "so_thon_co_to": ("so_thon", (8, 25)),
}
RANK_OF = 18  # departments ranked in the provincial competitiveness index (DDCI)


@dataclass(frozen=True)
class Way:
    """One plausible way to fill a leaf and how good it is (0 = worst, 1 = best)."""

    goodness: float
    make: Maker


def vn_number(value: float | Decimal, places: int = 2) -> str:
    """A number as a Vietnamese officer types it: decimal comma, no trailing zeros."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def goodness(node: Node, points: Decimal) -> float:
    share = float(points / node.max) if node.max else 0.0
    return 1 + share if node.area.kind == "penalty" else share


def leaf_ways(m: Methodology, node: Node) -> list[Way]:
    """The ways to fill a leaf (none for survey leaves or unknown input shapes)."""
    names = [s.name for s in node.inputs]
    if any(s.survey for s in node.inputs):
        pairs = []
    elif names == ["numerator", "denominator"]:
        pairs = [_ratio_way(node, r) for r in RATIOS]
    elif node.rule is not None and node.rule.type == "formula":
        pairs = _formula_ways(node)
    elif len(names) == 1:
        pairs = _single_ways(node)
    else:
        pairs = []
    ways = []
    for probe, make in pairs:
        points = score_texts(node, probe, m).points
        if points is not None:
            ways.append(Way(goodness(node, points), make))
    return ways


def leaf_target(node: Node, quality: float, rng: random.Random) -> float:
    """How well a unit of this quality does on one leaf; the mean tracks the quality."""
    kind = node.area.kind
    if kind == "bonus":
        return rng.uniform(0.3, 1) if rng.random() < 0.35 * quality else 0.0
    if kind == "penalty":
        return rng.uniform(0, 0.7) if rng.random() < 0.4 * (1 - quality) else 1.0
    full = max(0.0, min(1.0, (quality - 0.45) / 0.55))
    return 1.0 if rng.random() < full else rng.random()


def pick(ways: list[Way], target: float, rng: random.Random) -> Way:
    best = min(abs(w.goodness - target) for w in ways)
    return rng.choice([w for w in ways if abs(w.goodness - target) <= best + 1e-9])


def survey_value(quality: float, rng: random.Random) -> str:
    """A survey index (%) such as the survey import would store for a unit of this quality."""
    return vn_number(max(55.0, min(98.0, 80 + (quality - 0.8) * 55 + rng.gauss(0, 3))), 2)


def _denominator(label: str, rng: random.Random, local: bool) -> int:
    label = label.lower()
    for words, dept, commune in SCALES:
        if words in label:
            return rng.randint(*(commune if local else dept))
    return rng.randint(5, 30)


def _ratio_way(node: Node, r: float) -> tuple[Texts, Maker]:
    label = node.inputs[1].label
    over = "thu ngân sách" in node.inputs[0].label.lower()  # revenue may beat the estimate

    def make(rng: random.Random, local: bool) -> Texts:
        den = _denominator(label, rng, local)
        ratio = r + (rng.choice((0, 0.03, 0.08)) if over and r == 1 else 0)
        return {"numerator": str(round(den * ratio)), "denominator": str(den)}

    return {"numerator": str(int(r * 1000)), "denominator": "1000"}, make


def _fixed(texts: Texts) -> tuple[Texts, Maker]:
    return texts, lambda rng, local: dict(texts)


def _single_ways(node: Node) -> list[tuple[Texts, Maker]]:
    spec, rule = node.inputs[0], node.rule
    name = spec.name
    if spec.kind == "choice":
        return [_fixed({name: o.code}) for o in spec.options]
    if spec.kind == "boolean":
        return [_fixed({name: "có"}), _fixed({name: "không"})]
    if rule is not None and rule.type == "manual":
        step: Decimal = rule.step  # type: ignore[attr-defined]
        return [_fixed({name: vn_number(step * i)}) for i in range(int(node.max / step) + 1)]
    if spec.kind == "percent":
        return [_percent_way(name, p) for p in PERCENTS]
    if name == "count":  # occurrences: late reports, disciplined officers, initiatives…
        per = getattr(rule, "per", None) or 1
        most = min(int(getattr(rule, "cap", 1) / per) + 1, 6)
        return [_fixed({name: str(n)}) for n in range(most + 1)]
    if spec.kind == "integer":
        return [_fixed({name: str(n)}) for n in COUNTS]
    return [_fixed({name: vn_number(g, 1)}) for g in GROWTH]


def _percent_way(name: str, p: int) -> tuple[Texts, Maker]:
    def make(rng: random.Random, local: bool) -> Texts:
        jitter = 0 if p == 100 else rng.choice((0, 0.4, 0.8, 1.5))
        return {name: vn_number(min(100, p + jitter), 1)}

    return {name: str(p)}, make


def _formula_ways(node: Node) -> list[tuple[Texts, Maker]]:
    names = {s.name for s in node.inputs}
    if names == {"thu_hang", "so_don_vi"}:
        return [_fixed({"thu_hang": str(k), "so_don_vi": str(RANK_OF)}) for k in range(1, 19)]
    part = next((p for p in PLAN_PAIRS if p in names), None)
    if part is None:
        return []
    total, scale = PLAN_PAIRS[part]
    extras: list[dict[str, str]] = [{}]
    for spec in node.inputs:  # other inputs: yes/no flags, a count of people helped
        if spec.kind == "boolean":
            extras = [{**e, spec.name: v} for e in extras for v in ("có", "không")]
        elif spec.name not in (part, total):
            extras = [{**e, spec.name: v} for e in extras for v in ("0", "40", "150")]
    out = []
    for r in RATIOS[:12]:
        for extra in extras:
            probe = {total: "100", part: str(int(r * 100)), **extra}
            out.append((probe, _plan_maker(probe, total, part, r, scale)))
    return out


def _plan_maker(probe: Texts, total: str, part: str, r: float, scale: tuple[int, int]) -> Maker:
    def make(rng: random.Random, local: bool) -> Texts:
        n = rng.randint(*scale)
        return {**probe, total: str(n), part: str(round(n * r))}

    return make


class Filler:
    """Fills leaves for units of known quality; the ways of each leaf are computed once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._ways: dict[tuple[int, str], list[Way]] = {}

    def ways(self, m: Methodology, node: Node) -> list[Way]:
        key = (id(m), node.code)
        if key not in self._ways:
            self._ways[key] = leaf_ways(m, node)
        return self._ways[key]

    def fill(self, m: Methodology, node: Node, quality: float, local: bool) -> Texts | None:
        """Inputs a unit of this quality plausibly enters (``None``: it leaves the leaf empty)."""
        ways = self.ways(m, node)
        if not ways:
            return None
        return pick(ways, leaf_target(node, quality, self.rng), self.rng).make(self.rng, local)

    def worse(self, m: Methodology, node: Node, texts: Texts, local: bool) -> Texts | None:
        """What an appraiser finds instead: the next lower way, if there is one."""
        points = score_texts(node, texts, m).points
        if points is None or not node.max:
            return None
        current = goodness(node, points)
        lower = [w for w in self.ways(m, node) if w.goodness < current - 1e-9]
        for way in sorted(lower, key=lambda w: -w.goodness)[:5]:
            texts = way.make(self.rng, local)
            found = score_texts(node, texts, m).points
            if found is not None and found < points:  # concrete numbers may round back up
                return texts
        return None
