"""`parindex published check`: consistency of a published results table."""

from __future__ import annotations

from pathlib import Path

from .helpers import EXAMPLES, SAMPLE, score_args


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_consistent_table_passes(run, tmp_path):
    table = write(
        tmp_path / "cong-bo.csv",
        "code,group,rank,total,max,index,area_1,area_2\n"
        'QN,Tỉnh,1,"92,18",100,"92,18",50,"42,18"\n'
        "HB,Tỉnh,2,86.89,100,86.89,,\n",
    )
    code, out, _ = run("published", "check", table)
    assert code == 0
    assert out.strip() == f"{table}: nhất quán (2 đơn vị)"


def test_each_inconsistency_is_reported_with_its_numbers(run, tmp_path):
    # HP: components 50 + 40 = 90 ≠ 93; index 93,10 ≠ 93 / 100 × 100; ranked below QN (92,18).
    table = write(
        tmp_path / "cong-bo.csv",
        "code,group,rank,total,max,index,area_1,area_2\n"
        'QN,Tỉnh,1,"92,18",100,"92,18",50,"42,18"\n'
        'HP,Tỉnh,2,"93,00",100,"93,10",50,40\n',
    )
    code, out, _ = run("published", "check", table)
    assert code == 1
    lines = out.splitlines()
    assert (
        f"{table}: W101: dòng 3: đơn vị HP: tổng các thành phần 1: 50 + 2: 40 = 90, khác "
        in (lines[0])
    )
    assert "tổng điểm công bố 93,00" in lines[0]
    assert "chỉ số công bố 93,10 khác 93,00 / 100 × 100 = 93,00" in lines[1]
    assert "QN hạng 1 (92,18) nhưng HP hạng 2 (93,10)" in lines[2]


def test_bad_cells_are_errors_with_row_and_column(run, tmp_path):
    table = write(tmp_path / "sai.csv", "code,total,rank\nA,abc,0\n,5,\n")
    code, out, err = run("published", "check", table)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{table}:2: P003: [cột total] 'abc' không phải là số",
        f"{table}:2: P002: [cột rank] hạng 0 phải là số nguyên ≥ 1",
        f"{table}:3: P001: [cột code] cột 'code' không được để trống",
    ]


def test_unknown_columns_are_refused(run, tmp_path):
    table = write(tmp_path / "sai.csv", "code,total,diem_khac\nA,5,1\n")
    code, _, err = run("published", "check", table)
    assert code == 2
    assert "T006" in err and "diem_khac" in err and "area_…" in err


def test_the_score_csv_can_be_checked_back(run, files):
    # parindex's own ranking CSV has the same columns; its figures agree with each other.
    out = files["dir"] / "ket-qua.csv"
    assert run(*score_args(files, out))[0] == 0
    code, text, _ = run("published", "check", out)
    assert code == 0, text
    assert "nhất quán (4 đơn vị)" in text


def test_the_score_xlsx_of_the_sample_can_be_checked_back(run, tmp_path):
    # `parindex score --out kq.xlsx` then `parindex published check kq.xlsx`: the "Xếp hạng"
    # sheet (Vietnamese headers) is read, and our own figures agree with each other.
    out = tmp_path / "kq.xlsx"
    code, _, err = run(
        "score",
        "--methodology",
        SAMPLE,
        "--units",
        EXAMPLES / "units.csv",
        "--inputs",
        EXAMPLES / "inputs.csv",
        "--out",
        out,
    )
    assert code == 0, err
    code, text, err = run("published", "check", out)
    assert (code, err) == (0, ""), text + err
    assert text.strip() == f"{out}: nhất quán (10 đơn vị)"


def test_vietnamese_headers_are_read_and_checked(run, tmp_path):
    table = write(
        tmp_path / "cong-bo.csv",
        "Khối,Hạng,Mã đơn vị,Tên đơn vị,Tổng điểm,Điểm tối đa,Chỉ số (%),Xếp loại\n"
        'Tỉnh,1,QN,Quảng Ninh,"92,18",100,"92,18",A\n'
        'Tỉnh,2,HP,Hải Phòng,"93,00",100,"93,00",A\n',
    )
    code, out, _ = run("published", "check", table)
    assert code == 1
    assert out == (
        f"{table}: W103: hạng không theo thứ tự điểm: QN hạng 1 (92,18) nhưng HP hạng 2 (93,00)\n"
    )


def test_a_column_named_twice_in_two_languages_is_refused(run, tmp_path):
    table = write(tmp_path / "sai.csv", "code,Mã đơn vị,total\nA,A,5\n")
    code, _, err = run("published", "check", table)
    assert code == 2
    assert err.strip() == (
        f"{table}:1: T007: [cột code] cột 'Mã đơn vị' (= 'code') bị lặp trong dòng tiêu đề"
    )
