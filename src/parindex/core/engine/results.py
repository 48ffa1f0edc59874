"""Result objects of the engine: per unit, per node, for the whole period."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..decimals import HUNDRED, quantize
from ..methodology import ClassBand, Methodology, Node
from ..units import Unit


class NodeMap(Mapping[str, Decimal | None]):
    """Node code → value, over a list shared in layout by all units (cheap to create)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: Sequence[Decimal | None]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, code: str) -> Decimal | None:
        return self._values[self._index[code]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"NodeMap({dict(self.items())!r})"


@dataclass(frozen=True, slots=True)
class Finding:
    """A warning about data or results (not an error: results are still computed)."""

    code: str
    message: str
    unit: str | None = None
    node: str | None = None


@dataclass(frozen=True, slots=True)
class AreaResult:
    code: str
    title: str
    kind: str
    points: Decimal
    max: Decimal
    index: Decimal | None


@dataclass(frozen=True, slots=True)
class LostPoints:
    code: str
    title: str
    max: Decimal
    points: Decimal
    lost: Decimal


@dataclass(eq=False, slots=True)
class UnitResult:
    """One unit's results. ``points``/``maxima`` hold ``None`` for nodes that do not apply."""

    methodology: Methodology
    unit: Unit
    points: Mapping[str, Decimal | None]
    maxima: Mapping[str, Decimal | None]
    total: Decimal
    max: Decimal
    index: Decimal | None
    status: dict[str, str] = field(default_factory=dict)
    rank: int | None = None
    klass: ClassBand | None = None

    def percent(self, code: str) -> Decimal | None:
        """Share of the applicable maximum reached by a node, rounded as the index is."""
        points, top = self.points[code], self.maxima[code]
        if points is None or not top:
            return None
        r = self.methodology.rounding
        return quantize(points / top * HUNDRED, r.index, r.mode)

    def areas(self) -> list[AreaResult]:
        """Every area with its points and component index (chỉ số thành phần)."""
        out = []
        for area in self.methodology.areas:
            points, top = self.points[area.code], self.maxima[area.code]
            if points is None or top is None:
                continue
            index = self.percent(area.code) if area.kind == "standard" else None
            out.append(AreaResult(area.code, area.title, area.kind, points, top, index))
        return out

    def lost_points(self, leaves_only: bool = True) -> list[LostPoints]:
        """Points lost per applicable node (maximum − points), largest first."""
        out = []
        for node in self.methodology.walk():
            if (leaves_only and not node.is_leaf) or node.kind != "standard":
                continue
            points, top = self.points[node.code], self.maxima[node.code]
            if points is None or top is None or points >= top:
                continue
            out.append(LostPoints(node.code, node.title, top, points, top - points))
        out.sort(key=lambda lp: (-lp.lost, _code_key(lp.code)))
        return out


def _code_key(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in code.split("."))


@dataclass(eq=False, slots=True)
class Results:
    """All units' results in input order, and what the engine noticed."""

    methodology: Methodology
    units: list[UnitResult]
    findings: list[Finding] = field(default_factory=list)

    def __iter__(self) -> Iterator[UnitResult]:
        return iter(self.units)

    def unit(self, code: str) -> UnitResult:
        for result in self.units:
            if result.unit.code == code:
                return result
        raise KeyError(f"không có đơn vị '{code}' trong kết quả")

    def ranking(self) -> list[UnitResult]:
        """Units ordered by group, then rank (unranked last), then code."""
        big = 1 << 30
        return sorted(self.units, key=lambda u: (u.unit.group, u.rank or big, u.unit.code))

    def node(self, code: str) -> Node:
        return self.methodology.node(code)
