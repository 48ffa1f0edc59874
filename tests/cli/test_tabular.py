"""Reading CSV and XLSX tables: encodings, delimiters, row numbers, cell types, file errors."""

from __future__ import annotations

import csv
import datetime
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from parindex.core import InputError
from parindex.tabular import read_table

COLUMNS = ("unit", "node", "value")


def _csv(tmp_path: Path, text: str | bytes, name: str = "t.csv") -> Path:
    path = tmp_path / name
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(data)
    return path


def _codes(path: Path, *args, **kwargs) -> list[tuple[str, int | None]]:
    with pytest.raises(InputError) as caught:
        read_table(path, *args, **kwargs)
    return [(i.code, i.line) for i in caught.value.issues]


def test_csv_with_bom_semicolons_and_blank_rows(tmp_path):
    path = _csv(tmp_path, "\ufeff Unit ;NODE;Value\n\nA;1.1;0,5\n;;\nB;1.2;có\n")
    rows = read_table(path, COLUMNS)
    assert rows == [
        (3, {"unit": "A", "node": "1.1", "value": "0,5"}),
        (5, {"unit": "B", "node": "1.2", "value": "có"}),
    ]


def test_csv_row_numbers_follow_multiline_cells(tmp_path):
    path = _csv(tmp_path, 'unit,node,value\nA,1.1,"dòng một\ndòng hai"\nB,1.2,x\n')
    assert [n for n, _ in read_table(path, COLUMNS)] == [2, 4]


def test_optional_and_ignored_columns(tmp_path):
    path = _csv(tmp_path, "unit,node,input,value,Ghi chú\nA,1.1,,1,xem lại\nB,1.2,,2\n")
    rows = read_table(path, COLUMNS, ("input",), ignored_columns=("ghi chú",))
    assert rows[0][1] == {"unit": "A", "node": "1.1", "input": "", "value": "1"}
    assert rows[1][1]["input"] == ""


def test_xlsx_cells_become_decimal_dates_and_blanks(tmp_path):
    book = Workbook()
    book.active.title = "Khác"
    book.active.append(["không đọc trang này"])
    ws = book.create_sheet("Nhập liệu")
    ws.append(["unit", "node", "value"])
    ws.append(["A", "1.1", 0.1])
    ws.append([None, None, None])
    ws.append(["B", 12, datetime.date(2026, 1, 15)])
    ws.append(["C", "1.3", None])
    path = tmp_path / "t.xlsx"
    book.save(path)
    rows = read_table(path, COLUMNS, sheets=("nhập liệu",))
    assert rows[0] == (2, {"unit": "A", "node": "1.1", "value": Decimal("0.1")})
    assert rows[1][0] == 4 and rows[1][1]["node"] == Decimal(12)
    assert isinstance(rows[1][1]["value"], datetime.date | datetime.datetime)
    assert rows[2][1]["value"] == ""


def test_xlsx_first_sheet_by_default(tmp_path):
    book = Workbook()
    book.active.append(["unit", "node", "value"])
    book.active.append(["A", "1.1", 3])
    path = tmp_path / "t.xlsx"
    book.save(path)
    assert read_table(path, COLUMNS) == [(2, {"unit": "A", "node": "1.1", "value": Decimal(3)})]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("unit,node\nA,1.1\n", [("T005", 1)]),  # missing required column
        ("unit,node,value,colour\n", [("T006", 1)]),  # unknown column
        ("unit,node,value,Node\n", [("T007", 1)]),  # duplicate header (case-insensitive)
        ("\n\n", [("T004", None)]),  # nothing at all
        ("unit,node,value\nA,1.1,1,extra\n", [("T008", 2)]),  # value without a column name
    ],
)
def test_header_and_shape_errors(tmp_path, content, expected):
    assert _codes(_csv(tmp_path, content), COLUMNS) == expected


def test_error_messages_list_the_columns(tmp_path):
    with pytest.raises(InputError) as caught:
        read_table(_csv(tmp_path, "unit,colour\n"), COLUMNS, ("input",))
    text = str(caught.value)
    assert "cột không hợp lệ: colour; các cột hợp lệ: unit, node, value, input" in text
    assert "thiếu cột bắt buộc: node, value" in text


