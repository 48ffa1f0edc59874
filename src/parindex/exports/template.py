"""The input template workbook (``parindex template``): one row per unit × input to fill in."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..core import InputSpec, Methodology, Node, Unit, node_applies
from ..tabular import INPUT_HELPERS
from .files import write_atomic
from .workbook import HELPER_FILL, TOP, WRAP, append_row, new_sheet, print_setup

STATUS_LABELS = {"sample": "mẫu", "official": "chính thức"}

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
    ws = new_sheet(book, "Nhập liệu", TEMPLATE_COLUMNS)
    validations: dict[tuple[object, ...], tuple[InputSpec, list[int]]] = {}
    specs = _specs(methodology)
    count = 0
    for count, row in enumerate(template_rows(methodology, units), start=1):
        append_row(ws, row)
        _style_template_row(ws, count + 1)
        spec = specs[(str(row[1]), str(row[2]))]
        key = _validation_key(spec)
        if key is not None:
            validations.setdefault(key, (spec, []))[1].append(count + 1)
    for key, (spec, rows) in validations.items():
        ws.add_data_validation(_validation(key, spec, rows))
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
        ws.cell(row=row, column=column).alignment = TOP
    for column in range(5, len(TEMPLATE_COLUMNS) + 1):
        cell = ws.cell(row=row, column=column)
        cell.fill, cell.alignment = HELPER_FILL, WRAP


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


def _validation(key: tuple[object, ...], spec: InputSpec, rows: list[int]) -> DataValidation:
    """An Excel data validation (drop-down list or number range) for the value cells of
    ``rows``, given all at once: openpyxl's ``DataValidation.add`` is linear in the cells
    already added, which made a template of a few hundred units take minutes."""
    kind, operator, first, second = key
    dv = DataValidation(
        type=kind,
        operator=operator,
        formula1=first,
        formula2=second,
        allow_blank=True,
        sqref=" ".join(f"D{row}" for row in rows),
    )
    dv.error, dv.errorTitle = spec.describe_allowed(), "Giá trị không hợp lệ"
    dv.prompt, dv.promptTitle = spec.describe_allowed()[:255], "Giá trị hợp lệ"
    dv.showErrorMessage = dv.showInputMessage = True
    return dv


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
    print_setup(ws, fit_width=True)
    ws.column_dimensions["A"].width = 110
    append_row(ws, ["Hướng dẫn điền mẫu nhập liệu tự đánh giá Chỉ số cải cách hành chính"])
    ws["A1"].font = Font(bold=True, size=14)
    status = STATUS_LABELS.get(m.status, m.status)
    append_row(ws, [f"Bộ tiêu chí: {m.title} — mã {m.id}, năm {m.year} ({status})"])
    append_row(
        ws, [f"Đơn vị: {', '.join(f'{u.code} ({u.name})' for u in units)}; {rows} dòng nhập liệu."]
    )
    append_row(ws, [""])
    for line in _GUIDE:
        append_row(ws, [line])
    for row in ws.iter_rows(min_row=2):
        row[0].alignment = WRAP


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
