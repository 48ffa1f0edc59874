"""Reading CSV and XLSX tables: encodings, delimiters, row numbers, cell types, file errors."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

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
