"""``parindex survey validate|import|indices`` on KoboToolbox and ODK Central exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from .helpers import ROOT

DATA = ROOT / "tests" / "core" / "survey" / "data"
INSTRUMENT = DATA / "khao-sat-thu-nghiem.yaml"
KOBO = DATA / "kobo.csv"
ODK = DATA / "odk-central.csv"
KOBO_ERRORS = DATA / "kobo-loi.csv"
UNITS = DATA / "don-vi.csv"
METHODOLOGIES = ROOT / "src" / "parindex" / "methodologies"

SURVEY_METHODOLOGY = """\
format: parindex/methodology@1
id: khao-sat
title: "Bộ tiêu chí có hai tiêu chí khảo sát"
year: 2024
status: sample
unit_types: [department]
max_points: 10
nodes:
  - code: "1"
    title: "Sự hài lòng"
    max: 10
    children:
      - {code: "1.1", title: "Tiếp cận", max: 4, rule: {type: survey, source: sipas}}
      - {code: "1.2", title: "Thủ tục", max: 6, rule: {type: survey, source: sipas}}
"""


def kobo_rows() -> list[list[str]]:
    return list(csv.reader(KOBO.read_text(encoding="utf-8").splitlines(), delimiter=";"))


def write_xlsx(path: Path, rows: list[list[str]], sheet: str | None = None) -> Path:
    """The rows in a workbook, numbers as numeric cells, as Excel or Kobo would write them;
    with ``sheet``, the data goes on a second sheet of that name."""
    book = Workbook()
    ws = book.active
    if sheet is not None:
        ws.title = "Hướng dẫn"
        ws.append(["Trang dữ liệu là trang sau"])
        ws = book.create_sheet(sheet)
    for row in rows:
        ws.append([int(c) if c.isdigit() and len(c) < 10 else (c or None) for c in row])
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    return path


def import_args(responses: Path, *more: object) -> list[object]:
    return ["survey", "import", "--instrument", INSTRUMENT, "--responses", responses, *more]


# --- validate -------------------------------------------------------------------------------


def test_validate_shipped_and_own_instruments_against_methodologies(run):
    code, out, _ = run(
        "survey",
        "validate",
        "sipas-2017",
        ROOT / "src" / "parindex" / "surveys" / "lanh-dao-quan-ly-mau.yaml",
        "--methodology",
        METHODOLOGIES / "xa-phuong-mau.yaml",
        "--methodology",
        METHODOLOGIES / "so-ban-nganh-mau.yaml",
    )

    assert code == 0
    assert out.splitlines()[0] == (
        "sipas-2017: hợp lệ (27 câu hỏi, 22 câu tính điểm, 5 nhóm, 2 loại người trả lời; "
        "khớp xa-phuong-mau, so-ban-nganh-mau)"
    )


def test_validate_reports_every_error_on_stdout_and_exits_1(run, tmp_path):
    broken = tmp_path / "hong.yaml"
    broken.write_text(INSTRUMENT.read_text(encoding="utf-8").replace("weight: 0.6", "weight: 0.5"))
    methodology = tmp_path / "m.yaml"
    methodology.write_text(SURVEY_METHODOLOGY.replace('"1.2"', '"1.3"'), encoding="utf-8")

    code, out, err = run("survey", "validate", broken, INSTRUMENT, "--methodology", methodology)

    assert code == 1
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith(f"{broken}:") and ": S030: " in lines[0]
    assert any(": S070: [nút 1.2]" in line for line in lines)
    assert any(": S073: [nút 1.3]" in line for line in lines)


def test_an_unknown_shipped_instrument_is_reported(run):
    code, out, _ = run("survey", "validate", "khong-co")

    assert code == 1
    assert "khong-co: S001: không có công cụ khảo sát mẫu 'khong-co'; có: " in out


# --- import ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [KOBO, ODK], ids=["kobo", "odk-central"])
def test_import_checks_an_export_and_shows_a_preview_and_units(run, path):
    code, out, err = run(*import_args(path, "--units", UNITS, "--preview", "2"))

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(
        f"{path}: hợp lệ — 12 phiếu của 3 đơn vị, công cụ khao-sat-thu-nghiem"
    )
    assert "nộp từ 04/03/2024 02:10 đến 04/03/2024 03:27 (UTC)" in lines[0]
    assert "5/5 câu hỏi tính điểm có cột" in lines[1]
    assert "Xem trước 2 dòng đầu:" in lines
    assert any(line.split()[:4] == ["SNV", "4", "3", "1"] and "Sở Nội vụ" in line for line in lines)
    assert "ứng dụng web" in lines[-1]
    assert err == ""


def test_import_reads_xlsx_from_the_first_sheet_or_the_data_sheet(run, tmp_path):
    first = write_xlsx(tmp_path / "kobo.xlsx", kobo_rows())
    second = write_xlsx(tmp_path / "kobo-2.xlsx", kobo_rows(), sheet="data")

    for path in (first, second):
        code, out, err = run(*import_args(path))
        assert code == 0, err
        assert "12 phiếu của 3 đơn vị" in out.splitlines()[0]


def test_import_reports_every_bad_row_with_row_and_column(run):
    code, out, err = run(*import_args(KOBO_ERRORS, "--units", UNITS))

    assert code == 2
    where = [line.split(": ", 2)[:2] for line in err.splitlines()]
    assert where == [
        [f"{KOBO_ERRORS}:2", "R010"],
        [f"{KOBO_ERRORS}:3", "R011"],
        [f"{KOBO_ERRORS}:4", "R012"],
        [f"{KOBO_ERRORS}:5", "R013"],
        [f"{KOBO_ERRORS}:6", "R014"],
        [f"{KOBO_ERRORS}:7", "R015"],
        [f"{KOBO_ERRORS}:8", "R017"],
        [f"{KOBO_ERRORS}:9", "R018"],
        [f"{KOBO_ERRORS}:10", "R019"],
        [f"{KOBO_ERRORS}:11", "R010"],
        [f"{KOBO_ERRORS}:12", "R007"],
    ]
    assert "[cột tiep_can/A1] câu trả lời '6'" in err
    assert "Xem trước" in out  # the first rows are shown next to the errors
    assert "hợp lệ" not in out


@pytest.mark.parametrize(
    ("row", "column", "value", "code"),
    [
        (3, "tiep_can/A2", "0", "R010"),
        (4, "thong_tin/don_vi", "SGD", "R011"),
        (5, "thong_tin/don_vi", "", "R012"),
        (6, "_uuid", "95a0ba4f-duplicate", "R013"),
        (7, "thong_tin/P1", "", "R014"),
        (8, "_uuid", "", "R015"),
        (9, "thong_tin/P2", "-1", "R017"),
        (10, "nhu_cau/NC1", "5", "R018"),
        (11, "_submission_time", "2024-02-30T10:00:00", "R019"),
    ],
)
def test_each_kind_of_bad_row_in_a_kobo_file(run, tmp_path, row, column, value, code):
    rows = kobo_rows()
    header = rows[0]
    if code == "R013":
        value = rows[2][header.index("_uuid")]  # the id of row 3
    rows[row - 1][header.index(column)] = value
    path = write_csv(tmp_path / f"loi-{code}.csv", rows)

    status, _, err = run(*import_args(path, "--units", UNITS))

    assert status == 2
    assert err.splitlines()[0].startswith(f"{path}:{row}: {code}: [cột {column}] ")
    assert len(err.splitlines()) == 1


def test_a_weight_column_is_read_and_checked(run, tmp_path):
    rows = kobo_rows()
    rows[0].append("trong_so")
    for i, row in enumerate(rows[1:]):
        row.append("1,5" if i else "0")

    code, _, err = run(*import_args(write_csv(tmp_path / "w.csv", rows)))

    assert code == 2
    assert ":2: R016: [cột trong_so] trọng số phải lớn hơn 0, không phải '0'" in err


def test_unit_and_weight_columns_may_be_named(run, tmp_path):
    rows = kobo_rows()
    rows[0][rows[0].index("thong_tin/don_vi")] = "co_quan"
    rows[0].append("he_so")
    for row in rows[1:]:
        row.append("2")
    path = write_csv(tmp_path / "ten-cot.csv", rows)

    code, out, err = run(*import_args(path, "--unit-column", "co_quan", "--weight-column", "he_so"))

    assert code == 0, err
    assert "có trọng số thiết kế" in out
    assert "đơn vị = co_quan" in out and "trọng số = he_so" in out


def test_import_warns_about_unknown_columns_on_stderr(run, tmp_path):
    rows = kobo_rows()
    rows[0].append("ghi_chu_dtv")
    for row in rows[1:]:
        row.append("")

    code, _, err = run(*import_args(write_csv(tmp_path / "them-cot.csv", rows)))

    assert code == 0
    assert err.startswith(f"cảnh báo {tmp_path / 'them-cot.csv'}:1: R050: [cột ghi_chu_dtv]")


def test_import_shows_progress_when_asked(run):
    code, _, err = run(*import_args(KOBO, "--progress"))

    assert code == 0
    assert "đọc câu trả lời: [" in err
    assert "100% 12 dòng" in err


def test_import_help_says_where_importing_into_a_period_is_done(run):
    code, out, _ = run("survey", "import", "--help")

    assert code == 0
    assert "ứng dụng web" in out and "--period" not in out


# --- indices --------------------------------------------------------------------------------


def indices_args(out: Path, *more: object) -> list[object]:
    return [
        "survey",
        "indices",
        "--instrument",
        INSTRUMENT,
        "--responses",
        KOBO,
        "--units",
        UNITS,
        "--out",
        out,
        *more,
    ]


@pytest.fixture
def methodology(tmp_path: Path) -> Path:
    path = tmp_path / "khao-sat.yaml"
    path.write_text(SURVEY_METHODOLOGY, encoding="utf-8")
    return path


def test_indices_as_json_with_the_survey_leaves(run, tmp_path, methodology):
    out = tmp_path / "kq.json"

    code, stdout, err = run(*indices_args(out, "--methodology", methodology))

    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["instrument"]["id"] == "khao-sat-thu-nghiem"
    assert data["responses"]["rows"] == 12
    units = {u["code"]: u for u in data["units"]}
    # Hand-checked in tests/core/survey/test_indices.py: SYT 75 % and 66.67 % → 70 %.
    assert units["SYT"]["index"] == "70.00"
    assert units["SYT"]["name"] == "Sở Y tế"
    assert units["SYT"]["groups"]["tiep_can"]["share"] == "75.00"
    assert units["SNV"]["questions"]["A1"] == {
        "n": 3,
        "n_eff": "3.00",
        "share": "66.67",
        "share_low": "20.77",
        "share_high": "93.85",
        "mean": "66.67",
        "mean_low": "-76.76",
        "mean_high": "210.09",
    }
    assert data["province"]["code"] == "*" and data["province"]["responses"] == 12
    assert data["leaves"]["units"]["SYT"] == {"1.1": "75.00", "1.2": "66.67"}
    assert data["leaves"]["points"]["SYT"] == {"1.1": "3.00", "1.2": "4.00"}
    assert "  SYT" in stdout and "70,00 %" in stdout
    assert stdout.splitlines()[-1] == f"Đã ghi {out}: 3 đơn vị, 12 phiếu."


def test_indices_as_csv_tables_one_of_them_readable_by_score(run, tmp_path, methodology):
    out = tmp_path / "kq.csv"

    code, stdout, _ = run(*indices_args(out, "--methodology", methodology))

    assert code == 0
    names = ["kq.csv", "kq-nhom.csv", "kq-cau-hoi.csv", "kq-tieu-chi.csv", "kq-canh-bao.csv"]
    assert sorted(p.name for p in tmp_path.glob("kq*.csv")) == sorted(names)
    units = list(csv.DictReader((tmp_path / "kq.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [u["unit"] for u in units] == ["*", "SNV", "STP", "SYT"]
    assert units[3]["index"] == "70.00" and units[3]["group_thu_tuc"] == "66.67"
    leaves = (tmp_path / "kq-tieu-chi.csv").read_text(encoding="utf-8-sig").splitlines()
    assert leaves[0] == "unit,node,input,value,tên đơn vị,tiêu chí,điểm tối đa"
    assert "SYT,1.1,index,75.00,Sở Y tế,Tiếp cận,4" in leaves
    assert "kq-tieu-chi.csv" in stdout


def test_indices_as_xlsx(run, tmp_path):
    out = tmp_path / "kq.xlsx"

    code, _, _ = run(*indices_args(out))

    assert code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Chỉ số", "Theo nhóm", "Theo câu hỏi", "Cảnh báo"]
    rows = list(book["Chỉ số"].iter_rows(values_only=True))
    assert rows[0][:4] == ("unit", "name", "responses", "index")
    syt = next(r for r in rows if r[0] == "SYT")
    assert syt[3] == 70.0  # a number, not text
    assert book["Chỉ số"].cell(row=4, column=4).number_format == "0.00"


def test_populations_check_the_samples(run, tmp_path):
    populations = tmp_path / "quy-mo.csv"
    populations.write_text("đơn vị,quy mô\nSNV,4\nSTP,10\nSYT,4\n", encoding="utf-8")
    out = tmp_path / "kq.json"

    code, stdout, err = run(*indices_args(out, "--populations", populations))

    assert code == 0
    assert "cảnh báo R060: đơn vị STP: Mẫu khảo sát có 4 phiếu, cần ít nhất 10 phiếu" in err
    stp = next(u for u in json.loads(out.read_text())["units"] if u["code"] == "STP")
    assert (stp["sample"]["required"], stp["sample"]["enough"], stp["rankable"]) == (
        10,
        False,
        False,
    )
    assert "thiếu, không xếp hạng" in stdout


def test_bad_populations_are_reported_by_row(run, tmp_path):
    populations = tmp_path / "quy-mo.csv"
    populations.write_text("unit,population\nSNV,-4\nSNV,10\n,3\nSTP,1.5\n", encoding="utf-8")
    out = tmp_path / "kq.json"

    code, _, err = run(*indices_args(out, "--populations", populations))

    assert code == 2
    assert [line.split(": ")[1] for line in err.splitlines()] == ["R040", "R041", "R040", "R040"]
    assert f"{populations}:3: R041: [cột unit] đơn vị 'SNV' có hai dòng" in err
    assert not out.exists()


def test_indices_write_nothing_when_the_responses_have_errors(run, tmp_path):
    out = tmp_path / "kq.xlsx"
    args = indices_args(out)
    args[args.index(KOBO)] = KOBO_ERRORS

    code, _, err = run(*args)

    assert code == 2
    assert f"{KOBO_ERRORS}:2: R010:" in err
    assert not out.exists()


def test_indices_refuse_an_unknown_format_and_overwriting_an_input(run, tmp_path):
    code, _, err = run(*indices_args(tmp_path / "kq.txt"))
    assert (code, "T009" in err) == (2, True)

    copy = tmp_path / "kobo.csv"
    copy.write_bytes(KOBO.read_bytes())
    args = indices_args(copy)
    args[args.index(KOBO)] = copy
    code, _, err = run(*args)
    assert code == 2
    assert "T010: --out là cùng một tệp với --responses" in err
    assert copy.read_bytes() == KOBO.read_bytes()


def test_indices_refuse_a_methodology_the_instrument_does_not_map(run, tmp_path):
    out = tmp_path / "kq.json"

    code, _, err = run(*indices_args(out, "--methodology", METHODOLOGIES / "xa-phuong-mau.yaml"))

    assert code == 2
    assert ": S071: [nút 1.1]" in err  # 1.1 of the commune set is an area, not a survey leaf
    assert not out.exists()