def test_not_utf8_names_the_line(tmp_path):
    path = _csv(tmp_path, "unit,node,value\nA,1.1,1\nB,1.2,c\xf3\n".encode("latin-1"))
    assert _codes(path, COLUMNS) == [("T002", 3)]


def test_file_problems(tmp_path):
    assert _codes(tmp_path / "none.csv", COLUMNS) == [("T001", None)]
    assert _codes(tmp_path / "none.xlsx", COLUMNS) == [("T001", None)]
    assert _codes(_csv(tmp_path, "not a zip", "t.xlsx"), COLUMNS) == [("T001", None)]
    assert _codes(_csv(tmp_path, "unit,node,value\n", "t.ods"), COLUMNS) == [("T003", None)]


def test_issue_names_the_file(tmp_path):
    path = _csv(tmp_path, "unit,node\n")
    with pytest.raises(InputError) as caught:
        read_table(path, COLUMNS)
    assert caught.value.issues[0].format().startswith(f"{path}:1: T005: ")


# --- CSV: physical line numbers, cells over the csv module's size limit ---------------------


def test_csv_line_numbers_are_physical_lines_whatever_the_cells_hold(tmp_path):
    # A multi-line quoted note with the line breaks people paste (Alt+Enter in Excel, CRLF,
    # Word's Shift+Enter \x0b, U+2028 from web pages): only \n, \r\n and \r end a line of the
    # file, so A spans lines 2-4, B is on line 5 and C on line 6; an unquoted \x0b or U+2028
    # stays inside its cell instead of splitting the row.
    text = (
        "unit,node,value\r\n"
        'A,1.1,"một\ndòng\u2028hai\x0bba\r\nbốn"\r\n'
        "B,1.2,x\x0by\r\n"
        "C,1.3,z\u2028w\r\n"
    )
    rows = read_table(_csv(tmp_path, text), COLUMNS)
    assert [(n, r["unit"]) for n, r in rows] == [(2, "A"), (5, "B"), (6, "C")]
    assert rows[0][1]["value"] == "một\ndòng\u2028hai\x0bba\r\nbốn"
    assert rows[1][1]["value"] == "x\x0by" and rows[2][1]["value"] == "z\u2028w"


def test_csv_error_after_a_multiline_note_names_the_physical_line(tmp_path):
    text = 'unit,node,value\nA,1.1,"ghi chú\u2028dài\nhai dòng"\nB,1.2,1,thừa\n'
    assert _codes(_csv(tmp_path, text), COLUMNS) == [("T008", 4)]


def test_csv_cell_over_the_size_limit_is_an_error_on_its_line(tmp_path):
    limit = csv.field_size_limit()
    text = f'unit,node,value\nA,1.1,1\nB,1.2,"{"x" * (limit + 1)}"\nC,1.3,2\n'
    with pytest.raises(InputError) as caught:
        read_table(_csv(tmp_path, text), COLUMNS)
    (issue,) = caught.value.issues
    assert (issue.code, issue.line) == ("T001", 3)
    assert f"dài hơn {limit:,}".replace(",", ".") in issue.message
    assert csv.field_size_limit() == limit  # the process-wide limit is left alone


def test_csv_unclosed_quote_swallowing_the_file_names_the_line_it_opens(tmp_path):
    # A stray quote on line 3 makes the rest of a long file one giant cell.
    body = "".join(f"U{i},1.1,{i}\n" for i in range(20_000))
    text = 'unit,node,value\nA,1.1,1\nB,1.2,"0,5\n' + body
    with pytest.raises(InputError) as caught:
        read_table(_csv(tmp_path, text), COLUMNS)
    (issue,) = caught.value.issues
    assert (issue.code, issue.line) == ("T001", 3)
    assert "ngoặc kép" in issue.message


# --- XLSX: damaged files, formulas without a computed value ---------------------------------


