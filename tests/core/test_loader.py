"""The strict methodology loader: one test per error code of docs/methodology-format.md §8.

Each test changes one part of a small valid methodology (see ``builders``) and checks the
stable code, the line, the node code and the key words of the Vietnamese message.
"""

from decimal import Decimal

import pytest

from parindex.core import (
    FORMAT,
    Issue,
    MethodologyError,
    load_methodology,
    loads_methodology,
)

from .builders import (
    issues_of,
    leaf_nodes,
    methodology_yaml,
    only_issue,
    with_extra_area,
)


def assert_issue(issue: Issue, code: str, line: int, node: str | None, phrase: str) -> None:
    assert (issue.code, issue.line, issue.node) == (code, line, node), issue.format()
    assert phrase in issue.message, issue.message


def bands(*rows: str, measure: str = "percent") -> str:
    """A bands rule with one flow-style band per line: the first band is on line 20."""
    return f"type: bands\nmeasure: {measure}\nbands:\n" + "".join(f"  - {{{r}}}\n" for r in rows)


# --- the base texts are valid --------------------------------------------------------------


def test_the_base_text_used_by_these_tests_is_valid():
    methodology = loads_methodology(methodology_yaml())

    assert [node.code for node in methodology.walk()] == ["1", "1.1"]


# --- M001: YAML syntax ---------------------------------------------------------------------


def test_m001_yaml_syntax_error_names_the_line():
    text = "format: parindex/methodology@1\nid: thu-nghiem\ntitle: a: b\nyear: 2026\n"

    assert_issue(only_issue(text), "M001", 3, None, "YAML không đọc được")


def test_m001_unreadable_file(tmp_path):
    path = tmp_path / "hong.yaml"
    path.write_bytes(b"title: \xff\xfe not utf-8")

    with pytest.raises(MethodologyError) as caught:
        load_methodology(path)

    [issue] = caught.value.issues
    assert issue.code == "M001"
    assert issue.source == str(path)
    assert "không đọc được tệp" in issue.message


def test_m001_missing_file(tmp_path):
    with pytest.raises(MethodologyError) as caught:
        load_methodology(tmp_path / "khong-co.yaml")

    assert [i.code for i in caught.value.issues] == ["M001"]


# --- M002: duplicate key -------------------------------------------------------------------


def test_m002_duplicate_key_at_top_names_both_lines():
    text = methodology_yaml().replace("id: thu-nghiem\n", "id: thu-nghiem\nid: lap-lai\n")

    assert_issue(only_issue(text), "M002", 3, None, "khóa 'id' bị lặp (đã có ở dòng 2)")


def test_m002_duplicate_key_inside_a_node():
    text = methodology_yaml(leaf_nodes("type: boolean\n", before_rule='title: "Lặp"\n'))

    issue = only_issue(text)
    assert (issue.code, issue.line) == ("M002", 16)
    assert "khóa 'title' bị lặp (đã có ở dòng 14)" in issue.message


# --- M003: unknown key ---------------------------------------------------------------------


def test_m003_unknown_top_level_key_lists_the_valid_keys():
    text = methodology_yaml(tail="colour: red\n")

    issue = only_issue(text)
    assert_issue(issue, "M003", 18, None, "khóa 'colour' không được phép trong phần đầu tệp")
    assert "max_points" in issue.message and "nodes" in issue.message


def test_m003_unknown_key_in_a_node():
    text = methodology_yaml(leaf_nodes("type: boolean\n", before_rule="weight: 2\n"))

    assert_issue(only_issue(text), "M003", 16, "1.1", "khóa 'weight' không được phép")


def test_m003_kind_is_only_allowed_on_areas():
    text = methodology_yaml(leaf_nodes("type: boolean\n", before_rule="kind: bonus\n"))

    assert_issue(only_issue(text), "M003", 16, "1.1", "khóa 'kind' không được phép")


def test_m003_unknown_key_in_a_rule():
    text = methodology_yaml(leaf_nodes("type: boolean\nweight: 1\n"))

    assert_issue(only_issue(text), "M003", 18, "1.1", "khóa 'weight' không được phép")


def test_m003_cap_only_goes_with_per():
    text = methodology_yaml(leaf_nodes("type: deduction\nfixed: 1\ncap: 2\n"))

    assert_issue(only_issue(text), "M003", 19, "1.1", "'cap' chỉ dùng cùng 'per'")


# --- M004: missing key ---------------------------------------------------------------------


def test_m004_missing_top_level_key():
    text = methodology_yaml().replace('title: "Bộ tiêu chí thử nghiệm"\n', "")

    assert_issue(only_issue(text), "M004", 1, None, "thiếu khóa bắt buộc 'title'")


def test_m004_missing_max_of_a_node():
    nodes = leaf_nodes("type: boolean\n").replace("      max: 10\n", "")

    assert_issue(
        only_issue(methodology_yaml(nodes)), "M004", 13, "1.1", "thiếu khóa bắt buộc 'max'"
    )


def test_m004_empty_file_lists_the_required_keys():
    issue = only_issue("")

    assert_issue(issue, "M004", 1, None, "tệp rỗng")
    assert "format, id, max_points, nodes" in issue.message


