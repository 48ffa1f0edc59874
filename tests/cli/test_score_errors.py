"""Bad files make ``parindex score`` fail with every problem located, and write nothing."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from .helpers import INPUTS_CSV, UNITS_CSV, Run, score_args


def _fail(run: Run, files: dict[str, Path], **override: Path) -> tuple[str, Path]:
    """Run score expecting failure; the output must not exist afterwards."""
    out = files["dir"] / "ket-qua.json"
    code, _, err = run(*score_args(files, out, **override))
    assert code == 2
    assert not out.exists()
    assert "Traceback" not in err
    return err, out


def _write(files: dict[str, Path], name: str, text: str) -> Path:
    path = files["dir"] / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_column(run, files):
    bad = _write(files, "in.csv", "unit,node,input\nA,1.1,\n")
    err, _ = _fail(run, files, inputs=bad)
    assert f"{bad}:1: T005:" in err and "value" in err


def test_unknown_unit_with_row_and_column(run, files):
    bad = _write(files, "in.csv", INPUTS_CSV + "Z,1.1,,on_time\n")
    err, _ = _fail(run, files, inputs=bad)
    line = INPUTS_CSV.count("\n") + 1
    assert f"{bad}:{line}: I022: [cột unit]" in err


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("A,2.1,,120", "ngoài khoảng"),  # a percentage above 100
        ("A,1.2,numerator,abc", "không phải là số"),
        ("A,1.1,,sometimes", "không phải là phương án hợp lệ"),
    ],
)
def test_bad_value_with_row_and_column(run, files, row, fragment):
    lines = INPUTS_CSV.splitlines()
    key = ",".join(row.split(",")[:3])
    number = next(i for i, text in enumerate(lines, start=1) if text.startswith(key))
    lines[number - 1] = row
    bad = _write(files, "in.csv", "\n".join(lines) + "\n")
    err, _ = _fail(run, files, inputs=bad)
    assert f"{bad}:{number}: I028: [cột value]" in err and fragment in err


def test_every_error_is_reported_at_once(run, files):
    bad = _write(files, "in.csv", INPUTS_CSV + "Z,1.1,,on_time\nA,9.9,,1\n")
    err, _ = _fail(run, files, inputs=bad)
    assert "I022" in err and "I023" in err
    assert len(err.strip().splitlines()) == 2


def test_bad_units_file(run, files):
    bad = _write(files, "units.csv", UNITS_CSV + "E,Sở E,planet,Sở,\n")
    err, _ = _fail(run, files, units=bad)
    assert f"{bad}:6: I013: [cột type]" in err


@pytest.mark.parametrize("name", ["in.txt", "in.xls", "in"])
def test_wrong_input_extension(run, files, name):
    bad = _write(files, name, INPUTS_CSV)
    err, _ = _fail(run, files, inputs=bad)
    assert "T003" in err


def test_wrong_output_extension(run, files):
    out = files["dir"] / "ket-qua.pdf"
    code, _, err = run(*score_args(files, out))
    assert code == 2 and "T009" in err and not out.exists()


def test_missing_input_file(run, files):
    err, _ = _fail(run, files, inputs=files["dir"] / "khong-co.csv")
    assert "T001" in err and "không tìm thấy" in err


def test_bad_methodology(run, files):
    bad = _write(files, "bad.yaml", "format: parindex/methodology@1\nid: X\n")
    err, _ = _fail(run, files, methodology=bad)
    assert f"{bad}:" in err and "M0" in err


def test_existing_output_is_left_untouched(run, files):
    out = files["dir"] / "ket-qua.json"
    out.write_text("OLD", encoding="utf-8")
    bad = _write(files, "in.csv", INPUTS_CSV + "Z,1.1,,on_time\n")
    code, _, _ = run(*score_args(files, out, inputs=bad))
    assert code == 2
    assert out.read_text(encoding="utf-8") == "OLD"
    assert sorted(p.name for p in files["dir"].iterdir() if p.name.startswith(".")) == []


def test_unwritable_output_directory(run, files):
    out = files["dir"] / "khong-co" / "ket-qua.json"
    code, _, err = run(*score_args(files, out))
    assert code == 2 and "không ghi được tệp" in err


def _xlsx_inputs(files: dict[str, Path], change_value: dict[int, object] | None = None) -> Path:
    """INPUTS_CSV as an .xlsx "Nhập liệu" sheet; ``change_value`` maps rows to new values."""
    book = Workbook()
    ws = book.active
    ws.title = "Nhập liệu"
    for n, line in enumerate(csv.reader(INPUTS_CSV.splitlines()), start=1):
        ws.append(line)
        if change_value and n in change_value:
            ws.cell(row=n, column=4, value=change_value[n])
    path = files["dir"] / "inputs.xlsx"
    book.save(path)
    return path


def test_line_numbers_after_a_multiline_note(run, files):
    # The template's helper column "tiêu chí" holds a note spanning lines (with a Word line
    # break \x0b and a U+2028 too); the unknown unit below it is named by its physical line.
    lines = [line + "," for line in INPUTS_CSV.splitlines()]
    lines[0] = "unit,node,input,value,tiêu chí"
    lines[1] = 'A,1.1,,on_time,"Ban hành kế hoạch\nđúng hạn\x0b(trước 31/12)\u2028xem\r\nvăn bản"'
    text = "\n".join([*lines, "Z,1.1,,on_time,"]) + "\n"
    bad = files["dir"] / "in.csv"
    bad.write_bytes(text.encode("utf-8"))
    err, _ = _fail(run, files, inputs=bad)
    line = text[: text.index("Z,1.1")].count("\n") + 1
    assert line == 33  # the 30 lines of INPUTS_CSV, 2 more inside the note, then Z
    assert err.splitlines()[0].startswith(f"{bad}:{line}: I022: [cột unit] ")
    assert len(err.splitlines()) == 1


def test_csv_cell_over_the_size_limit(run, files):
    huge = "x" * (csv.field_size_limit() + 1)
    bad = _write(files, "in.csv", INPUTS_CSV + f'A,1.1,,"{huge}"\n')
    err, _ = _fail(run, files, inputs=bad)
    line = INPUTS_CSV.count("\n") + 1
    assert err.startswith(f"{bad}:{line}: T001: không đọc được tệp: một ô bắt đầu ở dòng này")


def test_damaged_xlsx_inputs(run, files):
    path = _xlsx_inputs(files)
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) * 2 // 3]  # truncated XML
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    err, _ = _fail(run, files, inputs=path)
    assert err.startswith(f"{path}: T001: không đọc được tệp: tệp .xlsx bị hỏng")


def test_xlsx_formula_without_computed_value(run, files):
    path = _xlsx_inputs(files, {4: "=C3*90%"})  # A,1.2 numerator: a formula never computed
    err, _ = _fail(run, files, inputs=path)
    assert err.splitlines() == [
        f"{path}:4: T011: [cột value] ô D4 (trang 'Nhập liệu') chứa công thức chưa có giá trị "
        "tính sẵn (=C3*90%): tệp được ghi bởi một chương trình không tính công thức; hãy mở "
        "tệp bằng Excel hoặc LibreOffice Calc rồi lưu lại, hoặc nhập giá trị thay cho công thức"
    ]


def test_xlsx_inputs_without_formulas_score(run, files):
    out = files["dir"] / "ket-qua.json"
    code, _, err = run(*score_args(files, out, inputs=_xlsx_inputs(files)))
    assert code == 0, err
    assert out.exists()
