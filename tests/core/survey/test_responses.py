"""Reading responses: exports of KoboToolbox and ODK Central import to the same tallies, every
kind of bad row is reported with its row and column, and nothing is returned while any is."""

from __future__ import annotations

import datetime as dt
import pickle
from collections import Counter
from decimal import Decimal

import pytest

from parindex.core.survey import (
    ResponseError,
    ResponseReader,
    loads_instrument,
    read_responses,
)
from parindex.core.survey import responses as responses_module

from .responses_data import KOBO, ODK, QUESTIONS, RESPONSES, UNITS, instrument, read_csv, table
from .test_headers import TYPE_COLUMN

CODES = ("1", "2", "3", "4", "5", "9")


def expected_counts(unit: str, question: str) -> tuple[int, ...]:
    """Counts per code of one unit's answers, straight from the table of responses."""
    column = 3 + QUESTIONS.index(question)
    found = Counter(r[column] for r in RESPONSES if r[0] == unit)
    return tuple(found[c] for c in CODES)


@pytest.mark.parametrize("path", [KOBO, ODK], ids=["kobo", "odk-central"])
def test_an_export_imports_every_response(path):
    responses = read_csv(path, units=UNITS)

    assert len(responses) == 12
    assert responses.units() == ["SNV", "STP", "SYT"]
    assert responses.counts_by_unit() == {"SNV": 4, "STP": 4, "SYT": 4}
    assert responses.counts_by_type() == {u: {"citizen": 3, "organization": 1} for u in UNITS[:3]}
    assert responses.warnings == []
    assert responses.weighted is False
    first, last = responses.period  # UTC; ODK Central gives milliseconds
    assert (first.replace(microsecond=0), last.replace(microsecond=0)) == (
        dt.datetime(2024, 3, 4, 2, 10, 52),
        dt.datetime(2024, 3, 4, 3, 27, 52),
    )
    assert responses.questions() == list(QUESTIONS)
    for unit in UNITS[:3]:
        for question in QUESTIONS:
            assert responses.tally(question, unit=unit).counts == expected_counts(unit, question)


def test_a_response_set_survives_pickling_and_keeps_its_tallies():
    responses = read_csv(KOBO)

    copy = pickle.loads(pickle.dumps(responses))

    assert copy.tally("A1", unit="SNV") == responses.tally("A1", unit="SNV")
    assert copy.tally("A1").answered == 12  # 9 "no answer" is a code, not a blank cell
    assert copy.preview(1) == responses.preview(1)


def test_kobo_and_odk_exports_of_the_same_responses_give_the_same_tallies():
    kobo, odk = read_csv(KOBO), read_csv(ODK)

    for question in QUESTIONS:
        for unit in [None, "SNV", "STP", "SYT"]:
            assert kobo.tally(question, unit=unit) == odk.tally(question, unit=unit)


def test_the_preview_holds_the_first_rows_as_read():
    responses = read_csv(KOBO)

    first = responses.preview(2)

    assert len(first) == 2
    assert first[0]["thong_tin/don_vi"] == "SNV"
    assert first[1]["gop_y/K1"] == "Nhân viên nhiệt tình"
    assert len(responses.preview()) == 12
    assert "12 phiếu" in repr(responses)


# --- one valid row, and each kind of bad row -------------------------------------------------

HEADER = ["unit", "_uuid", "_submission_time", "trong_so", "P1", "P2", "A1", "A2", "B1", "B2"]
HEADER += ["C1", "NC1", "K1", ""]
VALID = ["SNV", "id-1", "2024-03-04T09:10:00", "1,5", "1", "2", "4", "5", "3", "4", "", "1 3"]
VALID += ["Tốt", ""]


def rows_with(column: str, value: str) -> list[tuple[int, dict[str, str]]]:
    """A valid row, then the same row with ``column`` set to ``value`` (another id)."""
    bad = dict(zip(HEADER, VALID, strict=True))
    bad["_uuid"] = "id-2"
    bad[column] = value
    return [*table(HEADER, VALID), (3, bad)]


def problems(rows, **options):
    with pytest.raises(ResponseError) as caught:
        read_responses(rows, instrument(), source="f.csv", **options)
    return caught.value


