"""Header rows of KoboToolbox and ODK Central exports, and of files people make, mapped onto
an instrument: every way a column may be named, and every header error."""

from __future__ import annotations

import pytest

from parindex.core.survey import load_shipped_instrument, loads_instrument, map_header

from .responses_data import KOBO, ODK, csv_rows, instrument


def roles(header_map):
    return {c.header: (c.role, c.question, c.option) for c in header_map.columns}


def test_a_kobo_export_header_maps_groups_options_and_metadata():
    header, _ = csv_rows(KOBO)

    m = map_header(header, instrument())

    assert m.errors == ()
    assert m.warnings == ()  # Kobo's own columns are known, not warned about
    got = roles(m)
    assert got["thong_tin/P1"] == ("question", "P1", None)
    assert got["tiep_can/A1"] == ("question", "A1", None)
    assert got["nhu_cau/NC1"] == ("question", "NC1", None)
    # The 0/1 columns of a multiple question that also has its own column are not read.
    assert got["nhu_cau/NC1/99"] == ("meta", "NC1", "99")
    assert got["thong_tin/don_vi"][0] == "unit"
    assert got["_uuid"][0] == "id"  # preferred to _id
    assert got["_id"][0] == "meta"
    assert got["_submission_time"][0] == "time"  # preferred to end
    assert got["end"][0] == "meta"
    assert {got[h][0] for h in ("start", "today", "deviceid", "_index", "__version__")} == {"meta"}
    assert m.header_of(m.unit) == "thong_tin/don_vi"
    assert m.header_of(None) is None
    assert len(m.role_of("meta")) == 17


def test_an_odk_central_header_uses_dashes_and_key():
    header, _ = csv_rows(ODK)

    m = map_header(header, instrument())

    assert m.errors == ()
    assert m.warnings == ()
    got = roles(m)
    assert got["thong_tin-P2"] == ("question", "P2", None)
    assert got["thu_tuc-C1"] == ("question", "C1", None)
    assert got["thong_tin-don_vi"][0] == "unit"
    assert got["KEY"][0] == "id"
    assert got["meta-instanceID"][0] == "meta"
    assert got["SubmissionDate"][0] == "time"
    assert got["DeviceID"][0] == got["deviceid"][0] == "meta"  # the same name twice is fine


def test_question_texts_work_as_headers_as_in_a_labels_export():
    header = ["Ông/Bà đến giao dịch với tư cách nào?", "  nơi ngồi chờ  có đủ chỗ ngồi ", "unit"]

    m = map_header(header, instrument())

    assert m.questions == {"P1": 0, "A1": 1}
    assert m.unit == 2


def test_a_multiple_question_as_one_column_per_option():
    header = ["don_vi", "P1", "A1", "NC1/1", "NC1_2", "nhu_cau/NC1/3", "NC1/Thủ tục trực tuyến"]

    m = map_header(header, instrument())

    assert m.errors == ()
    assert m.options == {"NC1": {"1": 3, "2": 4, "3": 5, "4": 6}}
    assert "NC1" not in m.questions


@pytest.mark.parametrize(
    ("header", "unit", "weight"),
    [
        (["Mã đơn vị", "trọng số"], 0, 1),
        (["ma_don_vi", "weight"], 0, 1),
        (["thong_tin/unit", "design_weight"], 0, 1),
        (["ĐƠN VỊ", "Trong_So"], 0, 1),
    ],
)
def test_unit_and_weight_columns_by_their_usual_names(header, unit, weight):
    m = map_header([*header, "P1", "A1"], instrument())

    assert (m.unit, m.weight) == (unit, weight)


def test_unit_and_weight_columns_named_by_the_caller():
    m = map_header(
        ["co_quan", "he_so", "P1", "A1"], instrument(), unit_column="co_quan", weight_column="he_so"
    )

    assert (m.unit, m.weight) == (0, 1)
    assert [w.code for w in m.warnings] == ["R051"] * 4  # A2, B1, B2, C1 have no column


def test_unknown_columns_are_warnings_not_errors():
    m = map_header(["unit", "P1", "A1", "ghi_chu", "", "calc_tong"], instrument(), source="f.csv")

    assert m.errors == ()
    unknown = [w for w in m.warnings if w.code == "R050"]
    assert [(w.column, w.line, w.source) for w in unknown] == [
        ("ghi_chu", 1, "f.csv"),
        ("calc_tong", 1, "f.csv"),
    ]
    assert "bỏ qua" in unknown[0].message


def test_a_counted_question_without_a_column_is_a_warning():
    m = map_header(["unit", "P1", "A1", "A2", "B1", "B2"], instrument())

    assert [(w.code, w.column) for w in m.warnings] == [("R051", "C1")]


def errors(header, ins=None, **options):
    return [(e.code, e.column) for e in map_header(header, ins or instrument(), **options).errors]


def test_no_unit_column_is_r001():
    assert errors(["P1", "A1"]) == [("R001", None)]


def test_two_columns_for_one_question_or_role_are_r002():
    header = ["unit", "don_vi", "P1", "A1", "tiep_can/A1", "Nơi ngồi chờ có đủ chỗ ngồi"]

    assert errors(header) == [("R002", "don_vi"), ("R002", "tiep_can/A1"), ("R002", header[5])]


def test_two_zero_one_columns_for_one_option_are_r002():
    assert errors(["unit", "P1", "A1", "NC1/1", "NC1_1"]) == [("R002", "NC1_1")]


def test_a_required_question_without_a_column_is_r003():
    assert errors(["unit", "A1"]) == [("R003", "P1")]


def test_a_named_unit_or_weight_column_that_is_missing_is_r004():
    got = errors(["unit", "P1", "A1"], unit_column="co_quan", weight_column="he_so")

    assert got == [("R004", "co_quan"), ("R004", "he_so")]


def test_a_file_without_any_counted_question_is_r005():
    assert errors(["unit", "P1", "P2"]) == [("R005", None)]


TYPE_COLUMN = """\
format: parindex/survey@1
id: hai-loai
title: Hai loại người trả lời
year: 2024
status: sample
respondent_types:
  - {code: leader, label: "Lãnh đạo"}
  - {code: staff, label: "Công chức"}
scales:
  - {code: s, options: [{code: 1, label: a}, {code: 2, label: b}], satisfaction: {satisfied: [2]}}
questions:
  - {code: Q1, type: scale, text: "Câu 1"}
groups:
  - {code: g, title: G, weight: 1, questions: [Q1]}
"""


def test_several_respondent_types_without_a_question_need_a_type_column_r006():
    ins = loads_instrument(TYPE_COLUMN)

    assert errors(["unit", "Q1"], ins) == [("R006", None)]
    assert errors(["unit", "Q1", "loai_nguoi_tra_loi"], ins) == []


def test_a_shipped_instrument_maps_its_own_codes():
    sipas = load_shipped_instrument("sipas-2017")
    codes = [q.code for q in sipas.questions]

    m = map_header(["don_vi", *codes], sipas)

    assert m.errors == ()
    assert set(m.questions) == set(codes)
