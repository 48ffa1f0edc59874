"""Units tables and long-form input tables (docs/methodology-format.md §5).

Both parsers take ``(row number, {column: cell})`` pairs, report every problem with its row
and column, and return nothing unless the whole table is valid.
"""

from decimal import Decimal

import pytest

from parindex.core import (
    InputError,
    InputSpec,
    Option,
    loads_methodology,
    parse_inputs,
    parse_units,
    parse_value,
    unit_type,
)

from .builders import unit

METHODOLOGY = loads_methodology("""\
format: parindex/methodology@1
id: so-thu-nghiem
title: "Bộ tiêu chí thử nghiệm"
year: 2026
status: sample
unit_types: [department, central_agency]
max_points: 10
nodes:
  - code: "1"
    title: "Công tác chỉ đạo, điều hành"
    max: 4
    children:
      - code: "1.1"
        title: "Ban hành kế hoạch"
        max: 1
        rule:
          type: choice
          options:
            - {code: on_time, label: "Ban hành đúng thời hạn", points: 1}
            - {code: late, label: "Ban hành chậm", points: 0.5}
            - {code: none, label: "Không ban hành", points: 0}
      - code: "1.2"
        title: "Có báo cáo"
        max: 1
        rule: {type: boolean}
      - code: "1.3"
        title: "Tỷ lệ hoàn thành nhiệm vụ"
        max: 2
        rule: {type: proportional, measure: ratio}
  - code: "2"
    title: "Cải cách thủ tục hành chính"
    max: 3
    exemptible: true
    children:
      - code: "2.1"
        title: "Chấm trực tiếp"
        max: 1
        applies_to: [department]
        rule: {type: manual, step: 0.25}
      - code: "2.2"
        title: "Số hồ sơ trễ hạn"
        max: 2
        exemptible: true
        inputs:
          value: {label: "Số hồ sơ trễ hạn", max: 1000}
        rule:
          type: bands
          measure: count
          bands:
            - {lte: 0, points: 2}
            - {gte: 1, points: 0}
  - code: "3"
    title: "Mức độ hài lòng"
    max: 3
    children:
      - code: "3.1"
        title: "Chỉ số SIPAS"
        max: 3
        rule: {type: survey, source: sipas}
""")

SNV = unit("SNV")
CA = unit("CA", type="central_agency", group="Trung ương")
VP = unit("VP", exempt=frozenset({"2"}))
UNITS = [SNV, CA, VP]


def unit_row(code="SNV", name="Sở Nội vụ", type="department", group="Sở", exempt=""):
    return {"code": code, "name": name, "type": type, "group": group, "exempt": exempt}


def input_row(unit="SNV", node="1.2", input="", value="có"):
    return {"unit": unit, "node": node, "input": input, "value": value}


def units_issues(rows):
    with pytest.raises(InputError) as caught:
        parse_units(list(enumerate(rows, start=2)), METHODOLOGY, source="don-vi.csv")
    return [(i.code, i.line, i.column) for i in caught.value.issues], caught.value.issues


def input_issues(rows, **kwargs):
    with pytest.raises(InputError) as caught:
        parse_inputs(list(enumerate(rows, start=2)), METHODOLOGY, UNITS, "dau-vao.csv", **kwargs)
    return [(i.code, i.line, i.column) for i in caught.value.issues], caught.value.issues


def parsed(*rows, **kwargs):
    return parse_inputs(list(enumerate(rows, start=2)), METHODOLOGY, UNITS, **kwargs)


# --- units ---------------------------------------------------------------------------------


def test_units_are_read_with_types_groups_and_exemptions():
    rows = [
        unit_row(),
        unit_row("VP", "Văn phòng UBND tỉnh", "Sở", "Sở", "2; 2.2"),
        unit_row("KBNN", "Kho bạc Nhà nước tỉnh", "central_agency", "Trung ương"),
    ]

    units = parse_units(list(enumerate(rows, start=2)), METHODOLOGY)

    assert [(u.code, u.type, u.group) for u in units] == [
        ("SNV", "department", "Sở"),
        ("VP", "department", "Sở"),
        ("KBNN", "central_agency", "Trung ương"),
    ]
    assert units[1].exempt == frozenset({"2", "2.2"})
    assert units[0].exempt == frozenset()


def test_i010_empty_units_table():
    codes, issues = units_issues([])

    assert codes == [("I010", None, None)]
    assert "không có dòng nào" in issues[0].message


def test_i011_duplicate_unit_code_names_the_first_row():
    codes, issues = units_issues([unit_row(), unit_row(name="Sở Nội vụ (lặp)")])

    assert codes == [("I011", 3, "code")]
    assert "mã đơn vị 'SNV' bị trùng (dòng 2)" in issues[0].message


@pytest.mark.parametrize("column", ["code", "name", "type", "group"])
def test_i012_required_column_left_empty(column):
    codes, issues = units_issues([unit_row(**{column: "  "})])

    assert codes == [("I012", 2, column)]
    assert f"cột '{column}' không được để trống" in issues[0].message