@pytest.mark.parametrize(
    ("column", "value", "code", "says"),
    [
        ("A1", "6", "R010", "'6' không có trong thang đo"),
        ("A1", "4,5", "R010", "hợp lệ: 1, 2, 3, 4, 5 (mã thiếu: 9)"),
        ("P1", "3", "R010", "câu hỏi P1"),
        (
            "unit",
            "SXX",
            "R011",
            "đơn vị 'SXX' không có trong danh sách đơn vị (SNV, STP, SXD, SYT)",
        ),
        ("unit", "  ", "R012", "thiếu mã đơn vị"),
        ("_uuid", "id-1", "R013", "mã phiếu 'id-1' bị trùng: đã có ở dòng 2"),
        ("P1", "", "R014", "câu hỏi bắt buộc P1"),
        ("_uuid", "", "R015", "thiếu mã phiếu"),
        ("trong_so", "0", "R016", "trọng số phải lớn hơn 0, không phải '0'"),
        ("trong_so", "", "R016", "thiếu trọng số"),
        ("trong_so", "nhiều", "R016", "'nhiều' không phải là số"),
        ("P2", "31", "R017", "'31' nằm ngoài khoảng cho phép 0 – 30"),
        ("P2", "1,5", "R017", "'1,5' không phải số nguyên"),
        ("P2", "hai", "R017", "'hai' không phải là số"),
        ("NC1", "1 2 3", "R018", "chọn 3 phương án, tối đa 2"),
        ("NC1", "1 7", "R018", "'7' không phải phương án"),
        ("NC1", "99 1", "R018", "mã '99' (không trả lời) không được chọn cùng phương án khác"),
        ("_submission_time", "hôm qua", "R019", "'hôm qua' không phải ngày giờ"),
        ("_submission_time", "31/02/2024", "R019", "không phải ngày giờ"),
    ],
)
def test_each_kind_of_bad_row_names_its_row_and_column(column, value, code, says):
    exc = problems(rows_with(column, value), units=UNITS)

    assert len(exc.issues) == 1, [i.format() for i in exc.issues]
    issue = exc.issues[0]
    assert (issue.code, issue.line, issue.column, issue.source) == (code, 3, column, "f.csv")
    assert says in issue.message
    assert exc.rows == 2  # both rows were read; nothing is returned


def test_a_value_under_a_blank_header_or_past_the_header_is_r007():
    reader = ResponseReader(HEADER, instrument())
    reader.add(2, [*VALID[:-1], "x"])  # under the blank header (column 14)
    reader.add(3, ["SNV", "id-3", *VALID[2:], "thừa"])  # past the header
    reader.add(4, ["SNV", "id-4", *VALID[2:6]])  # short: the rest is blank

    with pytest.raises(ResponseError) as caught:
        reader.finish()

    assert [(i.code, i.line) for i in caught.value.issues] == [("R007", 2), ("R007", 3)]
    assert "cột thứ 14" in caught.value.issues[0].message
    assert "cột thứ 15" in caught.value.issues[1].message


def test_every_problem_is_reported_at_once_sorted_by_row_and_column():
    rows = table(
        HEADER,
        ["SNV", "a", "", "1", "1", "", "7", "8", "", "", "", "", "", ""],
        ["", "a", "", "x", "", "", "", "", "", "", "", "", "", ""],
    )

    exc = problems(rows)

    got = [(i.line, i.code, i.column) for i in exc.issues]
    assert got == [
        (2, "R010", "A1"),
        (2, "R010", "A2"),
        (3, "R012", "unit"),
        (3, "R013", "_uuid"),
        (3, "R016", "trong_so"),
        (3, "R014", "P1"),
    ]
    assert "\n" in str(exc)  # one issue per line


def test_too_many_problems_are_counted_beyond_the_limit(monkeypatch):
    monkeypatch.setattr(responses_module, "MAX_ISSUES", 3)
    rows = [
        (n, {**dict(zip(HEADER, VALID, strict=True)), "A1": "7", "_uuid": f"i{n}"})
        for n in range(2, 7)
    ]

    exc = problems(rows)

    assert [i.code for i in exc.issues] == ["R010", "R010", "R010", "R031"]
    assert "còn 2 lỗi khác" in exc.issues[-1].message


def test_a_file_with_a_header_only_is_r030():
    reader = ResponseReader(HEADER, instrument(), source="f.csv", header_line=4)

    with pytest.raises(ResponseError) as caught:
        reader.finish()

    assert [(i.code, i.line) for i in caught.value.issues] == [("R030", 4)]


def test_no_rows_at_all_is_r030_with_the_given_header():
    with pytest.raises(ResponseError) as caught:
        read_responses([], instrument(), headers=HEADER)

    assert [i.code for i in caught.value.issues] == ["R030"]


def test_header_errors_raise_before_any_row():
    with pytest.raises(ResponseError) as caught:
        ResponseReader(["P1", "A1"], instrument(), source="f.csv")

    assert [(i.code, i.line) for i in caught.value.issues] == [("R001", 1)]


