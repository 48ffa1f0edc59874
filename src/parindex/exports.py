"""Writing results (XLSX, CSV, JSON) and the input template workbook.

Every file is written to a temporary file next to the target and moved into place only when
complete, so a failure never leaves a partial or clobbered output. Numbers stay ``Decimal``:
real numeric cells in XLSX (formatted with the methodology's decimals) and fixed-decimal
strings in CSV and JSON.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .core import (
    InputSpec,
    Methodology,
    Node,
    Results,
    Unit,
    UnitResult,
    format_vn,
    node_applies,
)
from .core.decimals import plain
from .tabular import INPUT_HELPERS

RESULT_FORMATS = (".xlsx", ".csv", ".json")
STATUS_LABELS = {"sample": "mẫu", "official": "chính thức"}

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HELPER_FILL = PatternFill("solid", fgColor="EDEDED")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


# --- files ----------------------------------------------------------------------------------


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then move it over ``path``."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_results(results: Results, path: Path) -> None:
    """Write results in the format named by the extension of ``path`` (see ``RESULT_FORMATS``)."""
    writers = {".xlsx": _results_xlsx, ".csv": _results_csv, ".json": _results_json}
    write = writers[path.suffix.lower()]
    write_atomic(path, lambda tmp: write(results, tmp))


# --- JSON and CSV ---------------------------------------------------------------------------


def results_document(results: Results) -> dict[str, Any]:
    """Results as plain data: numbers are strings with the methodology's decimals."""
    m = results.methodology
    return {
        "methodology": {
            "id": m.id,
            "title": m.title,
            "year": m.year,
            "status": m.status,
            "max_points": _pts(m, m.max_points),
            "rounding": {
                "points": m.rounding.points,
                "index": m.rounding.index,
                "mode": m.rounding.mode,
            },
            "source": m.source,
        },
        "units": [_unit_document(r) for r in results.units],
        "warnings": [
            {"code": f.code, "unit": f.unit, "node": f.node, "message": f.message}
            for f in results.findings
        ],
    }


def _unit_document(r: UnitResult) -> dict[str, Any]:
    m = r.methodology
    return {
        "code": r.unit.code,
        "name": r.unit.name,
        "group": r.unit.group,
        "total": _pts(m, r.total),
        "max": _pts(m, r.max),
        "index": _idx(m, r.index),
        "rank": r.rank,
        "class": r.klass.code if r.klass else None,
        "areas": [
            {
                "code": a.code,
                "points": _pts(m, a.points),
                "max": _pts(m, a.max),
                "index": _idx(m, a.index),
            }
            for a in r.areas()
        ],
        "nodes": {code: _pts(m, points) for code, points in r.points.items()},
    }


def _pts(m: Methodology, value: Decimal | None) -> str | None:
    return None if value is None else plain(value, m.rounding.points)


def _idx(m: Methodology, value: Decimal | None) -> str | None:
    return None if value is None else plain(value, m.rounding.index)


