"""Text that a spreadsheet could run as a formula (formula or CSV injection) stays text.

A unit named ``=HYPERLINK("http://x")`` or ``@SUM(A1)``, a group ``-Trung ương``, a unit code
``+B`` and a criterion titled ``=1+1 …`` reach the XLSX files as string cells (openpyxl would
otherwise store the ``=`` one as a formula) and the CSV files behind a single quote. Numbers,
negative ones included, are never touched; JSON keeps the text as it is.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parindex.exports import csv_text, formula_like

from .helpers import INPUTS_CSV, TINY, Run, score_args

LINK = '=HYPERLINK("http://x")'
SUM = "@SUM(A1)"
TITLE = "=1+1 hồ sơ đúng hạn"

UNITS = f"""\
code,name,type,group,exempt
A,"{LINK.replace('"', '""')}",department,Sở,
+B,{SUM},department,Sở,
C,Cơ quan C,central_agency,-Trung ương,
D,Sở D,department,Sở,2
"""


@pytest.fixture
def hostile(files: dict[str, Path]) -> dict[str, Path]:
    d = files["dir"]
    (d / "units.csv").write_text(UNITS, encoding="utf-8")
    # Unit B is "+B"; it leaves 1.1 empty so that it also appears in the warnings.
    lines = [("+" + line if line.startswith("B,") else line) for line in INPUTS_CSV.splitlines()]
    inputs = "\n".join(line for line in lines if not line.startswith("+B,1.1,"))
    (d / "inputs.csv").write_text(inputs + "\n", encoding="utf-8")
    yaml = TINY.read_text(encoding="utf-8").replace('"Tỷ lệ hồ sơ đúng hạn"', f'"{TITLE}"')
    (d / "m.yaml").write_text(yaml, encoding="utf-8")
    return {**files, "methodology": d / "m.yaml", "units": d / "units.csv"}


def _score(run: Run, files: dict[str, Path], name: str) -> Path:
    out = files["dir"] / name
    code, _, err = run(*score_args(files, out))
    assert code == 0, err
    return out


def _no_formulas(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def _text_cell(ws, value: str):
    cells = [c for row in ws.iter_rows() for c in row if c.value == value]
    assert cells, f"{value!r} not in {ws.title}"
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)
    return cells


def test_helpers():
    for text in (LINK, SUM, "+B", "-Trung ương", "\tx", "\rx", "-1.50"):
        assert formula_like(text) and csv_text(text) == "'" + text
    for text in ("Sở A", "", "A=B", " =x", "'=x"):
        assert not formula_like(text) and csv_text(text) == text
    assert csv_text(None) == ""


def test_xlsx_results_keep_text_as_text(run, hostile):
    out = _score(run, hostile, "ket-qua.xlsx")
    _no_formulas(out)
    book = load_workbook(out)
    ranking = book["Xếp hạng"]
    for value in (LINK, SUM, "+B", "-Trung ương"):
        _text_cell(ranking, value)
    nodes = book["Điểm theo tiêu chí"]
    _text_cell(nodes, LINK)
    _text_cell(nodes, f"{TITLE} (tối đa 4)")
    by_unit = {row[0].value: row for row in nodes.iter_rows(min_row=3)}
    penalty = by_unit["A"][[c.value for c in nodes[1]].index("5")]
    assert penalty.data_type == "n" and penalty.value == -0.5  # numbers stay numbers
    lost = book["Điểm bị mất"]
    _text_cell(lost, LINK)
    _text_cell(lost, TITLE)
    _text_cell(book["Cảnh báo"], "+B")


def test_xlsx_template_keeps_text_as_text(run, hostile):
    out = hostile["dir"] / "mau.xlsx"
    args = ["template", "--methodology", hostile["methodology"], "--units", hostile["units"]]
    code, _, err = run(*args, "--out", out)
    assert code == 0, err
    _no_formulas(out)
    ws = load_workbook(out)["Nhập liệu"]
    _text_cell(ws, LINK)  # tên đơn vị
    _text_cell(ws, SUM)
    _text_cell(ws, "+B")  # unit
    _text_cell(ws, TITLE)  # tiêu chí


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_csv_text_behind_a_quote_numbers_untouched(run, hostile):
    out = _score(run, hostile, "ket-qua.csv")
    ranking = {r[2]: r for r in _read(out)[1:]}
    assert ranking["A"][3] == "'" + LINK
    assert ranking["'+B"][3] == "'" + SUM
    assert ranking["C"][0] == "'-Trung ương"
    assert ranking["A"][-1] == "-0.50"  # area_5 (penalty): a number, not text
    nodes = {(r[0], r[2]): r for r in _read(hostile["dir"] / "ket-qua-diem-tieu-chi.csv")[1:]}
    assert nodes[("A", "2.1")][1:4] == ["'" + LINK, "2.1", "'" + TITLE]
    assert nodes[("A", "5")][4] == "-0.50"
    lost = _read(hostile["dir"] / "ket-qua-diem-bi-mat.csv")[1:]
    assert ["A", "'" + LINK, "2.1", "'" + TITLE, "4.00", "3.50", "0.50"] in lost
    assert any(r[:2] == ["'+B", "'" + SUM] for r in lost)
    warnings = _read(hostile["dir"] / "ket-qua-canh-bao.csv")[1:]
    assert [r[:2] for r in warnings] == [["W001", "'+B"]]


def test_json_keeps_the_text_as_is(run, hostile):
    out = _score(run, hostile, "ket-qua.json")
    units = {u["code"]: u for u in json.loads(out.read_text(encoding="utf-8"))["units"]}
    assert units["A"]["name"] == LINK and units["+B"]["name"] == SUM


def test_control_characters_pasted_into_a_name_do_not_break_the_workbook(run, files):
    d = files["dir"]
    units = d / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace("Sở A", "Sở\x01 A\x0b"), "utf-8")
    out = d / "kq.xlsx"

    code, _, err = run(*score_args(files, out))

    assert code == 0, err
    names = [c.value for row in load_workbook(out)["Xếp hạng"].iter_rows() for c in row]
    assert "Sở A" in names


def test_out_siblings_may_not_overwrite_an_input(run, files):
    d = files["dir"]
    target = d / "kq-diem-tieu-chi.csv"
    target.write_text(INPUTS_CSV, encoding="utf-8")
    args = score_args(files, d / "kq.csv", inputs=target)

    code, _, err = run(*args)

    assert code == 2 and "T010" in err
    assert target.read_text(encoding="utf-8") == INPUTS_CSV