def test_i013_unknown_unit_type_lists_the_valid_ones():
    codes, issues = units_issues([unit_row(type="thôn")])

    assert codes == [("I013", 2, "type")]
    assert "loại đơn vị 'thôn' không có; hợp lệ: province, department" in issues[0].message


def test_i014_unit_type_the_methodology_does_not_cover():
    codes, issues = units_issues([unit_row(type="Xã")])

    assert codes == [("I014", 2, "type")]
    assert "không áp dụng cho loại 'commune' (chỉ cho: department, central_agency)" in (
        issues[0].message
    )


def test_i015_exempting_an_unknown_node():
    codes, issues = units_issues([unit_row(exempt="9.9")])

    assert codes == [("I015", 2, "exempt")]
    assert "miễn nút '9.9' nhưng bộ tiêu chí không có nút này" in issues[0].message


def test_i016_exempting_a_node_that_is_not_exemptible():
    codes, issues = units_issues([unit_row(exempt="1.1")])

    assert codes == [("I016", 2, "exempt")]
    assert "nút '1.1' không được phép miễn" in issues[0].message


def test_every_bad_unit_row_is_reported_and_no_unit_is_returned():
    rows = [unit_row(), unit_row("SNV"), unit_row("STP", type="thôn"), unit_row("SYT", exempt="1")]

    codes, issues = units_issues(rows)

    assert codes == [("I011", 3, "code"), ("I013", 4, "type"), ("I016", 5, "exempt")]
    assert issues[0].source == "don-vi.csv"
    assert issues[0].format().startswith("don-vi.csv:3: I011: [cột code] ")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("department", "department"),
        ("Sở", "department"),
        ("sở, ban, ngành", "department"),
        ("  Cơ quan Trung ương  ", "central_agency"),
        ("Xã", "commune"),
        ("Phường", "ward"),
        ("Đặc khu", "special_zone"),
        ("Tỉnh", "province"),
        ("thôn", None),
    ],
)
def test_unit_type_accepts_codes_and_vietnamese_names(text, code):
    assert unit_type(text) == code


# --- inputs --------------------------------------------------------------------------------


def test_inputs_are_typed_per_unit_node_and_input():
    rows = [
        input_row(node="1.1", value="late"),
        input_row(node="1.2", value="có"),
        input_row(node="1.3", input="numerator", value="3"),
        input_row(node="1.3", input="denominator", value="4"),
        input_row(node="2.1", value="0,5"),
        input_row(node="2.2", value="12"),
        input_row(node="3.1", value="87,5"),
        input_row("CA", "1.2", value="không"),
    ]

    assert parsed(*rows) == {
        "SNV": {
            "1.1": {"value": "late"},
            "1.2": {"value": True},
            "1.3": {"numerator": Decimal(3), "denominator": Decimal(4)},
            "2.1": {"value": Decimal("0.5")},
            "2.2": {"value": Decimal(12)},
            "3.1": {"index": Decimal("87.5")},
        },
        "CA": {"1.2": {"value": False}},
    }


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("có", True),
        ("Có", True),
        ("x", True),
        ("X", True),
        ("1", True),
        ("yes", True),
        ("true", True),
        ("Đạt", True),
        ("không", False),
        ("KHÔNG", False),
        ("0", False),
        ("no", False),
        ("false", False),
        ("không đạt", False),
    ],
)
def test_vietnamese_yes_no(text, answer):
    assert parsed(input_row(value=text)) == {"SNV": {"1.2": {"value": answer}}}


@pytest.mark.parametrize(
    "text",
    ["late", "Ban hành chậm", "ban hanh cham", "BAN HÀNH CHẬM", "  Late  "],
)
def test_choice_by_code_or_by_label_with_or_without_diacritics(text):
    assert parsed(input_row(node="1.1", value=text)) == {"SNV": {"1.1": {"value": "late"}}}


def test_blank_value_is_left_out_not_an_error():
    assert parsed(input_row(value=""), input_row(node="1.1", value=None)) == {}


def test_i021_unit_or_node_left_empty():
    codes, _ = input_issues([input_row(unit=""), input_row(node=" ")])

    assert codes == [("I021", 2, "unit"), ("I021", 3, "node")]


def test_i022_unknown_unit():
    codes, issues = input_issues([input_row(unit="SXD")])

    assert codes == [("I022", 2, "unit")]
    assert "đơn vị 'SXD' không có trong tệp đơn vị" in issues[0].message


def test_i023_unknown_node_and_parent_node():
    codes, issues = input_issues([input_row(node="9.9"), input_row(node="1")])

    assert codes == [("I023", 2, "node"), ("I023", 3, "node")]
    assert "nút '9.9' không có trong bộ tiêu chí" in issues[0].message
    assert "nút '1' không phải tiêu chí lá" in issues[1].message


