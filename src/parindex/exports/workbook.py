"""The results workbook (XLSX) and the sheet helpers shared with the input template.

Numbers stay ``Decimal``: real numeric cells formatted with the methodology's decimals. Every
row goes through :func:`append_row`, which keeps formula-like text a plain string cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..core import Methodology, Node, Results, format_vn
from .cells import guard_row, without_control_characters
from .tables import lost_points

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HELPER_FILL = PatternFill("solid", fgColor="EDEDED")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


# --- helpers --------------------------------------------------------------------------------


def number_formats(m: Methodology) -> tuple[str, str]:
    """Excel number formats for points and for indexes."""

    def fmt(decimals: int) -> str:
        return "0." + "0" * decimals if decimals else "0"

    return fmt(m.rounding.points), fmt(m.rounding.index)


def append_row(
    ws: Worksheet, values: Sequence[object], formats: dict[int, str] | None = None
) -> None:
    """Append a row; ``formats`` maps 1-based columns to number formats. Text that a
    spreadsheet could take for a formula is written as a plain string cell."""
    values = [without_control_characters(v) for v in values]
    ws.append(values)
    # The row just appended. Not ws.max_row: openpyxl computes it by scanning every cell,
    # which made writing a sheet quadratic in its number of rows.
    row: int = ws._current_row
    guard_row(ws, row, values)
    for column, number_format in (formats or {}).items():
        ws.cell(row=row, column=column).number_format = number_format


def new_sheet(
    book: Workbook, title: str, columns: Sequence[tuple[str, int]], *, fit_width: bool = True
) -> Worksheet:
    """A sheet with a styled, frozen header row; ``columns`` are (header, width) pairs."""
    ws = book.create_sheet(title)
    print_setup(ws, fit_width)
    append_row(ws, [name for name, _ in columns])
    for i, (_, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(i)].width = width
    longest = max((len(name) / width for name, width in columns), default=1)
    ws.row_dimensions[1].height = 15.0 * max(1, math.ceil(longest * 1.2))
    ws.freeze_panes = "A2"
    return ws


def print_setup(ws: Worksheet, fit_width: bool, title_rows: str = "1:1") -> None:
    """A4 landscape, header repeated on every page; all columns on one page width unless
    the sheet is a wide matrix that would print unreadably small."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = title_rows
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0


# --- results --------------------------------------------------------------------------------


def write_xlsx(results: Results, path: Path) -> None:
    """Ranking, points per node, lost points and warnings, one sheet each."""
    book = Workbook()
    book.remove(book.active)
    _ranking_sheet(book, results)
    _nodes_sheet(book, results)
    _lost_sheet(book, results)
    _warnings_sheet(book, results)
    book.save(path)


def _ranking_sheet(book: Workbook, results: Results) -> None:
    pts, idx = number_formats(results.methodology)
    ws = new_sheet(
        book,
        "Xếp hạng",
        [
            ("Khối", 22),
            ("Hạng", 7),
            ("Mã đơn vị", 12),
            ("Tên đơn vị", 40),
            ("Tổng điểm", 11),
            ("Điểm tối đa", 11),
            ("Chỉ số (%)", 11),
            ("Xếp loại", 16),
        ],
    )
    for r in results.ranking():
        klass = f"{r.klass.code} — {r.klass.label}" if r.klass else None
        row = [r.unit.group, r.rank, r.unit.code, r.unit.name, r.total, r.max, r.index, klass]
        append_row(ws, row, {5: pts, 6: pts, 7: idx})
    ws.auto_filter.ref = ws.dimensions


def _nodes_sheet(book: Workbook, results: Results) -> None:
    """One row per unit, one column per node; row 1 codes, row 2 titles."""
    m = results.methodology
    pts, idx = number_formats(m)
    nodes = list(m.walk())
    fixed = [("Mã đơn vị", 12), ("Tên đơn vị", 34), ("Tổng điểm", 10), ("Chỉ số (%)", 10)]
    ws = new_sheet(
        book, "Điểm theo tiêu chí", fixed + [(n.code, 12) for n in nodes], fit_width=False
    )
    ws.print_title_rows = "1:2"
    ws.print_title_cols = "A:B"
    append_row(ws, ["", "", "", ""] + [f"{n.title} (tối đa {max_text(n)})" for n in nodes])
    for cell in ws[2]:
        cell.alignment, cell.font = WRAP, Font(italic=True)
    ws.row_dimensions[2].height = 120
    ws.freeze_panes = "C3"
    formats = {3: pts, 4: idx} | {i: pts for i in range(5, len(nodes) + 5)}
    for r in results.units:
        row = [r.unit.code, r.unit.name, r.total, r.index] + [r.points[n.code] for n in nodes]
        append_row(ws, row, formats)


def max_text(node: Node) -> str:
    return format_vn(node.max.normalize())


def _lost_sheet(book: Workbook, results: Results) -> None:
    pts, _ = number_formats(results.methodology)
    ws = new_sheet(
        book,
        "Điểm bị mất",
        [
            ("Mã đơn vị", 12),
            ("Tên đơn vị", 30),
            ("Mã tiêu chí", 11),
            ("Tiêu chí", 60),
            ("Điểm tối đa", 11),
            ("Điểm đạt", 10),
            ("Điểm bị mất", 11),
        ],
    )
    for r, lost in lost_points(results):
        row = [r.unit.code, r.unit.name, lost.code, lost.title, lost.max, lost.points]
        append_row(ws, [*row, lost.lost], {5: pts, 6: pts, 7: pts})
    ws.auto_filter.ref = ws.dimensions


def _warnings_sheet(book: Workbook, results: Results) -> None:
    ws = new_sheet(
        book, "Cảnh báo", [("Mã", 8), ("Đơn vị", 12), ("Tiêu chí", 10), ("Nội dung", 100)]
    )
    for f in results.findings:
        append_row(ws, [f.code, f.unit, f.node, f.message])


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, used: set[str]) -> str:
    """A sheet name Excel accepts (≤ 31 characters, no []:*?/\\), unique in the book."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"
    title, n = base, 1
    while title.lower() in used:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 1]} {n}"
    used.add(title.lower())
    return title


def empty_book(title: str) -> Workbook:
    """A workbook without its default sheet, titled and signed by parindex."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title[:250]
    book.properties.creator = "parindex"
    return book


def book_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