def test_m004_bands_rule_without_bands():
    text = methodology_yaml(leaf_nodes("type: bands\nmeasure: percent\n"))

    assert_issue(only_issue(text), "M004", 17, "1.1", "thiếu khóa bắt buộc 'bands'")


# --- M005: bad value -----------------------------------------------------------------------


def test_m005_wrong_format_string():
    text = methodology_yaml().replace(FORMAT, "parindex/methodology@2")

    assert_issue(only_issue(text), "M005", 1, None, f"'format' phải là '{FORMAT}'")


@pytest.mark.parametrize("year", ["hai-nghin", "1800", "2026.5"])
def test_m005_bad_year_is_reported_on_the_year_line(year):
    assert_issue(only_issue(methodology_yaml(year=year)), "M005", 4, None, "'year' phải là một năm")


def test_m005_bad_status_lists_the_valid_ones():
    issue = only_issue(methodology_yaml(status="draft"))

    assert_issue(issue, "M005", 5, None, "'status' không nhận giá trị 'draft'")
    assert "official | sample" in issue.message


def test_m005_unknown_unit_type():
    issue = only_issue(methodology_yaml(unit_types="[department, hamlet]"))

    assert_issue(issue, "M005", 6, None, "loại đơn vị 'hamlet' không có")
    assert "central_agency" in issue.message


def test_m005_no_unit_type():
    issue = only_issue(methodology_yaml(unit_types="[]"))

    assert_issue(issue, "M005", 6, None, "cần ít nhất một loại đơn vị")


def test_m005_id_with_capitals_and_spaces():
    text = methodology_yaml().replace("id: thu-nghiem", "id: Thu Nghiem")

    assert_issue(only_issue(text), "M005", 2, None, "'id' chỉ gồm chữ thường không dấu")


def test_m005_non_number_max_points_is_reported_once():
    # A single mistake gives a single message: no follow-up "sum differs from max_points = 0".
    issue = only_issue(methodology_yaml(max_points="một trăm"))

    assert_issue(issue, "M005", 7, None, "'max_points' phải là một số, không phải 'một trăm'")


def test_m005_non_number_max_of_a_node_is_reported_once():
    # A single mistake gives a single message: no follow-up "children add up to 0".
    text = methodology_yaml().replace("      max: 10", "      max: mười")

    assert_issue(only_issue(text), "M005", 15, "1.1", "'max' phải là một số, không phải 'mười'")


def test_m005_negative_max():
    text = methodology_yaml(leaf_nodes("type: boolean\n", max_points="-1"), max_points="-1")

    codes = {(i.code, i.line, i.node) for i in issues_of(text)}
    assert ("M005", 15, "1.1") in codes
    assert ("M005", 7, None) in codes  # max_points must be > 0


def test_m005_maximum_with_more_decimals_than_points_are_rounded_to():
    # Full marks of 0,25 rounded to 1 decimal would be 0,3, above the maximum (§3 promises
    # points within [0, max]), so such a file is refused.
    nodes = leaf_nodes("type: boolean\n", max_points="0.25")
    text = methodology_yaml(nodes, max_points="0.25", tail="rounding: {points: 1}\n")

    issue = only_issue(text)

    assert_issue(issue, "M005", 15, "1.1", "điểm tối đa 0.25 có 2 chữ số thập phân")
    assert "rounding.points = 1" in issue.message


def test_m005_unknown_rule_type_lists_the_types():
    issue = only_issue(methodology_yaml(leaf_nodes("type: magic\n")))

    assert_issue(issue, "M005", 17, "1.1", "loại quy tắc 'magic' không có")
    assert "choice, bands, proportional" in issue.message


def test_m005_bad_rounding_and_ranking_settings():
    tail = "rounding:\n  points: 9\n  mode: floor\nranking:\n  method: olympic\n"

    issues = issues_of(methodology_yaml(tail=tail))

    assert [(i.code, i.line) for i in issues] == [("M005", 19), ("M005", 20), ("M005", 22)]
    assert "'rounding.points' phải là số nguyên từ 0 đến 6" in issues[0].message
    assert "half_up | half_even" in issues[1].message
    assert "standard | dense" in issues[2].message


def test_m005_bad_node_code():
    text = methodology_yaml().replace('- code: "1.1"', '- code: "1..1"')

    assert_issue(only_issue(text), "M005", 13, "1..1", "mã nút '1..1' không hợp lệ")


def test_m005_deduction_needs_exactly_one_of_per_and_fixed():
    text = methodology_yaml(leaf_nodes("type: deduction\nper: 1\nfixed: 2\n"))

    assert_issue(only_issue(text), "M005", 17, "1.1", "cần đúng một trong hai khóa 'per'")


def test_m005_manual_step_must_divide_the_maximum():
    text = methodology_yaml(leaf_nodes("type: manual\nstep: 3\n"))

    assert_issue(only_issue(text), "M005", 18, "1.1", "không phải bội số của bước 3")