def test_rows_of_blank_cells_are_skipped():
    rows = [*table(HEADER, VALID), (3, dict.fromkeys(HEADER, "  ")), (4, {})]

    responses = read_responses(rows, instrument(), headers=HEADER)

    assert len(responses) == 1


# --- what a valid cell may look like ---------------------------------------------------------


@pytest.mark.parametrize(
    "cell", ["4", " 4 ", "4.0", "4,0", "Hài lòng", "HÀI LÒNG", 4, 4.0, Decimal("4")]
)
def test_an_answer_may_be_its_code_a_number_or_its_label(cell):
    rows = [(2, {**dict(zip(HEADER, VALID, strict=True)), "A1": cell})]

    responses = read_responses(rows, instrument())

    assert responses.tally("A1").counts == (0, 0, 0, 1, 0, 0)


@pytest.mark.parametrize(
    ("cell", "ok"),
    [("1;3", True), ("Thời gian chờ, Chi phí", True), ("99", True), ("Chi phí", True), ("", True)],
)
def test_choices_may_be_codes_or_labels_separated_by_spaces_commas_or_semicolons(cell, ok):
    rows = [(2, {**dict(zip(HEADER, VALID, strict=True)), "NC1": cell})]

    assert len(read_responses(rows, instrument())) == 1


def test_choices_in_one_zero_one_column_per_option():
    header = ["unit", "P1", "A1", "NC1/1", "NC1/2", "NC1/3", "NC1/4", "NC1/99"]
    rows = table(
        header,
        ["SNV", "1", "4", "1", "0", "TRUE", "", "0"],
        ["SNV", "1", "4", "1", "1", "1", "0", "0"],
        ["SNV", "1", "4", "2", "0", "0", "0", "0"],
    )

    exc = problems(rows)

    assert [(i.code, i.line, i.column) for i in exc.issues] == [
        ("R018", 3, "NC1/1"),
        ("R018", 4, "NC1/1"),
    ]
    assert "phương án 1 phải là 1 (chọn) hoặc 0" in exc.issues[1].message


def test_a_required_multiple_question_in_option_columns_needs_one_option():
    text = INSTRUMENT_REQUIRED_CHOICE
    header = ["unit", "A1", "M/1", "M/2", "T"]
    rows = table(header, ["U", "1", "0", "", "x"], ["U", "1", "1", "0", "x"])

    exc = problems_with(loads_instrument(text), rows)

    assert [(i.code, i.line, i.column) for i in exc.issues] == [("R014", 2, "M/1")]


INSTRUMENT_REQUIRED_CHOICE = """\
format: parindex/survey@1
id: chon-bat-buoc
title: Chọn bắt buộc
year: 2024
status: sample
respondent_types: [{code: citizen, label: "Người dân"}]
scales:
  - {code: s, options: [{code: 1, label: a}, {code: 2, label: b}], satisfaction: {satisfied: [2]}}
questions:
  - {code: A1, type: scale, text: "Câu 1", required: true}
  - code: M
    type: multiple
    text: "Chọn"
    required: true
    options: [{code: 1, label: x}, {code: 2, label: y}]
  - {code: T, type: text, text: "Góp ý", required: true}
groups:
  - {code: g, title: G, weight: 1, questions: [A1]}
"""


def problems_with(ins, rows):
    with pytest.raises(ResponseError) as caught:
        read_responses(rows, ins)
    return caught.value


def test_required_counted_and_text_answers():
    ins = loads_instrument(INSTRUMENT_REQUIRED_CHOICE)
    header = ["unit", "A1", "M", "T"]

    exc = problems_with(ins, table(header, ["U", "", "1", ""], ["U", "1", "1", "x"]))

    assert [(i.code, i.line, i.column) for i in exc.issues] == [("R014", 2, "A1"), ("R014", 2, "T")]


