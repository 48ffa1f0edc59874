"""``parindex score --out KQ.csv``: the ranking plus three sibling tables — points per node,
lost points, warnings — written as a set (all or none), mirroring the XLSX sheets.

Numbers are the hand-computed ones of test_score.py (tiny methodology).
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from parindex import exports

from .helpers import Run, score_args

SIBLINGS = ["ket-qua-diem-tieu-chi.csv", "ket-qua-diem-bi-mat.csv", "ket-qua-canh-bao.csv"]


def _without_b_1_1(files: dict[str, Path]) -> Path:
    """Inputs where Sở B leaves 1.1 empty: 0 points there and a W001 warning."""
    inputs = files["dir"] / "thieu.csv"
    inputs.write_text(files["inputs"].read_text("utf-8").replace("B,1.1,,late\n", ""), "utf-8")
    return inputs


def _score(run: Run, files: dict[str, Path], name: str, **override: Path) -> Path:
    out = files["dir"] / name
    code, _, err = run(*score_args(files, out, **override))
    assert code == 0, err
    return out


def _read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, like the ranking file
    return list(csv.reader(raw.decode("utf-8-sig").splitlines()))


def _sheet(path: Path, title: str) -> list[list[object]]:
    return [[c.value for c in row] for row in load_workbook(path)[title].iter_rows(min_row=2)]


def test_four_files_side_by_side(run, files):
    out = _score(run, files, "ket-qua.csv")
    names = sorted(p.name for p in files["dir"].iterdir() if p.name.startswith("ket-qua"))
    assert names == sorted(["ket-qua.csv", *SIBLINGS])
    assert exports.output_paths(out) == [out] + [files["dir"] / n for n in SIBLINGS]
    assert exports.output_paths(files["dir"] / "KQ.json") == [files["dir"] / "KQ.json"]


def test_points_per_node_per_unit(run, files):
    _score(run, files, "ket-qua.csv")
    rows = _read(files["dir"] / "ket-qua-diem-tieu-chi.csv")
    assert rows[0] == ["unit", "unit_name", "node", "node_title", "points", "max", "percent"]
    # Every unit × every node (12 in the tiny methodology), units in input order.
    assert len(rows) == 1 + 4 * 12
    assert [r[2] for r in rows[1:13]] == [
        "1", "1.1", "1.2", "2", "2.1", "2.2", "3", "3.1", "4", "4.1", "5", "5.1",
    ]  # fmt: skip
    by_key = {(r[0], r[2]): r for r in rows[1:]}
    assert by_key[("A", "2.1")] == [
        "A", "Sở A", "2.1", "Tỷ lệ hồ sơ đúng hạn", "3.50", "4.00", "87.50",
    ]  # fmt: skip
    # C: 2.2 does not apply to central agencies, so area 2's maximum is 4 (not 6).
    assert by_key[("C", "2.2")][4:] == ["", "", ""]
    assert by_key[("C", "2")][4:] == ["4.00", "4.00", "100.00"]
    assert by_key[("D", "2")][4:] == ["", "", ""]  # exempt
    # Penalty: a negative number, never prefixed; no percentage for bonus and penalty areas.
    assert by_key[("A", "5")][4:] == ["-0.50", "1.00", ""]
    assert by_key[("A", "4.1")][4:] == ["1.00", "1.00", ""]


def test_lost_points_and_warnings_mirror_the_xlsx_sheets(run, files):
    inputs = _without_b_1_1(files)
    _score(run, files, "ket-qua.csv", inputs=inputs)
    xlsx = _score(run, files, "ket-qua.xlsx", inputs=inputs)

    lost = _read(files["dir"] / "ket-qua-diem-bi-mat.csv")
    assert lost[0] == ["unit", "unit_name", "node", "node_title", "max", "points", "lost"]
    assert lost[1:3] == [
        ["A", "Sở A", "2.1", "Tỷ lệ hồ sơ đúng hạn", "4.00", "3.50", "0.50"],
        ["A", "Sở A", "3.1", "Chỉ số hài lòng SIPAS", "2.00", "1.60", "0.40"],
    ]
    # B without 1.1: 2.1 and 2.2 lose 2, then 1.1 and 1.2 lose 1 (by code), 3.1 loses 0.5.
    assert [r[2] for r in lost[1:] if r[0] == "B"] == ["2.1", "2.2", "1.1", "1.2", "3.1"]
    sheet = _sheet(xlsx, "Điểm bị mất")
    assert [r[:4] for r in lost[1:]] == [r[:4] for r in sheet]
    assert [[float(x) for x in r[4:]] for r in lost[1:]] == [r[4:] for r in sheet]

    warnings = _read(files["dir"] / "ket-qua-canh-bao.csv")
    assert warnings[0] == ["code", "unit", "node", "message"]
    assert len(warnings) == 2 and warnings[1][:2] == ["W001", "B"]
    assert "đơn vị B thiếu dữ liệu ở 1 tiêu chí" in warnings[1][3]
    assert warnings[1:] == [["" if v is None else v for v in r] for r in _sheet(xlsx, "Cảnh báo")]


def test_no_warnings_still_writes_the_warnings_file(run, files):
    _score(run, files, "ket-qua.csv")
    assert _read(files["dir"] / "ket-qua-canh-bao.csv") == [["code", "unit", "node", "message"]]


def test_a_failure_in_one_table_changes_none_of_the_four(run, files, monkeypatch):
    out = files["dir"] / "ket-qua.csv"
    for name in ["ket-qua.csv", *SIBLINGS]:
        (files["dir"] / name).write_text("OLD", encoding="utf-8")

    def full_disk(results):
        yield ["unit", "unit_name", "node", "node_title", "max", "points", "lost"]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports.tables, "lost_table", full_disk)
    code, _, err = run(*score_args(files, out))
    assert code == 2 and "không ghi được tệp" in err
    for name in ["ket-qua.csv", *SIBLINGS]:
        assert (files["dir"] / name).read_text(encoding="utf-8") == "OLD", name
    assert [p.name for p in files["dir"].iterdir() if p.name.startswith(".")] == []


def test_a_sibling_that_cannot_be_replaced_leaves_the_set_as_it_was(run, files):
    out = files["dir"] / "ket-qua.csv"
    out.write_text("OLD", encoding="utf-8")
    (files["dir"] / "ket-qua-canh-bao.csv").mkdir()  # the last file cannot be moved into place
    code, _, err = run(*score_args(files, out))
    assert code == 2 and "không ghi được tệp" in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "OLD"
    assert not (files["dir"] / "ket-qua-diem-tieu-chi.csv").exists()
    assert not (files["dir"] / "ket-qua-diem-bi-mat.csv").exists()
    assert [p.name for p in files["dir"].iterdir() if p.name.startswith(".")] == []
