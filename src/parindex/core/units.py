"""Units (đơn vị) as the engine sees them, and parsing of a units table."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import InputError, Issue
from .methodology import UNIT_TYPES, Methodology, Node

Row = Mapping[str, object]

# Vietnamese names people write in the `type` column, folded (no diacritics, lower case).
_ALIASES = {
    "tinh": "province",
    "thanh pho truc thuoc trung uong": "province",
    "so": "department",
    "so, ban, nganh": "department",
    "so ban nganh": "department",
    "ban": "department",
    "nganh": "department",
    "co quan trung uong": "central_agency",
    "co quan trung uong dong tren dia ban": "central_agency",
    "huyen": "district",
    "xa": "commune",
    "phuong": "ward",
    "dac khu": "special_zone",
    "bo": "ministry",
    "co quan ngang bo": "ministry",
}


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit assessed in a period: its type decides which nodes apply; ranks are per group."""

    code: str
    name: str
    type: str
    group: str
    exempt: frozenset[str] = frozenset()


def exempted_by(node: Node, unit: Unit) -> str | None:
    """The code of the node (this one or an ancestor) the unit is exempted from, if any."""
    current: Node | None = node
    while current is not None:
        if current.code in unit.exempt:
            return current.code
        current = current.parent
    return None


def node_applies(node: Node, unit: Unit) -> bool:
    """Whether a node counts for a unit: it applies to the unit's type and is not exempted.

    ``Node.applies_to`` is already inherited from ancestors by the loader; exemptions are
    checked up the tree here.
    """
    return node.applies(unit.type) and exempted_by(node, unit) is None


def fold(text: str) -> str:
    """Lower-case text without Vietnamese diacritics (for matching what people type)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower().strip()


def unit_type(text: str) -> str | None:
    """The unit-type code for ``department`` or a Vietnamese name such as ``Sở``."""
    raw = text.strip()
    if raw in UNIT_TYPES:
        return raw
    return _ALIASES.get(fold(raw))


def parse_units(
    rows: Iterable[tuple[int, Row]], methodology: Methodology, source: str = "<đơn vị>"
) -> list[Unit]:
    """Units from ``(row number, {column: value})`` pairs.

    Raises :class:`InputError` listing every bad row; returns nothing partial.
    """
    issues: list[Issue] = []
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        unit = _unit(line, row, methodology, source, issues)
        if unit is None:
            continue
        if unit.code in seen:
            issues.append(
                Issue(
                    "I011",
                    f"mã đơn vị '{unit.code}' bị trùng (dòng {seen[unit.code]})",
                    source,
                    line,
                    "code",
                )
            )
            continue
        seen[unit.code] = line
        units.append(unit)
    if not units and not issues:
        issues.append(Issue("I010", "tệp đơn vị không có dòng nào", source, None))
    if issues:
        raise InputError(issues)
    return units


def cell_text(row: Row, key: str) -> str:
    """A cell as stripped text; empty when absent."""
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _unit(line: int, row: Row, m: Methodology, source: str, issues: list[Issue]) -> Unit | None:
    before = len(issues)
    for col in ("code", "name", "type", "group"):
        if not cell_text(row, col):
            issues.append(Issue("I012", f"cột '{col}' không được để trống", source, line, col))
    raw_type = cell_text(row, "type")
    kind = unit_type(raw_type) if raw_type else None
    if raw_type and kind is None:
        valid = ", ".join(UNIT_TYPES)
        issues.append(
            Issue(
                "I013", f"loại đơn vị '{raw_type}' không có; hợp lệ: {valid}", source, line, "type"
            )
        )
    elif kind is not None and kind not in m.unit_types:
        issues.append(
            Issue(
                "I014",
                f"bộ tiêu chí {m.id} không áp dụng cho loại '{kind}' (chỉ cho: "
                f"{', '.join(m.unit_types)})",
                source,
                line,
                "type",
            )
        )
    exempt = frozenset(
        c.strip() for c in cell_text(row, "exempt").replace(",", ";").split(";") if c.strip()
    )
    for code in sorted(exempt):
        node = m.nodes.get(code)
        if node is None:
            issues.append(
                Issue(
                    "I015",
                    f"miễn nút '{code}' nhưng bộ tiêu chí không có nút này",
                    source,
                    line,
                    "exempt",
                )
            )
        elif not node.exemptible:
            issues.append(
                Issue(
                    "I016",
                    f"nút '{code}' không được phép miễn (thiếu "
                    "'exemptible: true' trong bộ tiêu chí)",
                    source,
                    line,
                    "exempt",
                )
            )
    if len(issues) > before or kind is None:
        return None
    return Unit(
        cell_text(row, "code"), cell_text(row, "name"), kind, cell_text(row, "group"), exempt
    )