def test_numbers_weights_and_times_in_their_accepted_forms():
    rows = table(
        HEADER,
        [
            "SNV",
            "a",
            "2024-03-04T02:10:52.118Z",
            "1.25",
            "1",
            "2,0",
            "4",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["SNV", "b", "04/03/2024 08:15", "2,5", "2", "", "5", "", "", "", "", "", "", ""],
        [
            "SNV",
            "c",
            "2024-03-04T09:00:00+07:00",
            "1,25",
            "1",
            "0",
            "1",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["SNV", "d", "", "1.25", "1", "30", "2", "", "", "", "", "", "", ""],
    )

    responses = read_responses(rows, instrument())

    assert responses.weighted
    assert responses.period == (dt.datetime(2024, 3, 4, 2, 0), dt.datetime(2024, 3, 4, 8, 15))
    tally = responses.tally("A1")
    assert tally.counts == (1, 1, 0, 1, 1, 0)
    assert tally.weights == (1.25, 1.25, 0.0, 1.25, 2.5, 0.0)
    assert tally.squares == (1.5625, 1.5625, 0.0, 1.5625, 6.25, 0.0)


def test_unit_codes_are_matched_whatever_their_case_when_units_are_given():
    rows = table(HEADER, VALID, ["snv", "id-2", *VALID[2:]])

    responses = read_responses(rows, instrument(), units=UNITS)

    assert responses.counts_by_unit() == {"SNV": 2}


def test_without_a_unit_list_any_unit_code_is_accepted():
    rows = table(HEADER, VALID, ["Sở mới", "id-2", *VALID[2:]])

    assert read_responses(rows, instrument()).units() == ["SNV", "Sở mới"]


def test_a_long_unit_list_is_shortened_in_the_message():
    exc = problems(rows_with("unit", "X"), units=[f"U{i:02d}" for i in range(30)])

    assert "(U00, U01, U02, U03, U04, U05, U06, U07, U08, U09, …)" in exc.issues[0].message


def test_answers_to_a_question_not_asked_of_the_respondent_are_left_out_with_a_warning():
    rows = table(HEADER, VALID, ["SNV", "id-2", *VALID[2:10], "5", *VALID[11:]])

    responses = read_responses(rows, instrument())

    assert responses.tally("C1").counts == (0,) * 6  # P1 = 1: a citizen; C1 is for organisations
    [warning] = responses.warnings
    assert (warning.code, warning.column) == ("R052", "C1")
    assert "1 câu trả lời của loại người trả lời 'citizen' cho câu C1" in warning.message


def test_a_respondent_type_column_with_codes_or_labels():
    ins = loads_instrument(TYPE_COLUMN)
    header = ["unit", "respondent_type", "Q1"]
    good = read_responses(table(header, ["U", "leader", "2"], ["U", "Công chức", "1"]), ins)

    assert good.counts_by_type() == {"U": {"leader": 1, "staff": 1}}
    exc = problems_with(ins, table(header, ["U", "dân", "2"], ["U", "", "2"]))
    assert [(i.code, i.line, i.column) for i in exc.issues] == [
        ("R020", 2, "respondent_type"),
        ("R020", 3, "respondent_type"),
    ]
    assert "các loại: leader, staff" in exc.issues[0].message


def test_an_answer_of_the_respondent_question_that_names_no_type_is_r020():
    ins = loads_instrument(ONE_TYPE_PER_ANSWER)  # answer 3 "Khác" is no respondent type

    exc = problems_with(ins, table(["unit", "R", "Q1"], ["U", "3", "2"], ["U", "1", "2"]))

    assert [(i.code, i.line, i.column) for i in exc.issues] == [("R020", 2, "R")]
    assert "không cho biết loại người trả lời (các loại: citizen, organization)" in str(exc)


ONE_TYPE_PER_ANSWER = """\
format: parindex/survey@1
id: loai-theo-cau-hoi
title: Loại theo câu hỏi
year: 2024
status: sample
respondent_types:
  - {code: citizen, label: "Người dân", answer: 1}
  - {code: organization, label: "Tổ chức", answer: 2}
respondent_question: R
scales:
  - {code: s, options: [{code: 1, label: a}, {code: 2, label: b}], satisfaction: {satisfied: [2]}}
questions:
  - code: R
    type: single
    text: "Tư cách"
    options: [{code: 1, label: Dân}, {code: 2, label: DN}, {code: 3, label: Khác}]
  - {code: Q1, type: scale, text: "Câu 1"}
groups:
  - {code: g, title: G, weight: 1, questions: [Q1]}
"""


def test_rows_as_mappings_may_lack_columns_and_hold_non_text_values():
    header = ["unit", "P1", "A1", "P2"]
    rows = [
        (2, {"unit": "SNV", "P1": 1, "A1": None}),
        (3, {"unit": "SNV", "P1": "2", "A1": 5, "P2": 3}),
    ]

    responses = read_responses(rows, instrument(), headers=header)

    assert len(responses) == 2
    assert responses.tally("A1").counts == (0, 0, 0, 0, 1, 0)
    assert responses.tally("A1").blank == 1


def test_a_question_without_a_column_has_no_tally_and_an_empty_accumulator():
    responses = read_responses(table(["unit", "P1", "A1"], ["SNV", "1", "4"]), instrument())

    assert responses.tally("B1") is None
    assert responses.accumulator("B1").n == 0
    assert responses.tally("A1", respondents=["organization"]).counts == (0,) * 6
    assert responses.accumulator("A1", unit="SNV").n == 1