def test_m005_choice_needs_two_distinct_options():
    one = "type: choice\noptions:\n  - {code: a, label: A, points: 1}\n"
    twice = one + "  - {code: a, label: B, points: 0}\n"

    assert_issue(only_issue(methodology_yaml(leaf_nodes(one))), "M005", 19, "1.1", "ít nhất 2")
    assert_issue(only_issue(methodology_yaml(leaf_nodes(twice))), "M005", 20, "1.1", "'a' bị trùng")


def test_m005_survey_needs_a_source():
    text = methodology_yaml(leaf_nodes('type: survey\nsource: ""\n'))

    assert_issue(only_issue(text), "M005", 17, "1.1", "'source' cần mã công cụ khảo sát")


def test_m005_exemptible_must_be_true_or_false():
    text = methodology_yaml(leaf_nodes("type: boolean\n", before_rule="exemptible: maybe\n"))

    assert_issue(only_issue(text), "M005", 16, "1.1", "'exemptible' phải là true hoặc false")


# --- M010, M011, M012: the tree ------------------------------------------------------------

TWO_LEAVES = """\
- code: "1"
  title: "Lĩnh vực 1"
  max: 10
  children:
    - code: "1.1"
      title: "Tiêu chí 1.1"
      max: 5
      rule: {type: boolean}
    - code: "1.2"
      title: "Tiêu chí 1.2"
      max: 5
      rule: {type: boolean}
"""


def test_m010_duplicate_code_names_the_first_line():
    text = methodology_yaml(TWO_LEAVES.replace('"1.2"', '"1.1"'))

    assert_issue(only_issue(text), "M010", 17, "1.1", "mã '1.1' bị trùng (đã dùng ở dòng 13)")


def test_m011_child_code_must_start_with_the_parent_code():
    text = methodology_yaml(TWO_LEAVES.replace('"1.2"', '"2.2"'))

    assert_issue(
        only_issue(text), "M011", 17, "2.2", "phải bắt đầu bằng mã nút cha '1.' (ví dụ 1.1)"
    )


def test_m012_leaf_without_rule():
    nodes = leaf_nodes("type: boolean\n").replace("      rule:\n        type: boolean\n", "")

    assert_issue(only_issue(methodology_yaml(nodes)), "M012", 13, "1.1", "nút lá cần 'rule'")


def test_m012_parent_with_rule():
    nodes = leaf_nodes("type: boolean\n").replace(
        "  children:\n", "  rule: {type: boolean}\n  children:\n", 1
    )

    assert_issue(
        only_issue(methodology_yaml(nodes)),
        "M012",
        12,
        "1",
        "nút có 'children' không được có 'rule'",
    )


def test_m012_empty_children():
    nodes = '- code: "1"\n  title: "Lĩnh vực 1"\n  max: 10\n  children: []\n'

    assert_issue(only_issue(methodology_yaml(nodes)), "M012", 12, "1", "'children' rỗng")


# --- M020, M021: maxima add up -------------------------------------------------------------


def test_m020_children_maxima_must_add_up_to_the_parent():
    text = methodology_yaml(TWO_LEAVES.replace("      max: 5\n", "      max: 4\n", 1))

    issue = only_issue(text)
    assert_issue(issue, "M020", 11, "1", "tổng điểm các nút con là 9 (1.1: 4 + 1.2: 5)")
    assert "khác điểm tối đa 10" in issue.message


def test_m021_standard_areas_must_add_up_to_max_points():
    issue = only_issue(methodology_yaml(max_points="100"))

    assert_issue(
        issue, "M021", 7, None, "tổng điểm các lĩnh vực thường là 10, khác max_points = 100"
    )


def test_m021_bonus_and_penalty_areas_do_not_count_towards_max_points():
    text = methodology_yaml(with_extra_area("bonus", "type: bonus\nper: 1\n"))

    assert loads_methodology(text).max_points == Decimal(10)


# --- M030, M031, M032: bands ---------------------------------------------------------------


def test_m030_overlapping_bands_at_90():
    rule = bands("gte: 90, points: 10", "gte: 70, lte: 90, points: 5", "lt: 70, points: 0")

    issue = only_issue(methodology_yaml(leaf_nodes(rule)))

    assert_issue(issue, "M030", 20, "1.1", "chồng lấn tại 90")
    assert "dùng 'lt: X' rồi 'gte: X'" in issue.message


def test_m031_gap_between_two_bands():
    rule = bands("gte: 90, points: 10", "gte: 70, lt: 85, points: 5", "lt: 70, points: 0")

    issue = only_issue(methodology_yaml(leaf_nodes(rule)))

    assert_issue(issue, "M031", 20, "1.1", "bị hở; khoảng sau cần bắt đầu đúng tại 85")


def test_m031_gap_at_a_point_when_both_bounds_exclude_it():
    rule = bands("gt: 90, points: 10", "gt: 70, lt: 90, points: 5", "lte: 70, points: 0")

    assert_issue(only_issue(methodology_yaml(leaf_nodes(rule))), "M031", 20, "1.1", "bị hở")


def test_m031_bottom_of_the_domain_not_covered():
    rule = bands("gte: 90, points: 10", "gte: 70, lt: 90, points: 5", "gte: 10, lt: 70, points: 0")

    issue = only_issue(methodology_yaml(leaf_nodes(rule)))

    assert_issue(issue, "M031", 22, "1.1", "giá trị từ 0 đến 10 không thuộc khoảng nào")