def _workbook(tmp_path: Path, rows: list[list[object]], name: str = "t.xlsx") -> Path:
    book = Workbook()
    book.active.title = "Nhập liệu"
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _rezip(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one member of the .xlsx zip (the zip itself stays valid)."""
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    members[member] = change(members[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


SHEET = "xl/worksheets/sheet1.xml"


def test_xlsx_damaged_sheet_is_t001_not_a_crash(tmp_path):
    # Opening succeeds (the sheet is parsed lazily); the XML breaks while rows are read.
    rows = [["unit", "node", "value"]] + [[f"U{i}", "1.1", i] for i in range(3000)]
    path = _rezip(_workbook(tmp_path, rows), SHEET, lambda xml: xml[: len(xml) // 2])
    with pytest.raises(InputError) as caught:
        read_table(path, COLUMNS)
    (issue,) = caught.value.issues
    assert issue.code == "T001" and issue.source == str(path)
    assert "bị hỏng" in issue.message and "'Nhập liệu'" in issue.message


def test_xlsx_bad_shared_string_index_is_t001(tmp_path):
    path = _workbook(tmp_path, [["unit", "node", "value"], ["A", "1.1", 5]])
    path = _rezip(path, SHEET, lambda xml: xml.replace(b'<c r="C2"', b'<c r="C2" t="s"', 1))
    assert _codes(path, COLUMNS) == [("T001", None)]


def test_xlsx_damaged_workbook_part_is_t001(tmp_path):
    path = _workbook(tmp_path, [["unit", "node", "value"], ["A", "1.1", 5]])
    path = _rezip(path, "xl/workbook.xml", lambda xml: xml[:60])
    assert _codes(path, COLUMNS) == [("T001", None)]


def test_xlsx_formula_without_computed_value_is_t011_with_the_cell(tmp_path):
    # openpyxl, like other libraries, writes formulas without computing them.
    path = _workbook(
        tmp_path,
        [["unit", "node", "value"], ["A", "1.1", 5], ["B", "1.2", "=A2*2"], ["C", "=B2", 1]],
    )
    with pytest.raises(InputError) as caught:
        read_table(path, COLUMNS)
    issues = caught.value.issues
    assert [(i.code, i.line, i.column) for i in issues] == [
        ("T011", 3, "value"),
        ("T011", 4, "node"),
    ]
    assert "ô C3 (trang 'Nhập liệu') chứa công thức chưa có giá trị tính sẵn (=A2*2)" in (
        issues[0].message
    )
    assert issues[1].format().startswith(f"{path}:4: T011: [cột node] ô B4 (trang 'Nhập liệu')")


def test_xlsx_formula_in_the_header_is_t011(tmp_path):
    path = _workbook(tmp_path, [["unit", "node", '="val"&"ue"'], ["A", "1.1", 5]])
    assert _codes(path, COLUMNS) == [("T011", 1)]


def test_xlsx_computed_formulas_use_their_cached_values(tmp_path):
    # As Excel saves them: the formula and its result (<v>); an empty text result has t="str".
    # A text cell that merely starts with "=" is text; formulas in ignored columns are ignored.
    path = _workbook(
        tmp_path,
        [
            ["unit", "node", "value", "ghi chú"],
            ["A", "1.1", "=1+1", "=LEN(A2)"],
            ["B", "1.2", '=IF(1,"","")'],
            ["=C", "1.3", 3],
        ],
    )
    book = openpyxl.load_workbook(path)
    book.active["A4"].data_type = "s"  # the text "=C", not a formula
    book.save(path)

    def cache(xml: bytes) -> bytes:
        xml = xml.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
        return xml.replace(b'<c r="C3">', b'<c r="C3" t="str">')

    path = _rezip(path, SHEET, cache)
    rows = read_table(path, COLUMNS, ignored_columns=("ghi chú",))
    assert [r for _, r in rows] == [
        {"unit": "A", "node": "1.1", "value": Decimal(2)},
        {"unit": "B", "node": "1.2", "value": ""},
        {"unit": "=C", "node": "1.3", "value": Decimal(3)},
    ]


def test_xlsx_is_loaded_once_unless_it_holds_formulas(tmp_path, monkeypatch):
    loads: list[bool] = []
    real = openpyxl.load_workbook

    def counting(*args, **kwargs):
        loads.append(kwargs.get("data_only", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    plain = _workbook(tmp_path, [["unit", "node", "value"], ["A", "1.1", 5]], "plain.xlsx")
    assert len(read_table(plain, COLUMNS)) == 1
    assert loads == [False]
    loads.clear()
    formula = _workbook(tmp_path, [["unit", "node", "value"], ["A", "1.1", "=5"]], "f.xlsx")
    assert _codes(formula, COLUMNS) == [("T011", 2)]
    assert loads == [False, True]