def test_i025_inputs_for_an_exempted_node():
    codes, issues = input_issues([input_row(unit="VP", node="2.2", value="3")])

    assert codes == [("I025", 2, "node")]
    assert issues[0].node == "2.2"
    assert "nút 2.2 được miễn (nút 2) với đơn vị VP" in issues[0].message


def test_i025_inputs_for_a_node_that_does_not_apply_to_the_unit_type():
    codes, issues = input_issues([input_row(unit="CA", node="2.1", value="1")])

    assert codes == [("I025", 2, "node")]
    assert "nút 2.1 không áp dụng cho loại central_agency với đơn vị CA" in issues[0].message


def test_i026_input_name_needed_and_unknown():
    codes, issues = input_issues(
        [input_row(node="1.3", value="3"), input_row(node="1.3", input="tu_so", value="3")]
    )

    assert codes == [("I026", 2, "input"), ("I026", 3, "input")]
    assert "cột 'input' phải ghi một trong: numerator, denominator" in issues[0].message
    assert "không có đầu vào 'tu_so'; các đầu vào: numerator, denominator" in issues[1].message


def test_i027_duplicate_row_names_the_first_row():
    codes, issues = input_issues([input_row(), input_row(value="không")])

    assert codes == [("I027", 3, "input")]
    assert "giá trị 'value' của nút 1.2 cho đơn vị SNV đã có ở dòng 2" in issues[0].message


@pytest.mark.parametrize(
    ("node", "value", "phrase"),
    [
        ("1.1", "sometimes", "'sometimes' không phải là phương án hợp lệ; chọn: on_time = "),
        ("1.2", "có lẽ", "'có lẽ' không phải là có/không"),
        ("2.1", "một", "'một' không phải là số"),
        ("2.1", "1,5", "nằm ngoài khoảng cho phép: số từ 0 đến 1, bước 0,25"),
        ("2.2", "2,5", "'2,5' không phải là số nguyên"),
        ("2.2", "-1", "nằm ngoài khoảng cho phép: số nguyên từ 0 đến 1.000"),
        ("2.2", "1001", "nằm ngoài khoảng cho phép"),
        ("3.1", "120", "nằm ngoài khoảng cho phép: tỷ lệ % từ 0 đến 100"),
        ("3.1", "NaN", "không phải là số hữu hạn"),
    ],
)
def test_i028_bad_value_says_what_is_allowed(node, value, phrase):
    codes, issues = input_issues([input_row(node=node, value=value)])

    assert codes == [("I028", 2, "value")]
    assert phrase in issues[0].message


def test_i029_values_that_contradict_each_other():
    rows = [
        input_row(node="1.3", input="numerator", value="5"),
        input_row(node="1.3", input="denominator", value="4"),
    ]

    codes, issues = input_issues(rows)

    assert codes == [("I029", 2, "value")]
    assert "đơn vị SNV, nút 1.3: tử số (5) lớn hơn mẫu số (4)" in issues[0].message


def test_i030_survey_results_are_not_self_assessed():
    rows = [input_row(node="3.1", value="80")]

    codes, issues = input_issues(rows, allow_survey=False)

    assert codes == [("I030", 2, "input")]
    assert "lấy từ kết quả khảo sát, đơn vị không tự chấm" in issues[0].message
    assert parsed(*rows) == {"SNV": {"3.1": {"index": Decimal(80)}}}  # from the survey file


def test_all_or_nothing_every_problem_is_reported_and_nothing_returned():
    rows = [
        input_row(node="1.1", value="on_time"),  # fine
        input_row(unit="SXD"),
        input_row(node="1.2", value="có lẽ"),
        input_row(node="1.1", value="late"),  # duplicate of row 2
    ]

    codes, _ = input_issues(rows)

    assert codes == [("I022", 3, "unit"), ("I028", 4, "value"), ("I027", 5, "input")]


# --- parse_value on its own ----------------------------------------------------------------

YES_NO = InputSpec("value", "Có/Không", "boolean")


@pytest.mark.parametrize(
    ("raw", "answer"), [(True, True), (False, False), (1, True), (Decimal(0), False)]
)
def test_parse_value_accepts_spreadsheet_yes_no_cells(raw, answer):
    assert parse_value(YES_NO, raw) is answer


def test_parse_value_choice_lists_the_options():
    spec = InputSpec(
        "value",
        "Phương án",
        "choice",
        options=(Option("a", "Đạt", Decimal(1)), Option("b", "Không đạt", Decimal(0))),
    )

    with pytest.raises(ValueError, match="chọn: a = Đạt; b = Không đạt"):
        parse_value(spec, "c")
    assert parse_value(spec, "khong dat") == "b"


def test_input_spec_describes_its_allowed_values():
    assert YES_NO.describe_allowed() == "có / không"
    assert InputSpec("v", "v", "number").describe_allowed() == "số"
    assert InputSpec("v", "v", "integer", min=Decimal(1)).describe_allowed() == "số nguyên ≥ 1"
    assert InputSpec("v", "v", "percent", max=Decimal(100)).describe_allowed() == ("tỷ lệ % ≤ 100")