def test_m031_top_of_the_domain_not_covered():
    rule = bands("gte: 90, lte: 95, points: 10", "gte: 70, lt: 90, points: 5", "lt: 70, points: 0")

    issue = only_issue(methodology_yaml(leaf_nodes(rule)))

    assert_issue(issue, "M031", 20, "1.1", "giá trị trên 95 (đến 100) không thuộc khoảng nào")


def test_count_bands_may_step_by_whole_numbers():
    rule = bands("lte: 2, points: 10", "gte: 3, points: 0", measure="count")

    methodology = loads_methodology(methodology_yaml(leaf_nodes(rule)))

    assert methodology.node("1.1").rule.type == "bands"


def test_percent_bands_may_not_step_by_whole_numbers():
    rule = bands("lte: 2, points: 10", "gte: 3, points: 0", measure="percent")

    issue = only_issue(methodology_yaml(leaf_nodes(rule)))

    assert_issue(issue, "M031", 21, "1.1", "bị hở; khoảng sau cần bắt đầu đúng tại 2 (gt: 2)")


def test_m032_two_lower_bounds_in_one_band():
    rule = bands("gte: 90, gt: 80, points: 10", "lt: 90, points: 0")

    issue = only_issue(methodology_yaml(leaf_nodes(rule)))

    assert_issue(issue, "M032", 20, "1.1", "một khoảng chỉ có một cận dưới")


def test_m032_lower_bound_above_upper_bound():
    rule = bands("gte: 90, lt: 80, points: 10", "lt: 90, points: 0")

    assert_issue(
        only_issue(methodology_yaml(leaf_nodes(rule))),
        "M032",
        20,
        "1.1",
        "cận dưới 90 phải nhỏ hơn cận trên 80",
    )


def test_m032_band_outside_the_percent_domain():
    # A percent never exceeds 100, so a band "above 100" can never be reached.
    rule = bands("lt: 90, points: 0", "gte: 90, lte: 100, points: 5", "gt: 100, points: 10")

    issues = issues_of(methodology_yaml(leaf_nodes(rule)))

    assert [(i.code, i.line, i.node) for i in issues] == [("M032", 22, "1.1")]


# --- M040: a rule that could exceed the maximum --------------------------------------------


@pytest.mark.parametrize(
    ("rule", "phrase"),
    [
        (
            "type: choice\noptions:\n  - {code: a, label: A, points: 12}\n"
            "  - {code: b, label: B, points: 0}\n",
            "quy tắc choice có thể cho từ 0 đến 12 điểm, vượt khoảng [0, 10]",
        ),
        (
            "type: choice\noptions:\n  - {code: a, label: A, points: -1}\n"
            "  - {code: b, label: B, points: 0}\n",
            "quy tắc choice có thể cho từ -1 đến 0 điểm",
        ),
        (bands("gte: 90, points: 11", "lt: 90, points: 0"), "bands có thể cho từ 0 đến 11"),
        ('type: boolean\n"yes": 11\n', "boolean có thể cho từ 0 đến 11"),
        ("type: deduction\nper: 1\ncap: 12\n", "deduction có thể cho từ -2 đến 10"),
        ("type: deduction\nfixed: 12\n", "deduction có thể cho từ -2 đến 10"),
        ("type: bonus\nper: 1\ncap: 12\n", "bonus có thể cho từ 0 đến 12"),
    ],
    ids=[
        "choice",
        "choice-negative",
        "bands",
        "boolean",
        "deduction-cap",
        "deduction-fixed",
        "bonus-cap",
    ],
)
def test_m040_rule_that_could_exceed_the_maximum(request, rule, phrase):
    # Reported on the offending option or band where there is one, else on the rule.
    line = {"choice": 19, "choice-negative": 19, "bands": 20}.get(request.node.callspec.id, 17)
    assert_issue(only_issue(methodology_yaml(leaf_nodes(rule))), "M040", line, "1.1", phrase)


def test_m040_bonus_cap_in_a_bonus_area():
    text = methodology_yaml(with_extra_area("bonus", "type: bonus\nper: 1\ncap: 3\n"))

    assert_issue(only_issue(text), "M040", 27, "2.1", "vượt khoảng [0, 2]")


def test_m040_deduction_cap_in_a_penalty_area():
    text = methodology_yaml(with_extra_area("penalty", "type: deduction\nper: 1\ncap: 3\n"))

    assert_issue(
        only_issue(text), "M040", 27, "2.1", "có thể cho từ -3 đến 0 điểm, vượt khoảng [-2, 0]"
    )


def test_ratio_bands_with_full_on_zero_denominator_may_reach_the_maximum():
    rule = bands("gte: 90, points: 10", "lt: 90, points: 0", measure="ratio")

    assert loads_methodology(methodology_yaml(leaf_nodes(rule))).node("1.1").rule is not None


# --- M041: rule not allowed in a bonus / penalty area --------------------------------------