def _results_json(results: Results, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        json.dump(results_document(results), f, ensure_ascii=False, indent=2)
        f.write("\n")


def _results_csv(results: Results, path: Path) -> None:
    m = results.methodology
    areas = [a.code for a in m.areas]
    header = ["group", "rank", "code", "name", "total", "max", "index", "class"]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(header + [f"area_{code}" for code in areas])
        for r in results.ranking():
            klass = r.klass.code if r.klass else ""
            row: list[object] = [r.unit.group, r.rank or "", r.unit.code, r.unit.name]
            row += [_pts(m, r.total), _pts(m, r.max), _idx(m, r.index), klass]
            row += [_pts(m, r.points[code]) for code in areas]
            out.writerow("" if cell is None else cell for cell in row)


# --- XLSX results ---------------------------------------------------------------------------


def _results_xlsx(results: Results, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    _ranking_sheet(book, results)
    _nodes_sheet(book, results)
    _lost_sheet(book, results)
    _warnings_sheet(book, results)
    book.save(path)


def _formats(m: Methodology) -> tuple[str, str]:
    def fmt(decimals: int) -> str:
        return "0." + "0" * decimals if decimals else "0"

    return fmt(m.rounding.points), fmt(m.rounding.index)


def _sheet(
    book: Workbook, title: str, columns: Sequence[tuple[str, int]], *, fit_width: bool = True
) -> Worksheet:
    """A sheet with a styled, frozen header row; ``columns`` are (header, width) pairs."""
    ws = book.create_sheet(title)
    _print_setup(ws, fit_width)
    ws.append([name for name, _ in columns])
    for i, (_, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        ws.column_dimensions[get_column_letter(i)].width = width
    longest = max((len(name) / width for name, width in columns), default=1)
    ws.row_dimensions[1].height = 15.0 * max(1, math.ceil(longest * 1.2))
    ws.freeze_panes = "A2"
    return ws


def _print_setup(ws: Worksheet, fit_width: bool, title_rows: str = "1:1") -> None:
    """A4 landscape, header repeated on every page; all columns on one page width unless
    the sheet is a wide matrix that would print unreadably small."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = title_rows
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0


def _append(ws: Worksheet, values: Sequence[object], formats: dict[int, str]) -> None:
    """Append a row; ``formats`` maps 1-based columns to number formats."""
    ws.append(list(values))
    for column, number_format in formats.items():
        ws.cell(row=ws.max_row, column=column).number_format = number_format


def _ranking_sheet(book: Workbook, results: Results) -> None:
    pts, idx = _formats(results.methodology)
    ws = _sheet(
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
        _append(ws, row, {5: pts, 6: pts, 7: idx})
    ws.auto_filter.ref = ws.dimensions


def _nodes_sheet(book: Workbook, results: Results) -> None:
    """One row per unit, one column per node; row 1 codes, row 2 titles."""
    m = results.methodology
    pts, idx = _formats(m)
    nodes = list(m.walk())
    fixed = [("Mã đơn vị", 12), ("Tên đơn vị", 34), ("Tổng điểm", 10), ("Chỉ số (%)", 10)]
    ws = _sheet(book, "Điểm theo tiêu chí", fixed + [(n.code, 12) for n in nodes], fit_width=False)
    ws.print_title_rows = "1:2"
    ws.print_title_cols = "A:B"
    ws.append(["", "", "", ""] + [f"{n.title} (tối đa {_max_text(n)})" for n in nodes])
    for cell in ws[2]:
        cell.alignment, cell.font = _WRAP, Font(italic=True)
    ws.row_dimensions[2].height = 120
    ws.freeze_panes = "C3"
    for r in results.units:
        row = [r.unit.code, r.unit.name, r.total, r.index] + [r.points[n.code] for n in nodes]
        formats = {3: pts, 4: idx} | {i: pts for i in range(5, len(nodes) + 5)}
        _append(ws, row, formats)


def _max_text(node: Node) -> str:
    return format_vn(node.max.normalize())


def _lost_sheet(book: Workbook, results: Results) -> None:
    pts, _ = _formats(results.methodology)
    ws = _sheet(
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
    for r in sorted(results.units, key=lambda u: u.unit.code):
        for lost in r.lost_points():
            row = [r.unit.code, r.unit.name, lost.code, lost.title, lost.max, lost.points]
            _append(ws, [*row, lost.lost], {5: pts, 6: pts, 7: pts})
    ws.auto_filter.ref = ws.dimensions


def _warnings_sheet(book: Workbook, results: Results) -> None:
    ws = _sheet(book, "Cảnh báo", [("Mã", 8), ("Đơn vị", 12), ("Tiêu chí", 10), ("Nội dung", 100)])
    for f in results.findings:
        ws.append([f.code, f.unit, f.node, f.message])


# --- input template -------------------------------------------------------------------------

TEMPLATE_COLUMNS = (
    ("unit", 12),
    ("node", 9),
    ("input", 16),
    ("value", 14),
    (INPUT_HELPERS[0], 28),
    (INPUT_HELPERS[1], 50),
    (INPUT_HELPERS[2], 10),
    (INPUT_HELPERS[3], 40),
    (INPUT_HELPERS[4], 36),
    (INPUT_HELPERS[5], 40),
)


def template_rows(methodology: Methodology, units: Iterable[Unit]) -> Iterator[list[object]]:
    """One row per unit × applicable leaf × self-assessed input, in methodology order."""
    leaves = list(methodology.leaves())
    for unit in units:
        for leaf in leaves:
            if node_applies(leaf, unit):
                for spec in leaf.inputs:
                    if not spec.survey:
                        yield _template_row(unit, leaf, spec)


def _template_row(unit: Unit, leaf: Node, spec: InputSpec) -> list[object]:
    label = f"{spec.label} — {spec.help}" if spec.help else spec.label
    evidence = "; ".join(leaf.evidence)
    node = [leaf.code, spec.name, None, unit.name, leaf.title, leaf.max]
    return [unit.code, *node, spec.describe_allowed(), label, evidence]


def write_template(methodology: Methodology, units: Sequence[Unit], path: Path) -> int:
    """Write the input workbook for ``units``; return the number of input rows."""
    book = Workbook()
    book.remove(book.active)
    ws = _sheet(book, "Nhập liệu", TEMPLATE_COLUMNS)
    validations: dict[tuple[object, ...], DataValidation] = {}
    specs = _specs(methodology)
    count = 0
    for count, row in enumerate(template_rows(methodology, units), start=1):
        ws.append(row)
        _style_template_row(ws, count + 1)
        _validate(ws, validations, specs[(str(row[1]), str(row[2]))], count + 1)
    for dv in validations.values():
        ws.add_data_validation(dv)
    _protect(ws, count + 1)
    _guide_sheet(book, methodology, units, count)
    write_atomic(path, book.save)
    return count


def _specs(m: Methodology) -> dict[tuple[str, str], InputSpec]:
    return {(leaf.code, spec.name): spec for leaf in m.leaves() for spec in leaf.inputs}


def _style_template_row(ws: Worksheet, row: int) -> None:
    ws.cell(row=row, column=4).protection = Protection(locked=False)
    ws.row_dimensions[row].height = _row_height(ws, row)
    for column in range(1, 5):
        ws.cell(row=row, column=column).alignment = _TOP
    for column in range(5, len(TEMPLATE_COLUMNS) + 1):
        cell = ws.cell(row=row, column=column)
        cell.fill, cell.alignment = _HELPER_FILL, _WRAP


def _row_height(ws: Worksheet, row: int) -> float:
    """Points for the wrapped helper texts to show whole; spreadsheet files carry no
    automatic heights, so printed and opened sheets would otherwise overlap lines."""
    lines = 1
    for column, (_, width) in enumerate(TEMPLATE_COLUMNS, start=1):
        text = str(ws.cell(row=row, column=column).value or "")
        lines = max(lines, math.ceil(len(text) * 1.1 / width))
    return 15.0 * min(lines, 8)


def _protect(ws: Worksheet, last_row: int) -> None:
    """Only the value column can be edited; filtering and resizing stay allowed."""
    ws.freeze_panes = "E2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(TEMPLATE_COLUMNS))}{last_row}"
    protection = ws.protection
    protection.sheet = True
    protection.autoFilter = False
    protection.formatColumns = False
    protection.formatRows = False


def _validate(
    ws: Worksheet, found: dict[tuple[object, ...], DataValidation], spec: InputSpec, row: int
) -> None:
    """Attach an Excel data validation (drop-down list or number range) to the value cell."""
    key = _validation_key(spec)
    if key is None:
        return
    dv = found.get(key)
    if dv is None:
        kind, operator, first, second = key
        dv = DataValidation(
            type=kind, operator=operator, formula1=first, formula2=second, allow_blank=True
        )
        dv.error, dv.errorTitle = spec.describe_allowed(), "Giá trị không hợp lệ"
        dv.prompt, dv.promptTitle = spec.describe_allowed()[:255], "Giá trị hợp lệ"
        dv.showErrorMessage = dv.showInputMessage = True
        found[key] = dv
    dv.add(ws.cell(row=row, column=4))


def _validation_key(spec: InputSpec) -> tuple[object, ...] | None:
    if spec.kind in ("choice", "boolean"):
        codes = [o.code for o in spec.options] if spec.kind == "choice" else ["có", "không"]
        listed = '"' + ",".join(codes) + '"'
        unsafe = any("," in c or '"' in c for c in codes) or len(listed) > 255
        return None if unsafe else ("list", None, listed, None)
    kind = "whole" if spec.kind == "integer" else "decimal"
    low, high = spec.min, spec.max
    if low is not None and high is not None:
        return (kind, "between", str(low), str(high))
    if low is not None:
        return (kind, "greaterThanOrEqual", str(low), None)
    if high is not None:
        return (kind, "lessThanOrEqual", str(high), None)
    return None


def _guide_sheet(book: Workbook, m: Methodology, units: Sequence[Unit], rows: int) -> None:
    ws = book.create_sheet("Hướng dẫn")
    _print_setup(ws, fit_width=True)
    ws.column_dimensions["A"].width = 110
    ws.append(["Hướng dẫn điền mẫu nhập liệu tự đánh giá Chỉ số cải cách hành chính"])
    ws["A1"].font = Font(bold=True, size=14)
    status = STATUS_LABELS.get(m.status, m.status)
    ws.append([f"Bộ tiêu chí: {m.title} — mã {m.id}, năm {m.year} ({status})"])
    ws.append(
        [f"Đơn vị: {', '.join(f'{u.code} ({u.name})' for u in units)}; {rows} dòng nhập liệu."]
    )
    ws.append([""])
    for line in _GUIDE:
        ws.append([line])
    for row in ws.iter_rows(min_row=2):
        row[0].alignment = _WRAP


_GUIDE = (
    "1. Mỗi dòng của trang 'Nhập liệu' là một giá trị của một tiêu chí thành phần cho một đơn vị."
    " Chỉ điền cột 'value' (giá trị). Không sửa các cột unit, node, input; các cột màu xám chỉ để"
    " tham khảo và được bỏ qua khi tính điểm.",
    "2. Giá trị hợp lệ ghi ở cột 'giá trị hợp lệ'. Phương án: chọn mã trong danh sách thả xuống"
    " (ví dụ on_time). Có/không: ghi 'có' hoặc 'không' (chấp nhận cả x, 1, 0). Số thập phân viết"
    " 0,5 hoặc 0.5. Tỷ lệ % ghi số từ 0 đến 100, không ghi dấu %.",
    "3. Tiêu chí tính theo tỷ lệ có hai dòng: numerator (tử số) và denominator (mẫu số); tử số"
    " không được lớn hơn mẫu số. Mẫu số bằng 0 được xử lý theo quy định của bộ tiêu chí.",
    "4. Chưa có số liệu thì để trống: tiêu chí đó được tính 0 điểm và có cảnh báo khi tính điểm.",
    "5. Tiêu chí điều tra xã hội học (khảo sát) không có trong mẫu: điểm lấy từ kết quả khảo sát."
    " Tiêu chí không áp dụng cho loại đơn vị hoặc đơn vị được miễn cũng không có trong mẫu.",
    "6. Cột 'tài liệu kiểm chứng' liệt kê tài liệu cần gửi kèm để thẩm định.",
    "7. Kiểm tra và tính điểm: parindex score --methodology <bộ tiêu chí.yaml> --units"
    " <đơn vị.csv> --inputs <tệp này> --out ket-qua.xlsx — mọi lỗi được báo kèm số dòng và cột.",
)
