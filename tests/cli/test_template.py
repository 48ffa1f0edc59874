"""``parindex template``: the input workbook a unit fills in, read back by ``score``."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from .helpers import INPUTS_CSV, Run, score_args

HELPERS = ["tên đơn vị", "tiêu chí", "điểm tối đa", "giá trị hợp lệ", "nhãn đầu vào"]


def _template(run: Run, files: dict[str, Path]) -> Path:
    out = files["dir"] / "mau.xlsx"
    code, stdout, err = run(
        "template", "--methodology", files["methodology"], "--units", files["units"], "--out", out
    )
    assert code == 0, err
    # Rows = Σ units × applicable self-assessed inputs (3.1 is a survey: never in the template):
    # A, B: 1.1 + 1.2 (2 inputs) + 2.1 + 2.2 + 4.1 + 5.1 = 7 each;
    # C (central agency, no 2.2) = 6; D (exempt from area 2) = 5 → 7 + 7 + 6 + 5 = 25.
    assert "25 dòng nhập liệu cho 4 đơn vị" in stdout
    return out


def test_rows_columns_and_applicability(run, files):
    book = load_workbook(_template(run, files))
    assert book.sheetnames == ["Nhập liệu", "Hướng dẫn"]
    ws = book["Nhập liệu"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["unit", "node", "input", "value"] and header[4:9] == HELPERS
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 25
    keys = {(r[0], r[1], r[2]) for r in rows}
    assert ("A", "1.2", "numerator") in keys and ("A", "1.2", "denominator") in keys
    assert not any(r[1] == "3.1" for r in rows)  # survey
    assert ("C", "2.2", "value") not in keys  # not for central agencies
    assert not any(r[0] == "D" and r[1].startswith("2.") for r in rows)  # exempt
    first = rows[0]
    assert first[4:7] == ["Sở A", "Ban hành kế hoạch", 1]
    assert "on_time = Đúng hạn" in first[7] and first[9] == "Kế hoạch CCHC năm"
    assert ws.freeze_panes == "E2"


def test_drop_down_lists_and_protection(run, files):
    ws = load_workbook(_template(run, files))["Nhập liệu"]
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert '"on_time,late,none"' in lists and "D2" in lists['"on_time,late,none"'].split()
    assert '"có,không"' in lists
    assert ws.protection.sheet and not ws["D2"].protection.locked and ws["E2"].protection.locked


def test_filled_template_is_scored(run, files):
    path = _template(run, files)
    book = load_workbook(path)
    ws = book["Nhập liệu"]
    values = {}
    for line in INPUTS_CSV.splitlines()[1:]:
        if line:
            unit, node, name, value = line.split(",", 3)
            values[(unit, node, name)] = value.strip('"')
    for row in ws.iter_rows(min_row=2):
        unit, node, name = (c.value for c in row[:3])
        row[3].value = values.get((unit, node, name), values.get((unit, node, "")))
    book.save(path)
    out = files["dir"] / "ket-qua.json"
    code, _, err = run(*score_args(files, out, inputs=path))
    assert code == 0, err
    unit_a = next(u for u in json.loads(out.read_text())["units"] if u["code"] == "A")
    # As in test_score.py but without the survey 3.1 (not in the template → missing → 0):
    # 11.6 − 1.6 = 10.00; index 10 / 12 = 83.33.
    assert (unit_a["total"], unit_a["index"]) == ("10.00", "83.33")


def test_empty_template_is_accepted_with_warnings(run, files):
    path = _template(run, files)
    code, _, err = run(*score_args(files, files["dir"] / "r.csv", inputs=path))
    assert code == 0 and "W001" in err


def test_template_needs_xlsx(run, files):
    out = files["dir"] / "mau.csv"
    args = ["template", "--methodology", files["methodology"], "--units", files["units"]]
    code, _, err = run(*args, "--out", out)
    assert code == 2 and "T009" in err and not out.exists()