@pytest.mark.parametrize(
    ("kind", "rule", "allowed"),
    [
        ("bonus", "type: deduction\nper: 1\n", "bonus, boolean, choice, formula, manual"),
        ("bonus", "type: survey\nsource: sipas\n", "bonus, boolean, choice, formula, manual"),
        ("penalty", "type: bonus\nper: 1\n", "choice, deduction, formula, manual"),
        ("penalty", "type: boolean\n", "choice, deduction, formula, manual"),
    ],
)
def test_m041_rule_not_allowed_in_a_bonus_or_penalty_area(kind, rule, allowed):
    issue = only_issue(methodology_yaml(with_extra_area(kind, rule)))

    assert_issue(
        issue, "M041", 27, "2.1", f"không dùng được trong lĩnh vực {kind}; dùng: {allowed}"
    )


# --- M050, M051, M052: formulas ------------------------------------------------------------

FORMULA_INPUTS = """\
inputs:
  done: {label: "Số nhiệm vụ hoàn thành", type: integer}
  plan: {label: "Số nhiệm vụ trong kế hoạch", type: integer}
"""


def formula_text(expression: str) -> str:
    """A formula leaf; the expression is on line 21."""
    rule = f"type: formula\nexpression: {expression!r}\n"
    return methodology_yaml(leaf_nodes(rule, before_rule=FORMULA_INPUTS))


@pytest.mark.parametrize(
    ("expression", "phrase"),
    [
        ("done.real", "không được dùng 'done.real'"),
        ('__import__("os")', "không được gọi '__import__'"),
        ("(lambda: 1)()", "không được gọi 'lambda: 1'"),
        ("done ** 2", "phép toán trong 'done ** 2' không được phép"),
        ("done[0]", "không được dùng 'done[0]'"),
        ("[x for x in done]", "không được dùng '[x for x in done]'"),
        ("+".join(["done"] * 200), "công thức dài quá 500 ký tự"),
    ],
    ids=["attribute", "import", "lambda", "power", "subscript", "comprehension", "too-long"],
)
def test_m050_unsafe_formula(expression, phrase):
    assert_issue(only_issue(formula_text(expression)), "M050", 21, "1.1", phrase)


def test_m051_unknown_name_lists_the_declared_names():
    issue = only_issue(formula_text("done / total"))

    assert_issue(issue, "M051", 21, "1.1", "tên 'total' chưa được khai báo")
    assert "done, max_points, plan" in issue.message


def test_m052_formula_syntax_error():
    assert_issue(only_issue(formula_text("done +")), "M052", 21, "1.1", "công thức sai cú pháp")


# --- M060, M061, M062: classes -------------------------------------------------------------


def test_m060_class_minimum_outside_0_100():
    tail = (
        "classes:\n"
        '  - {code: A, label: "Xuất sắc", min: 120}\n'
        '  - {code: E, label: "Yếu", min: 0}\n'
    )

    assert_issue(
        only_issue(methodology_yaml(tail=tail)),
        "M060",
        19,
        None,
        "'min' của loại A phải trong [0, 100]",
    )


def test_m061_class_minima_must_decrease():
    tail = (
        "classes:\n"
        '  - {code: A, label: "Xuất sắc", min: 80}\n'
        '  - {code: B, label: "Tốt", min: 80}\n'
        '  - {code: E, label: "Yếu", min: 0}\n'
    )

    assert_issue(
        only_issue(methodology_yaml(tail=tail)),
        "M061",
        20,
        None,
        "loại B (min 80) phải thấp hơn loại A (min 80)",
    )


def test_m062_last_class_must_start_at_zero():
    tail = (
        "classes:\n"
        '  - {code: A, label: "Xuất sắc", min: 90}\n'
        '  - {code: B, label: "Tốt", min: 50}\n'
    )

    issue = only_issue(methodology_yaml(tail=tail))

    assert_issue(issue, "M062", 19, None, "loại cuối (B) bắt đầu từ 50")
    assert "'min: 0'" in issue.message


# --- M070, M071: inputs --------------------------------------------------------------------


def test_m070_formula_without_inputs():
    text = methodology_yaml(leaf_nodes("type: formula\nexpression: max_points\n"))

    assert_issue(only_issue(text), "M070", 13, "1.1", "quy tắc formula cần khai báo 'inputs'")


def test_m070_input_named_like_a_function():
    inputs = 'inputs:\n  max: {label: "Tối đa", type: number}\n'
    text = methodology_yaml(leaf_nodes("type: formula\nexpression: '1'\n", before_rule=inputs))

    assert_issue(only_issue(text), "M070", 17, "1.1", "tên đầu vào 'max' không hợp lệ")


def test_m070_input_minimum_above_maximum():
    inputs = 'inputs:\n  value: {label: "Số điểm", min: 5, max: 1}\n'
    text = methodology_yaml(leaf_nodes("type: manual\n", before_rule=inputs))

    assert_issue(only_issue(text), "M070", 17, "1.1", "đầu vào 'value': min 5 lớn hơn max 1")


def test_m071_input_the_rule_does_not_use():
    inputs = 'inputs:\n  count: {label: "Số lần"}\n'
    text = methodology_yaml(leaf_nodes("type: boolean\n", before_rule=inputs))

    issue = only_issue(text)
    assert_issue(issue, "M071", 17, "1.1", "quy tắc boolean không dùng đầu vào 'count'")
    assert "các đầu vào của nó: value" in issue.message


