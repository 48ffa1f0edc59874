"""Reading response files: streaming CSV and XLSX, file-level errors (``T0xx``), progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from parindex import survey_io
from parindex.core import InputError
from parindex.core.survey import ResponseError, load_instrument
from parindex.survey_io import estimated_rows, read_responses_file
from parindex.tabular import estimate_rows, iter_rows

from .test_survey import INSTRUMENT, KOBO, ODK, kobo_rows, write_csv, write_xlsx


def read(path: Path, **options):
    return read_responses_file(path, load_instrument(INSTRUMENT), **options)


def codes(exc: InputError | ResponseError) -> list[tuple[str, int | None]]:
    return [(i.code, i.line) for i in exc.issues]


def test_csv_with_a_bom_and_commas_or_semicolons(tmp_path):
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes(b"\xef\xbb\xbf" + ODK.read_bytes())

    assert len(read(with_bom)) == len(read(KOBO)) == 12


def test_a_quoted_line_break_keeps_row_numbers_as_a_spreadsheet_shows_them(tmp_path):
    rows = kobo_rows()
    rows[1][rows[0].index("gop_y/K1")] = "dòng một\ndòng hai"
    rows[3][rows[0].index("tiep_can/A1")] = "7"
    path = write_csv(tmp_path / "xuong-dong.csv", rows)

    with pytest.raises(ResponseError) as caught:
        read(path)

    assert codes(caught.value) == [("R010", 5)]  # row 4 of the table starts on line 5


def test_blank_rows_are_skipped_and_the_header_may_come_later(tmp_path):
    text = KOBO.read_text(encoding="utf-8")
    path = tmp_path / "trong.csv"
    path.write_text(";;\n" + text.replace("\n", "\n;;;\n", 3), encoding="utf-8")

    assert len(read(path)) == 12


@pytest.mark.parametrize(
    ("name", "content", "code", "line"),
    [
        ("a.ods", b"x", "T003", None),
        ("khong-co.csv", None, "T001", None),
        ("a.csv", b"unit,P1,A1\nSNV,1,4\nS\xd0\x20,1,4\n", "T002", 3),
        ("a.csv", b"\n\n", "T004", None),
        ("a.csv", b'unit,P1,A1\nSNV,1,"4\n' + b"x" * 140_000 + b"\n", "T001", 2),
        ("a.xlsx", b"not a zip", "T001", None),
    ],
)
def test_file_problems_are_t_codes(tmp_path, name, content, code, line):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(InputError) as caught:
        read(path)

    assert codes(caught.value) == [(code, line)]


def test_xlsx_cells_are_read_as_text(tmp_path):
    path = write_xlsx(tmp_path / "so.xlsx", kobo_rows())

    responses = read(path)

    assert len(responses) == 12
    assert responses.preview(1)[0]["_id"] == "231457890"
    assert responses.preview(1)[0]["tiep_can/A1"] == "5"


def test_progress_is_called_every_so_many_rows_and_at_the_end(monkeypatch):
    monkeypatch.setattr(survey_io, "PROGRESS_EVERY", 5)
    seen: list[int] = []

    read(KOBO, progress=seen.append)

    assert seen == [5, 10, 12]


def test_row_estimates_for_a_progress_bar(tmp_path):
    assert 10 <= estimated_rows(KOBO) <= 15
    book = Workbook()
    for i in range(40):
        book.active.append([i, "x"])
    book.save(tmp_path / "a.xlsx")
    assert estimate_rows(tmp_path / "a.xlsx") == 40
    assert estimate_rows(tmp_path / "khong-co.csv") is None
    (tmp_path / "rong.csv").write_bytes(b"")
    assert estimate_rows(tmp_path / "rong.csv") is None


def test_iter_rows_streams_an_xlsx_sheet_by_name(tmp_path):
    path = write_xlsx(tmp_path / "k.xlsx", [["a", "b"], ["1", ""]], sheet="Dữ liệu")

    assert list(iter_rows(path, sheets=("dữ liệu",))) == [(1, ["a", "b"]), (2, [1])]
