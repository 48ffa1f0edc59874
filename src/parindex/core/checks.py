"""Consistency checks for published figures a user imports (e.g. from a decision's table).

Published tables are typed by hand and often contain slips: components that do not add up to
the total, an index that is not total / maximum, ranks out of order. These are reported as
warnings with the numbers, never silently corrected.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .decimals import HUNDRED, ZERO, format_vn, parse_decimal, quantize
from .engine.results import Finding
from .errors import InputError, Issue


@dataclass(frozen=True, slots=True)
class PublishedRow:
    """One unit's published figures. ``components`` maps an area code to its points."""

    unit: str
    total: Decimal
    group: str = ""
    max: Decimal | None = None
    index: Decimal | None = None
    rank: int | None = None
    components: Mapping[str, Decimal] = field(default_factory=dict)
    line: int | None = None


def parse_published(
    rows: Iterable[tuple[int, Mapping[str, object]]], source: str = "<kết quả công bố>"
) -> list[PublishedRow]:
    """Published figures from rows with ``code, total`` and optionally ``group, max, index,
    rank`` and component columns ``area_<code>``; :class:`InputError` on any bad cell."""
    issues: list[Issue] = []
    out = [row for line, cells in rows if (row := _published(line, cells, source, issues))]
    if issues:
        raise InputError(issues)
    return out


def _published(
    line: int, row: Mapping[str, object], source: str, issues: list[Issue]
) -> PublishedRow | None:
    before = len(issues)

    def number(column: str) -> Decimal | None:
        raw = row.get(column)
        if raw is None or str(raw).strip() == "":
            return None
        try:
            return parse_decimal(raw)
        except ValueError as exc:
            issues.append(Issue("P003", str(exc), source, line, column))
            return None

    code, total, rank = str(row.get("code") or "").strip(), number("total"), number("rank")
    bad_cells = {i.column for i in issues[before:]}  # a non-number total is reported already
    for column, value in (("code", code), ("total", total)):
        if value in ("", None) and column not in bad_cells:
            msg = f"cột '{column}' không được để trống"
            issues.append(Issue("P001", msg, source, line, column))
    if rank is not None and (rank != rank.to_integral_value() or rank < 1):
        issues.append(Issue("P002", f"hạng {rank} phải là số nguyên ≥ 1", source, line, "rank"))
    parts = {
        key.removeprefix("area_"): value
        for key in row
        if key.startswith("area_") and (value := number(key)) is not None
    }
    if len(issues) > before or total is None:
        return None
    group = str(row.get("group") or "").strip()
    ranked = None if rank is None else int(rank)
    return PublishedRow(code, total, group, number("max"), number("index"), ranked, parts, line)


def check_published(
    rows: Iterable[PublishedRow], *, decimals: int = 2, tolerance: Decimal | None = None
) -> list[Finding]:
    """Warnings for figures that contradict each other.

    ``tolerance`` defaults to half a unit of the last published decimal times the number of
    summed parts, since each published component was rounded on its own.
    """
    rows = list(rows)
    findings: list[Finding] = []
    step = Decimal(1).scaleb(-decimals)
    for row in rows:
        where = f"dòng {row.line}: " if row.line is not None else ""
        if row.components:
            total = sum(row.components.values(), ZERO)
            allowed = tolerance if tolerance is not None else step / 2 * len(row.components)
            if abs(total - row.total) > allowed:
                parts = " + ".join(f"{k}: {format_vn(v)}" for k, v in row.components.items())
                capped = row.max is not None and row.total == row.max and total > row.total
                hint = " (tổng điểm đã được giới hạn ở điểm tối đa?)" if capped else ""
                findings.append(
                    Finding(
                        "W101",
                        f"{where}đơn vị {row.unit}: tổng các thành phần {parts} = "
                        f"{format_vn(total)}, khác tổng điểm công bố {format_vn(row.total)}{hint}",
                        row.unit,
                    )
                )
        if row.index is not None and row.max:
            expected = quantize(row.total / row.max * HUNDRED, decimals)
            if abs(expected - row.index) > step:
                findings.append(
                    Finding(
                        "W102",
                        f"{where}đơn vị {row.unit}: chỉ số công bố {format_vn(row.index)} khác "
                        f"{format_vn(row.total)} / {format_vn(row.max)} × 100 = "
                        f"{format_vn(expected)}",
                        row.unit,
                    )
                )
    findings.extend(_rank_order(rows))
    return findings


def _rank_order(rows: list[PublishedRow]) -> list[Finding]:
    """A unit with a better (smaller) rank must not have a lower value than one ranked below."""
    findings: list[Finding] = []
    groups: dict[str, list[PublishedRow]] = {}
    for row in rows:
        if row.rank is not None:
            groups.setdefault(row.group, []).append(row)
    for members in groups.values():
        members.sort(key=lambda r: r.rank or 0)
        for better, worse in itertools.pairwise(members):
            value_b = better.index if better.index is not None else better.total
            value_w = worse.index if worse.index is not None else worse.total
            same_rank = better.rank == worse.rank
            if value_b < value_w or (same_rank and value_b != value_w):
                findings.append(
                    Finding(
                        "W103",
                        f"hạng không theo thứ tự điểm: {better.unit} hạng {better.rank} "
                        f"({format_vn(value_b)}) nhưng {worse.unit} hạng {worse.rank} "
                        f"({format_vn(value_w)})",
                        worse.unit,
                    )
                )
    return findings