# --- M080: applies_to ----------------------------------------------------------------------


def test_m080_applies_to_outside_the_methodology_unit_types():
    nodes = leaf_nodes("type: boolean\n").replace(
        "  children:\n", "  applies_to: [ministry]\n  children:\n", 1
    )

    issue = only_issue(methodology_yaml(nodes))

    assert_issue(issue, "M080", 12, "1", "applies_to có loại ministry không thuộc")


def test_m080_applies_to_outside_the_parent_applies_to():
    nodes = leaf_nodes("type: boolean\n", before_rule="applies_to: [central_agency]\n").replace(
        "  children:\n", "  applies_to: [department]\n  children:\n", 1
    )

    issue = only_issue(methodology_yaml(nodes))

    assert_issue(issue, "M080", 17, "1.1", "loại central_agency không thuộc các loại của nút cha")


# --- the shape of the file: a list where a list belongs, a table where a table belongs ------


def with_rule(rule: str, before_rule: str = "") -> str:
    return methodology_yaml(leaf_nodes(rule, before_rule=before_rule))


def without_nodes(replacement: str) -> str:
    return methodology_yaml("").replace("nodes:\n", replacement)


CHOICE_NO_POINTS = (
    "type: choice\noptions:\n  - {code: a, label: A}\n  - {code: b, label: B, points: 0}\n"
)
BAND_WORD = (
    "type: bands\nmeasure: percent\nbands:\n  - {gte: 90, points: many}\n  - {lt: 90, points: 0}\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (without_nodes("nodes: 5\n"), ("M005", 8, None, "'nodes' phải là một danh sách")),
        (without_nodes("nodes: []\n"), ("M004", 8, None, "'nodes' cần ít nhất một lĩnh vực")),
        (methodology_yaml('- "1"\n'), ("M005", 9, None, "mỗi nút phải là một bảng khóa")),
        (methodology_yaml(tail="notes: 5\n"), ("M005", 18, None, "'notes' phải là một danh sách")),
        (
            methodology_yaml(tail='notes: [1, "a"]\n'),
            ("M005", 18, None, "mỗi mục của 'notes' phải là một chuỗi"),
        ),
        (
            methodology_yaml(tail='decision: "123/QĐ-UBND"\n'),
            ("M005", 18, None, "'decision' phải là một bảng khóa"),
        ),
        (methodology_yaml(tail="rounding: 2\n"), ("M005", 18, None, "'rounding' phải là một bảng")),
        (
            methodology_yaml(tail="classes: 5\n"),
            ("M005", 18, None, "'classes' phải là một danh sách"),
        ),
        (
            methodology_yaml(tail="classes: [{code: A, min: 0}]\n"),
            ("M004", 18, None, "xếp loại thiếu khóa bắt buộc 'label'"),
        ),
        (
            methodology_yaml(tail="ranking: dense\n"),
            ("M005", 18, None, "'ranking' phải là một bảng"),
        ),
        (
            methodology_yaml('- code: "1"\n  title: T\n  max: 10\n  children: 5\n'),
            ("M005", 12, "1", "'children' phải là một danh sách"),
        ),
        (
            methodology_yaml(
                leaf_nodes("type: boolean\n").replace(
                    "  children:\n", "  inputs: {value: {label: x}}\n  children:\n", 1
                )
            ),
            ("M012", 12, "1", "nút có 'children' không được có 'inputs'"),
        ),
        (
            methodology_yaml(
                leaf_nodes("type: boolean\n").replace(
                    "      rule:\n        type: boolean\n", "      rule: boolean\n"
                )
            ),
            ("M005", 16, "1.1", "'rule' phải là một bảng khóa"),
        ),
        (
            with_rule("type: choice\noptions: a\n"),
            ("M005", 18, "1.1", "'options' phải là một danh sách"),
        ),
        (
            with_rule(CHOICE_NO_POINTS),
            ("M004", 19, "1.1", "phương án thiếu khóa bắt buộc 'points'"),
        ),
        (
            with_rule("type: bands\nmeasure: percent\nbands: 5\n"),
            ("M005", 19, "1.1", "'bands' phải là một danh sách"),
        ),
        (
            with_rule("type: bands\nmeasure: percent\nbands: []\n"),
            ("M004", 19, "1.1", "'bands' cần ít nhất một khoảng"),
        ),
        (
            with_rule("type: bands\nmeasure: percent\nbands: [90]\n"),
            ("M005", 19, "1.1", "mỗi khoảng phải là một bảng khóa"),
        ),
        (with_rule(BAND_WORD), ("M005", 20, "1.1", "'points' phải là một số, không phải 'many'")),
        (
            with_rule("type: boolean\n", "inputs: 5\n"),
            ("M005", 16, "1.1", "'inputs' phải là một bảng khóa"),
        ),
        (
            with_rule("type: boolean\n", 'inputs: {value: "Có"}\n'),
            ("M005", 16, "1.1", "đầu vào 'value' phải là một bảng khóa"),
        ),
        (
            with_rule("type: formula\nexpression: a\n", 'inputs: {a: "Số"}\n'),
            ("M005", 16, "1.1", "đầu vào 'a' phải là một bảng khóa"),
        ),
        (
            methodology_yaml().replace('title: "Tiêu chí 1.1"', "title: {vi: Tiêu chí}"),
            ("M005", 14, "1.1", "'title' phải là một chuỗi"),
        ),
        (
            methodology_yaml(tail="? [a, b]\n: 1\n"),
            ("M003", 18, None, "khóa '['a', 'b']' không được phép"),
        ),
    ],
)
def test_values_of_the_wrong_shape(text, expected):
    code, line, node, phrase = expected

    issues = issues_of(text)

    found = [i for i in issues if (i.code, i.line, i.node) == (code, line, node)]
    assert found, [i.format() for i in issues]
    assert phrase in found[0].message


