"""``parindex score`` on the tiny methodology (tests/cli/tiny.yaml), results computed by hand.

Tiny methodology: max 12 = area 1 (4: 1.1 choice 1, 1.2 ratio bands 3) + area 2 (6, exemptible:
2.1 proportional % 4, 2.2 boolean 2 for departments only) + area 3 (2: 3.1 survey); area 4 bonus
(4.1: +0.5 each, cap 1); area 5 penalty (5.1: −0.5 each, cap 1). Rounding 2/2 half_up; classes
A ≥ 80, B ≥ 0.

Unit A (department, group Sở), max 12:
  1.1 on_time → 1 · 1.2 45/50 = 90 % → 3 · 2.1 4 × 87,5 % = 3.5 · 2.2 có → 2 · 3.1 2 × 80 % = 1.6
  standard 1 + 3 + 3.5 + 2 + 1.6 = 11.1; bonus min(1, 3 × 0.5) = 1; penalty −1 × 0.5 = −0.5
  total 11.1 + 1 − 0.5 = 11.6; index 11.6 / 12 × 100 = 96.666… → 96.67 → A
Unit B (department, Sở), max 12:
  1.1 late → 0.5 · 1.2 7/10 = 70 % → 2 · 2.1 4 × 50 % = 2 · 2.2 không → 0 · 3.1 2 × 75 % = 1.5
  total 6; index 6 / 12 × 100 = 50.00 → B
Unit C (central_agency, Trung ương): 2.2 does not apply, max 12 − 2 = 10:
  1.1 → 1 · 1.2 0/0 → full → 3 · 2.1 4 × 99,99 % = 3.9996 → 4.00 · 3.1 2 × 66,25 % = 1.325 → 1.33
  standard 9.33; bonus 1 × 0.5 = 0.5; penalty 3 × 0.5 = 1.5 capped at 1 → −1
  total 8.83; index 88.30 → A; rank 1 of 1 in Trung ương
Unit D (department, Sở, exempt from area 2), max 12 − 6 = 6:
  1.1 none → 0 · 1.2 9/10 = 90 % → 3 · 3.1 100 % → 2 → standard 5; bonus 2 × 0.5 = 1;
  5.1 (penalty) not reported → nothing deducted, no warning; total min(6, 5 + 1) = 6;
  index 100.00 → A
Ranks in Sở: D 100.00 → 1, A 96.67 → 2, B 50.00 → 3.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from .helpers import INPUTS_CSV, UNITS_CSV, Run, score_args


def _json(run: Run, files: dict[str, Path]) -> dict:
    out = files["dir"] / "ket-qua.json"
    code, _, err = run(*score_args(files, out))
    assert code == 0, err
    return json.loads(out.read_text(encoding="utf-8"))


def _by_code(doc: dict) -> dict[str, dict]:
    return {u["code"]: u for u in doc["units"]}


@pytest.mark.parametrize(
    ("code", "total", "top", "index", "rank", "klass"),
    [
        ("A", "11.60", "12.00", "96.67", 2, "A"),
        ("B", "6.00", "12.00", "50.00", 3, "B"),
        ("C", "8.83", "10.00", "88.30", 1, "A"),
        ("D", "6.00", "6.00", "100.00", 1, "A"),
    ],
)
def test_json_totals_match_hand_computation(run, files, code, total, top, index, rank, klass):
    unit = _by_code(_json(run, files))[code]
    assert (unit["total"], unit["max"], unit["index"]) == (total, top, index)
    assert (unit["rank"], unit["class"]) == (rank, klass)


def test_json_areas_nodes_and_warnings(run, files):
    doc = _json(run, files)
    units = _by_code(doc)
    assert doc["methodology"]["id"] == "thu-nghiem"
    assert units["A"]["areas"] == [
        {"code": "1", "points": "4.00", "max": "4.00", "index": "100.00"},
        {"code": "2", "points": "5.50", "max": "6.00", "index": "91.67"},
        {"code": "3", "points": "1.60", "max": "2.00", "index": "80.00"},
        {"code": "4", "points": "1.00", "max": "1.00", "index": None},
        {"code": "5", "points": "-0.50", "max": "1.00", "index": None},
    ]
    assert units["C"]["nodes"]["2.1"] == "4.00"
    assert units["C"]["nodes"]["3.1"] == "1.33"  # 1.325 rounded half up
    assert units["C"]["nodes"]["2.2"] is None  # not applicable to central agencies
    assert units["D"]["nodes"]["2"] is None and units["D"]["nodes"]["2.1"] is None
    assert doc["warnings"] == []  # an unreported penalty item means nothing to deduct


def test_csv_ranking_with_area_columns(run, files):
    out = files["dir"] / "ket-qua.csv"
    assert run(*score_args(files, out))[0] == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so that Excel reads Vietnamese correctly
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [
        "group", "rank", "code", "name", "total", "max", "index", "class",
        "area_1", "area_2", "area_3", "area_4", "area_5",
    ]  # fmt: skip
    assert [r[2] for r in rows[1:]] == ["D", "A", "B", "C"]  # by group, then rank
    assert rows[2] == [
        "Sở", "2", "A", "Sở A", "11.60", "12.00", "96.67", "A",
        "4.00", "5.50", "1.60", "1.00", "-0.50",
    ]  # fmt: skip
    assert rows[1][9] == ""  # D is exempt from area 2


def test_xlsx_sheets_with_numeric_cells(run, files):
    out = files["dir"] / "ket-qua.xlsx"
    code, stdout, _ = run(*score_args(files, out))
    assert code == 0 and "4 đơn vị, 0 cảnh báo" in stdout
    book = load_workbook(out)
    assert book.sheetnames == ["Xếp hạng", "Điểm theo tiêu chí", "Điểm bị mất", "Cảnh báo"]
    ranking = [[c.value for c in row] for row in book["Xếp hạng"].iter_rows(min_row=2)]
    assert [r[2] for r in ranking] == ["D", "A", "B", "C"]
    assert ranking[1][:7] == ["Sở", 2, "A", "Sở A", 11.6, 12, 96.67]
    assert ranking[1][7] == "A — Tốt"
    index_cell = book["Xếp hạng"]["G3"]
    assert index_cell.data_type == "n" and index_cell.number_format == "0.00"


def test_xlsx_node_lost_and_warning_sheets(run, files):
    out = files["dir"] / "ket-qua.xlsx"
    run(*score_args(files, out))
    book = load_workbook(out)
    nodes = book["Điểm theo tiêu chí"]
    header = [c.value for c in nodes[1]]
    assert header[:6] == ["Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Chỉ số (%)", "1", "1.1"]
    assert nodes.cell(row=2, column=header.index("2.2") + 1).value.startswith("Công khai")
    by_unit = {row[0].value: row for row in nodes.iter_rows(min_row=3)}
    assert by_unit["C"][header.index("2.2")].value is None
    assert by_unit["A"][header.index("2.1")].value == 3.5
    lost = [[c.value for c in row][:7] for row in book["Điểm bị mất"].iter_rows(min_row=2)]
    # A lost 4 − 3.5 = 0.5 at 2.1 and 2 − 1.6 = 0.4 at 3.1, largest first; then B, C, D.
    assert lost[:2] == [
        ["A", "Sở A", "2.1", "Tỷ lệ hồ sơ đúng hạn", 4, 3.5, 0.5],
        ["A", "Sở A", "3.1", "Chỉ số hài lòng SIPAS", 2, 1.6, 0.4],
    ]
    assert [r[2] for r in lost if r[0] == "B"] == ["2.1", "2.2", "1.2", "1.1", "3.1"]
    warnings = [[c.value for c in row] for row in book["Cảnh báo"].iter_rows(min_row=2)]
    assert warnings == []


def test_prints_ranking_and_warnings(run, files):
    # Sở B leaves 1.1 (a standard criterion) empty: 0 points and a "missing data" warning.
    inputs = files["dir"] / "thieu.csv"
    inputs.write_text(files["inputs"].read_text("utf-8").replace("B,1.1,,late\n", ""), "utf-8")
    code, out, err = run(*score_args(files, files["dir"] / "r.json", inputs=inputs))
    assert code == 0
    assert "Sở A" in out and "96,67 %" in out
    assert "cảnh báo W001" in err and "đơn vị B thiếu dữ liệu ở 1 tiêu chí" in err


def test_units_as_xlsx_and_inputs_with_semicolons(run, files):
    book = Workbook()
    book.active.title = "Đơn vị"
    for line in csv.reader(UNITS_CSV.splitlines()):
        book.active.append(line)
    units = files["dir"] / "units.xlsx"
    book.save(units)
    rows = list(csv.reader(INPUTS_CSV.splitlines()))
    inputs = files["dir"] / "inputs-semicolon.csv"
    with inputs.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    out = files["dir"] / "r.json"
    code, _, err = run(*score_args(files, out, units=units, inputs=inputs))
    assert code == 0, err
    unit_a = next(
        u for u in json.loads(out.read_text(encoding="utf-8"))["units"] if u["code"] == "A"
    )
    assert (unit_a["total"], unit_a["index"]) == ("11.60", "96.67")  # as computed above
