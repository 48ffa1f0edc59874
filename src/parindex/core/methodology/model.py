"""The methodology (bộ tiêu chí) as immutable-by-convention Python objects.

Built only by :mod:`.loader` from a validated file; the engine reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules import Rule

UNIT_TYPES: dict[str, str] = {
    "province": "Tỉnh, thành phố",
    "department": "Sở, ban, ngành",
    "central_agency": "Cơ quan Trung ương đóng trên địa bàn",
    "district": "Huyện, thị xã, thành phố thuộc tỉnh",
    "commune": "Xã",
    "ward": "Phường",
    "special_zone": "Đặc khu",
    "ministry": "Bộ, cơ quan ngang bộ",
}

AREA_KINDS = ("standard", "bonus", "penalty")


@dataclass(frozen=True, slots=True)
class Option:
    """One named option of a ``choice`` input."""

    code: str
    label: str
    points: Decimal
    line: int = field(default=0, compare=False)  # where it is written, for error messages


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One value a unit (or a survey) supplies for a leaf.

    ``kind`` is one of ``choice``, ``boolean``, ``integer``, ``number``, ``percent``.
    ``survey`` inputs come from survey results and are never self-assessed.
    """

    name: str
    label: str
    kind: str
    options: tuple[Option, ...] = ()
    min: Decimal | None = None
    max: Decimal | None = None
    step: Decimal | None = None
    help: str = ""
    survey: bool = False

    def describe_allowed(self) -> str:
        """Vietnamese description of the allowed values (for templates and errors)."""
        from ..decimals import format_vn

        if self.kind == "choice":
            return "; ".join(f"{o.code} = {o.label}" for o in self.options)
        if self.kind == "boolean":
            return "có / không"
        parts = {"integer": "số nguyên", "number": "số", "percent": "tỷ lệ %"}[self.kind]
        if self.min is not None and self.max is not None:
            parts += f" từ {format_vn(self.min)} đến {format_vn(self.max)}"
        elif self.min is not None:
            parts += f" ≥ {format_vn(self.min)}"
        elif self.max is not None:
            parts += f" ≤ {format_vn(self.max)}"
        if self.step is not None:
            parts += f", bước {format_vn(self.step)}"
        return parts


@dataclass(frozen=True, slots=True)
class ClassBand:
    """A class (xếp loại): index ≥ ``min`` and below the next class up."""

    code: str
    label: str
    min: Decimal


@dataclass(frozen=True, slots=True)
class Rounding:
    points: int = 2
    index: int = 2
    mode: str = "half_up"


@dataclass(eq=False, slots=True)
class Node:
    """A node of the criteria tree: an area, a criterion, a sub-criterion…"""

    code: str
    title: str
    max: Decimal
    line: int
    kind: str = "standard"
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    rule: Rule | None = None
    inputs: tuple[InputSpec, ...] = ()
    reference: str = ""
    guidance: str = ""
    evidence: tuple[str, ...] = ()
    evidence_required: bool = False
    applies_to: frozenset[str] | None = None
    exemptible: bool = False

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def area(self) -> Node:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def walk(self) -> Iterator[Node]:
        """This node and its descendants, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()

    def applies(self, unit_type: str) -> bool:
        return self.applies_to is None or unit_type in self.applies_to

    def input(self, name: str) -> InputSpec | None:
        return next((spec for spec in self.inputs if spec.name == name), None)


@dataclass(frozen=True, slots=True)
class Decision:
    number: str = ""
    date: str = ""
    issuer: str = ""
    title: str = ""


@dataclass(eq=False, slots=True)
class Methodology:
    """A whole criteria set: metadata, scoring settings and the node tree."""

    id: str
    title: str
    year: int
    status: str
    unit_types: tuple[str, ...]
    max_points: Decimal
    areas: list[Node]
    source: str = "<dữ liệu>"
    decision: Decision = field(default_factory=Decision)
    description: str = ""
    notes: tuple[str, ...] = ()
    rounding: Rounding = field(default_factory=Rounding)
    classes: tuple[ClassBand, ...] = ()
    ranking_method: str = "standard"
    nodes: dict[str, Node] = field(default_factory=dict)

    def walk(self) -> Iterator[Node]:
        for area in self.areas:
            yield from area.walk()

    def leaves(self) -> Iterator[Node]:
        return (node for node in self.walk() if node.is_leaf)

    def node(self, code: str) -> Node:
        """The node with this code; ``KeyError`` with a Vietnamese message if none."""
        try:
            return self.nodes[code]
        except KeyError:
            raise KeyError(f"không có nút '{code}' trong bộ tiêu chí {self.id}") from None

    def classify(self, index: Decimal) -> ClassBand | None:
        """The class of an (already rounded) index, or ``None`` without classes."""
        for band in self.classes:
            if index >= band.min:
                return band
        return None