@pytest.mark.parametrize("written", ["0x0A", "1:30", ".inf", ".nan"])
def test_numbers_must_be_written_as_plain_decimals(written):
    text = methodology_yaml().replace("      max: 10", f"      max: {written}")

    issues = [i for i in issues_of(text) if i.code == "M005"]

    assert [(i.line, i.node) for i in issues] == [(15, "1.1")]
    assert f"'max' phải là một số, không phải '{written}'" in issues[0].message


def test_notes_may_be_a_single_text_and_the_decision_date_a_text():
    tail = 'notes: "Một ghi chú"\ndecision: {number: "12/QĐ-UBND", date: "15/01/2026"}\n'

    m = loads_methodology(methodology_yaml(tail=tail))

    assert m.notes == ("Một ghi chú",)
    assert (m.decision.number, m.decision.date) == ("12/QĐ-UBND", "15/01/2026")


# --- all at once; a valid file -------------------------------------------------------------


def test_every_error_of_a_file_is_reported_at_once_in_line_order():
    nodes = """\
- code: "1"
  title: "Lĩnh vực 1"
  max: 10
  children:
    - code: "1.1"
      title: "Tiêu chí 1.1"
      max: 6
      weight: 2
      rule: {type: boolean}
    - code: "1.2"
      title: "Tiêu chí 1.2"
      max: 5
      rule: {type: boolean, "yes": 7}
"""
    text = methodology_yaml(nodes, status="draft", max_points="20")

    issues = issues_of(text)

    assert [(i.code, i.line, i.node) for i in issues] == [
        ("M005", 5, None),  # status
        ("M021", 7, None),  # 10 ≠ 20
        ("M020", 11, "1"),  # 6 + 5 ≠ 10
        ("M003", 16, "1.1"),  # weight
        ("M040", 21, "1.2"),  # "yes" worth 7 > 5
    ]
    assert all(i.source == "bo-tieu-chi.yaml" for i in issues)
    assert issues[0].format().startswith("bo-tieu-chi.yaml:5: M005: ")


VALID = """\
format: parindex/methodology@1
id: so-mau
title: "Bộ tiêu chí mẫu"
year: 2026
status: official
decision:
  number: "123/QĐ-UBND"
  date: 2026-01-15
  issuer: "Ủy ban nhân dân tỉnh Mẫu"
description: "Mô tả"
notes: ["Ghi chú 1", "Ghi chú 2"]
unit_types: [department, central_agency]
max_points: 10
rounding: {points: 4, index: 3, mode: half_even}
classes:
  - {code: A, label: "Xuất sắc", min: 90}
  - {code: E, label: "Yếu", min: 0}
ranking: {method: dense}
nodes:
  - code: "1"
    title: "Công tác chỉ đạo, điều hành"
    max: 10
    applies_to: [department]
    children:
      - code: "1.1"
        title: "Kế hoạch"
        max: 9.9
        evidence: ["Kế hoạch cải cách hành chính năm 2026"]
        reference: "Nghị quyết 76/NQ-CP"
        guidance: "Đúng thời hạn"
        rule:
          type: choice
          options:
            - {code: on_time, label: "Đúng thời hạn", points: 9.9}
            - {code: late, label: "Chậm", points: 0.1}
      - code: "1.2"
        title: "Báo cáo"
        max: 0.1
        exemptible: true
        evidence: ["Báo cáo"]
        evidence_required: false
        rule: {type: manual, step: 0.05}
"""


def test_a_valid_file_loads_with_its_settings():
    m = loads_methodology(VALID, source="so-mau.yaml")

    assert (m.id, m.year, m.status, m.source) == ("so-mau", 2026, "official", "so-mau.yaml")
    assert m.decision.number == "123/QĐ-UBND"
    assert m.decision.date == "15/01/2026"
    assert m.notes == ("Ghi chú 1", "Ghi chú 2")
    assert (m.rounding.points, m.rounding.index, m.rounding.mode) == (4, 3, "half_even")
    assert m.ranking_method == "dense"
    assert [(c.code, c.min) for c in m.classes] == [("A", 90), ("E", 0)]


def test_a_valid_file_builds_the_tree_with_inherited_settings():
    m = loads_methodology(VALID)

    area = m.node("1")
    assert [c.code for c in area.children] == ["1.1", "1.2"]
    assert m.node("1.1").parent is area and m.node("1.1").area is area
    assert m.node("1.1").depth == 1
    assert [n.code for n in m.leaves()] == ["1.1", "1.2"]
    # applies_to is inherited by the children
    assert m.node("1.1").applies_to == frozenset({"department"})
    assert m.node("1.2").applies("department") and not m.node("1.2").applies("central_agency")
    # evidence makes evidence required unless said otherwise
    assert m.node("1.1").evidence_required is True
    assert m.node("1.2").evidence_required is False
    assert m.node("1").evidence_required is False
    assert m.node("1.2").exemptible and not m.node("1.1").exemptible


def test_numbers_are_read_exactly_as_written():
    m = loads_methodology(VALID)

    assert m.node("1.2").max == Decimal("0.1")
    assert m.node("1.1").max + m.node("1.2").max == Decimal(10)
    assert [o.points for o in m.node("1.1").rule.options] == [Decimal("9.9"), Decimal("0.1")]
    assert all(isinstance(o.points, Decimal) for o in m.node("1.1").rule.options)


def test_asking_for_an_unknown_node_says_so_in_vietnamese():
    m = loads_methodology(VALID)

    with pytest.raises(KeyError, match=r"không có nút '9\.9' trong bộ tiêu chí so-mau"):
        m.node("9.9")


def test_the_documented_boolean_rule_with_yes_and_no_loads():
    # docs/methodology-format.md §3: rule: {type: boolean, yes: 1, no: 0}
    # (YAML 1.1 reads a bare yes/no as true/false; the loader must still see the keys.)
    text = methodology_yaml(leaf_nodes("{type: boolean, yes: 1, no: 0}\n"))

    rule = loads_methodology(text).node("1.1").rule

    assert (rule.yes, rule.no) == (Decimal(1), Decimal(0))


def test_load_methodology_reads_a_file(tmp_path):
    path = tmp_path / "bo.yaml"
    path.write_text(VALID, encoding="utf-8")

    m = load_methodology(path)

    assert m.source == str(path)
    assert m.title == "Bộ tiêu chí mẫu"


def test_yaml_aliases_are_refused_so_alias_bombs_cannot_expand():
    # "Billion laughs": nine levels of nine aliases would expand to 9^9 items.
    levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "format: parindex/methodology@1\n" + "\n".join(levels) + "\n"

    issues = issues_of(text)

    assert [(i.code, i.line) for i in issues] == [("M001", 3)]
    assert "bí danh YAML" in issues[0].message


# --- values the YAML itself can smuggle in ---------------------------------------------------


def test_an_impossible_date_is_an_error_not_a_crash():
    text = methodology_yaml(tail='decision: {number: "1/QĐ-UBND", date: 2026-02-30}\n')

    issue = only_issue(text)

    assert issue.code == "M005" and "ngày '2026-02-30' không hợp lệ" in issue.message


@pytest.mark.parametrize("value", ["!custom x", '!!binary "aGVsbG8="', '!!timestamp "nope"'])
def test_explicit_yaml_tags_are_refused(value):
    text = methodology_yaml(tail=f"description: {value}\n")

    codes = [(i.code, "thẻ YAML" in i.message or "ngày" in i.message) for i in issues_of(text)]

    assert codes == [("M005", True)]


@pytest.mark.parametrize("value", ["1.0e+999999999", "1000000000000000", "0.00000000001"])
def test_numbers_beyond_what_a_methodology_needs_are_refused(value):
    issues = issues_of(methodology_yaml(max_points=value))

    assert any(
        i.code == "M005" and i.line == 7 and "quá lớn hoặc có quá 10 chữ số" in i.message
        for i in issues
    ), [i.format() for i in issues]


def test_a_tree_deeper_than_eight_levels_is_refused():
    nodes = ""
    code = ""
    for depth in range(10):
        code = f"{code}.1" if code else "1"
        pad = "  " * depth
        nodes += f'{pad}- code: "{code}"\n{pad}  title: "N"\n{pad}  max: 1\n'
        nodes += f"{pad}  children:\n" if depth < 9 else f"{pad}  rule: {{type: boolean}}\n"

    issues = issues_of(methodology_yaml(nodes, max_points="1"))

    assert [i.code for i in issues] == ["M005"]
    assert "sâu quá 8 cấp" in issues[0].message and issues[0].node == "1.1.1.1.1.1.1.1.1"


def test_deeply_nested_yaml_is_an_error_not_a_crash():
    issues = issues_of("a: " + "[" * 5000 + "]" * 5000 + "\n")

    assert [i.code for i in issues] == ["M001"]


def test_m071_declared_formula_input_the_expression_never_reads():
    rule = 'type: formula\nexpression: "max_points * a"\n'
    inputs = "inputs:\n  a: {label: A, type: percent}\n  b: {label: B, type: percent}\n"
    text = methodology_yaml(leaf_nodes(rule, before_rule=inputs))

    issue = only_issue(text)

    assert (issue.code, issue.node) == ("M071", "1.1")
    assert "không dùng đầu vào 'b'" in issue.message
