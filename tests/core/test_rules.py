"""Scoring rules, one table per rule type: inputs → points of the leaf (and its status).

Points are clamped to the leaf's range, then rounded as the methodology says
(docs/methodology-format.md §3 and §7).
"""

from decimal import Decimal

import pytest

from parindex.core import (
    InputError,
    compute,
    format_vn,
    loads_methodology,
    parse_inputs,
    score_leaf,
)

from .builders import d, leaf_methodology, leaf_nodes, methodology_yaml, unit, with_extra_area


def score(rule: str, values: dict | None, *, max_points: str = "10", tail: str = ""):
    """(points, status) of leaf 1.1 scored by ``rule``."""
    m = leaf_methodology(rule, max_points=max_points, tail=tail)
    return score_leaf(m.node("1.1"), values, m)


def score_in_area(kind: str, rule: str, values: dict):
    """(points, status) of leaf 2.1 (2 points) in an area of ``kind``."""
    m = loads_methodology(methodology_yaml(with_extra_area(kind, rule)))
    return score_leaf(m.node("2.1"), values, m)


def trace_of(rule: str, values: dict, *, max_points: str = "10", tail: str = "") -> list[str]:
    m = leaf_methodology(rule, max_points=max_points, tail=tail)
    steps: list[str] = []
    score_leaf(m.node("1.1"), values, m, steps)
    return steps


# --- choice --------------------------------------------------------------------------------

CHOICE = """\
type: choice
options:
  - {code: on_time, label: "Ban hành đúng thời hạn", points: 1}
  - {code: late, label: "Ban hành chậm", points: 0.5}
  - {code: no, label: "Không ban hành", points: 0}
"""


@pytest.mark.parametrize(
    ("option", "points"), [("on_time", "1.00"), ("late", "0.50"), ("no", "0.00")]
)
def test_choice_gives_the_points_of_the_chosen_option(option, points):
    assert score(CHOICE, {"value": option}, max_points="1") == (d(points), "ok")


def test_choice_trace_names_the_option():
    steps = trace_of(CHOICE, {"value": "late"}, max_points="1")

    assert "Phương án 'late' (Ban hành chậm) → 0,5" in steps


# --- bands ---------------------------------------------------------------------------------

BANDS_GTE = """\
type: bands
measure: percent
bands:
  - {gte: 90, points: 2}
  - {gte: 70, lt: 90, points: 1}
  - {lt: 70, points: 0}
"""

BANDS_GT = """\
type: bands
measure: percent
bands:
  - {gt: 90, points: 2}
  - {gt: 70, lte: 90, points: 1}
  - {lte: 70, points: 0}
"""


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("100", "2"),
        ("90", "2"),  # gte: 90 includes 90
        ("89.99", "1"),
        ("70", "1"),  # gte: 70 includes 70
        ("69.99", "0"),
        ("0", "0"),
    ],
)
def test_bands_with_gte_include_the_threshold(value, points):
    assert score(BANDS_GTE, {"value": d(value)}, max_points="2") == (d(points), "ok")


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("100", "2"),
        ("90.01", "2"),
        ("90", "1"),  # gt: 90 excludes 90; lte: 90 includes it
        ("70.01", "1"),
        ("70", "0"),  # gt: 70 excludes 70
        ("0", "0"),
    ],
)
def test_bands_with_gt_exclude_the_threshold(value, points):
    assert score(BANDS_GT, {"value": d(value)}, max_points="2") == (d(points), "ok")


COUNT_BANDS = """\
type: bands
measure: count
bands:
  - {lte: 2, points: 1}
  - {gte: 3, lte: 5, points: 0.5}
  - {gt: 5, points: 0}
"""


@pytest.mark.parametrize(
    ("count", "points"), [("0", "1"), ("2", "1"), ("3", "0.5"), ("5", "0.5"), ("6", "0")]
)
def test_count_bands(count, points):
    assert score(COUNT_BANDS, {"value": d(count)}, max_points="1") == (d(points), "ok")


NUMBER_BANDS = """\
type: bands
measure: number
bands:
  - {lt: 0, points: 0}
  - {gte: 0, lt: 5, points: 1}
  - {gte: 5, points: 2}
"""


@pytest.mark.parametrize(("value", "points"), [("-3", "0"), ("0", "1"), ("4.99", "1"), ("5", "2")])
def test_number_bands_accept_negative_values(value, points):
    assert score(NUMBER_BANDS, {"value": d(value)}, max_points="2") == (d(points), "ok")


def ratio_bands(on_zero: str) -> str:
    return (
        "type: bands\nmeasure: ratio\n"
        f"on_zero_denominator: {on_zero}\n"
        "bands:\n"
        "  - {gte: 90, points: 2}\n"
        "  - {gte: 70, lt: 90, points: 1}\n"
        "  - {lt: 70, points: 0}\n"
    )


@pytest.mark.parametrize(
    ("numerator", "denominator", "points"),
    [("9", "10", "2"), ("18", "20", "2"), ("89", "100", "1"), ("7", "10", "1"), ("2", "3", "0")],
)
def test_ratio_bands_use_numerator_over_denominator_as_percent(numerator, denominator, points):
    values = {"numerator": d(numerator), "denominator": d(denominator)}

    assert score(ratio_bands("full"), values, max_points="2") == (d(points), "ok")


@pytest.mark.parametrize(
    ("on_zero", "expected"),
    [
        ("full", (d("2"), "ok")),
        ("zero", (d("0"), "ok")),
        ("not_applicable", (None, "not_applicable")),
    ],
)
def test_ratio_bands_with_zero_denominator(on_zero, expected):
    values = {"numerator": d("0"), "denominator": d("0")}

    assert score(ratio_bands(on_zero), values, max_points="2") == expected


def test_bands_trace_shows_the_ratio_and_the_band_hit():
    values = {"numerator": d("7"), "denominator": d("10")}

    steps = trace_of(ratio_bands("full"), values, max_points="2")

    assert steps == ["Tỷ lệ = 7 / 10 × 100 = 70,0000 %", "Thuộc khoảng ≥ 70 và < 90 → 1"]


def test_bands_trace_for_a_zero_denominator_says_what_the_methodology_decided():
    values = {"numerator": d("0"), "denominator": d("0")}

    steps = trace_of(ratio_bands("not_applicable"), values, max_points="2")

    assert steps[0] == "Mẫu số bằng 0 → theo quy định: không tính"
    assert "bỏ khỏi điểm tối đa áp dụng" in steps[-1]


# --- proportional --------------------------------------------------------------------------


def proportional(measure: str, on_zero: str = "full") -> str:
    return f"type: proportional\nmeasure: {measure}\non_zero_denominator: {on_zero}\n"


@pytest.mark.parametrize(
    ("numerator", "denominator", "points"),
    [("3", "4", "1.50"), ("4", "4", "2.00"), ("0", "4", "0.00"), ("2", "3", "1.33")],
)
def test_proportional_ratio(numerator, denominator, points):
    values = {"numerator": d(numerator), "denominator": d(denominator)}

    assert score(proportional("ratio"), values, max_points="2") == (d(points), "ok")


@pytest.mark.parametrize(
    ("on_zero", "expected"),
    [
        ("full", (d("2"), "ok")),
        ("zero", (d("0"), "ok")),
        ("not_applicable", (None, "not_applicable")),
    ],
)
def test_proportional_with_zero_denominator(on_zero, expected):
    values = {"numerator": d("0"), "denominator": d("0")}

    assert score(proportional("ratio", on_zero), values, max_points="2") == expected


@pytest.mark.parametrize(("percent", "points"), [("37.5", "0.75"), ("100", "2.00"), ("0", "0.00")])
def test_proportional_percent(percent, points):
    assert score(proportional("percent"), {"value": d(percent)}, max_points="2") == (
        d(points),
        "ok",
    )


def test_proportional_trace_shows_the_fraction():
    steps = trace_of(proportional("percent"), {"value": d("37.5")}, max_points="2")

    assert steps == ["Giá trị nhập: 37,5", "Điểm = 2 × 0,375"]


def test_numerator_above_denominator_is_an_input_error_so_the_ratio_never_exceeds_one():
    m = leaf_methodology(proportional("ratio"), max_points="2")
    rows = [
        (2, {"unit": "SNV", "node": "1.1", "input": "numerator", "value": "11"}),
        (3, {"unit": "SNV", "node": "1.1", "input": "denominator", "value": "10"}),
    ]

    with pytest.raises(InputError) as caught:
        parse_inputs(rows, m, [unit("SNV")])

    [issue] = caught.value.issues
    assert (issue.code, issue.line, issue.node) == ("I029", 2, "1.1")
    assert "tử số (11) lớn hơn mẫu số (10)" in issue.message


# --- boolean -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "answer", "points"),
    [
        ("type: boolean\n", True, "1.00"),  # yes = max by default
        ("type: boolean\n", False, "0.00"),
        ("{type: boolean, yes: 0.75, no: 0.25}\n", True, "0.75"),
        ("{type: boolean, yes: 0.75, no: 0.25}\n", False, "0.25"),
    ],
)
def test_boolean(rule, answer, points):
    assert score(rule, {"value": answer}, max_points="1") == (d(points), "ok")


# --- manual --------------------------------------------------------------------------------


def test_manual_gives_the_points_entered():
    assert score("{type: manual, step: 0.25}\n", {"value": d("0.75")}, max_points="1") == (
        d("0.75"),
        "ok",
    )


def test_manual_value_off_the_step_is_an_input_error():
    m = leaf_methodology("{type: manual, step: 0.25}\n", max_points="1")
    rows = [(7, {"unit": "SNV", "node": "1.1", "value": "0,3"})]

    with pytest.raises(InputError) as caught:
        parse_inputs(rows, m, [unit("SNV")])

    [issue] = caught.value.issues
    assert (issue.code, issue.line) == ("I029", 7)
    assert "0,3 không phải là bội số của bước 0,25" in issue.message


def test_manual_value_above_the_maximum_is_an_input_error():
    m = leaf_methodology("{type: manual, step: 0.25}\n", max_points="1")
    rows = [(7, {"unit": "SNV", "node": "1.1", "value": "1.25"})]

    with pytest.raises(InputError) as caught:
        parse_inputs(rows, m, [unit("SNV")])

    assert caught.value.issues[0].code == "I028"
    assert "nằm ngoài khoảng cho phép: số từ 0 đến 1, bước 0,25" in caught.value.issues[0].message


# --- deduction -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "points"),
    [("0", "2.00"), ("1", "1.50"), ("3", "0.50"), ("10", "0.50")],  # at most 1.5 deducted
)
def test_deduction_per_occurrence_with_cap_in_a_standard_area(count, points):
    rule = "{type: deduction, per: 0.5, cap: 1.5}\n"

    assert score(rule, {"count": d(count)}, max_points="2") == (d(points), "ok")


def test_deduction_cap_defaults_to_the_maximum():
    rule = "{type: deduction, per: 0.5}\n"

    assert score(rule, {"count": d("9")}, max_points="2") == (d("0.00"), "ok")


@pytest.mark.parametrize(("happened", "points"), [(True, "1.00"), (False, "2.00")])
def test_fixed_deduction_in_a_standard_area(happened, points):
    rule = "{type: deduction, fixed: 1}\n"

    assert score(rule, {"value": happened}, max_points="2") == (d(points), "ok")


@pytest.mark.parametrize(("count", "points"), [("0", "0.00"), ("3", "-1.50"), ("10", "-2.00")])
def test_deduction_in_a_penalty_area_is_negative(count, points):
    assert score_in_area("penalty", "{type: deduction, per: 0.5}\n", {"count": d(count)}) == (
        d(points),
        "ok",
    )


@pytest.mark.parametrize(("happened", "points"), [(True, "-1.00"), (False, "0.00")])
def test_fixed_deduction_in_a_penalty_area(happened, points):
    assert score_in_area("penalty", "{type: deduction, fixed: 1}\n", {"value": happened}) == (
        d(points),
        "ok",
    )


def test_manual_in_a_penalty_area_deducts_the_points_entered():
    assert score_in_area("penalty", "{type: manual, step: 0.5}\n", {"value": d("1.5")}) == (
        d("-1.50"),
        "ok",
    )


def test_deduction_trace_shows_the_cap():
    m = loads_methodology(
        methodology_yaml(with_extra_area("penalty", "{type: deduction, per: 0.5, cap: 1}\n"))
    )
    steps: list[str] = []

    score_leaf(m.node("2.1"), {"count": d("3")}, m, steps)

    assert steps == ["3 lần × 0,5 = 1,5, giới hạn 1", "Điểm = 0 − 1"]


# --- bonus ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "points"), [("0", "0.00"), ("3", "0.75"), ("10", "1.00")])
def test_bonus_per_occurrence_with_cap(count, points):
    rule = "{type: bonus, per: 0.25, cap: 1}\n"

    assert score_in_area("bonus", rule, {"count": d(count)}) == (d(points), "ok")


@pytest.mark.parametrize(("happened", "points"), [(True, "0.50"), (False, "0.00")])
def test_fixed_bonus(happened, points):
    assert score_in_area("bonus", "{type: bonus, fixed: 0.5}\n", {"value": happened}) == (
        d(points),
        "ok",
    )


# --- survey --------------------------------------------------------------------------------


@pytest.mark.parametrize(("index", "points"), [("100", "3.00"), ("87.5", "2.63"), ("0", "0.00")])
def test_survey_is_the_maximum_times_the_survey_index(index, points):
    # 3 × 87,5 / 100 = 2,625 → 2,63 (half_up)
    assert score("{type: survey, source: sipas}\n", {"index": d(index)}, max_points="3") == (
        d(points),
        "ok",
    )


# --- formula -------------------------------------------------------------------------------

TASKS = """\
inputs:
  plan_tasks: {label: "Số nhiệm vụ trong kế hoạch", type: integer, min: 0}
  done_tasks: {label: "Số nhiệm vụ đã hoàn thành", type: integer, min: 0}
"""


def formula(expression: str, max_points: str = "2") -> tuple:
    nodes = leaf_nodes(
        f"type: formula\nexpression: {expression!r}\n", max_points=max_points, before_rule=TASKS
    )
    return loads_methodology(methodology_yaml(nodes, max_points=max_points))


@pytest.mark.parametrize(
    ("plan", "done", "points"),
    [("4", "3", "1.50"), ("4", "4", "2.00"), ("0", "0", "0.00"), ("3", "5", "2.00")],
)
def test_formula_with_min_of_max_points(plan, done, points):
    m = formula("0 if plan_tasks == 0 else min(max_points, max_points * done_tasks / plan_tasks)")
    values = {"plan_tasks": d(plan), "done_tasks": d(done)}

    assert score_leaf(m.node("1.1"), values, m) == (d(points), "ok")


def test_formula_division_by_zero_gives_zero_and_says_so():
    m = formula("max_points * done_tasks / plan_tasks")
    steps: list[str] = []

    result = score_leaf(m.node("1.1"), {"plan_tasks": d("0"), "done_tasks": d("3")}, m, steps)

    assert result == (d("0"), "formula_failed")
    assert steps[-1] == "Công thức không tính được (chia cho 0) → 0 điểm"
    results = compute(
        m, [unit("SNV")], {"SNV": {"1.1": {"plan_tasks": d("0"), "done_tasks": d("3")}}}
    )
    [finding] = results.findings
    assert (finding.code, finding.node) == ("W005", "1.1")
    assert "công thức không tính được" in finding.message


def test_formula_above_the_maximum_is_clamped_and_reported():
    m = formula("done_tasks + 0 * plan_tasks")
    values = {"plan_tasks": d("1"), "done_tasks": d("5")}
    steps: list[str] = []

    assert score_leaf(m.node("1.1"), values, m, steps) == (d("2"), "clamped")
    assert "Giới hạn trong [0, 2] → 2" in steps

    results = compute(m, [unit("SNV")], {"SNV": {"1.1": values}})
    [finding] = results.findings
    assert (finding.code, finding.unit, finding.node) == ("W002", "SNV", "1.1")
    assert results.unit("SNV").status == {"1.1": "clamped"}


def test_formula_below_zero_is_clamped_to_zero():
    m = formula("done_tasks - plan_tasks")

    assert score_leaf(m.node("1.1"), {"plan_tasks": d("5"), "done_tasks": d("1")}, m) == (
        d("0"),
        "clamped",
    )


def test_formula_trace_shows_the_inputs_and_the_exact_result():
    m = formula("max_points * done_tasks / plan_tasks")
    steps: list[str] = []

    score_leaf(m.node("1.1"), {"plan_tasks": d("3"), "done_tasks": d("2")}, m, steps)

    assert steps == [
        "Công thức max_points * done_tasks / plan_tasks với plan_tasks = 3, done_tasks = 2"
        " = 1,333333",
        "Làm tròn 1,333333 → 1,33",
    ]


# --- missing inputs ------------------------------------------------------------------------


@pytest.mark.parametrize("values", [None, {}, {"numerator": d("3")}])
def test_missing_inputs_give_zero_points(values):
    assert score(proportional("ratio"), values, max_points="2") == (d("0"), "missing")


# --- rounding ------------------------------------------------------------------------------

MANUAL_FINE = "{type: manual, step: 0.001}\n"


@pytest.mark.parametrize(
    ("mode", "value", "points"),
    [
        ("half_up", "2.675", "2.68"),  # a float would give 2.67: 2.675 is 2.67499… in binary
        ("half_even", "2.675", "2.68"),  # 7 is odd: to the even neighbour 2.68
        ("half_up", "0.125", "0.13"),
        ("half_even", "0.125", "0.12"),  # 2 is even: stays
        ("half_up", "2.665", "2.67"),
        ("half_even", "2.665", "2.66"),
    ],
)
def test_points_rounding_half_up_and_half_even(mode, value, points):
    tail = f"rounding: {{points: 2, index: 2, mode: {mode}}}\n"

    assert score(MANUAL_FINE, {"value": d(value)}, tail=tail) == (d(points), "ok")


def test_points_with_four_decimals():
    # 100 × 2193 / 3700 = 59,27027… → 59,2703
    tail = "rounding: {points: 4, index: 4}\n"
    m = leaf_methodology(proportional("ratio"), max_points="100", tail=tail)

    points, _ = score_leaf(m.node("1.1"), {"numerator": d("2193"), "denominator": d("3700")}, m)

    assert points == Decimal("59.2703")
    assert format_vn(points) == "59,2703"


def test_rounding_appears_in_the_trace():
    steps = trace_of("{type: survey, source: sipas}\n", {"index": d("87.5")}, max_points="3")

    assert steps == ["Điểm = 3 × 87,5 % (chỉ số khảo sát sipas)", "Làm tròn 2,625000 → 2,63"]


# --- what each rule says about itself ------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "description"),
    [
        (
            CHOICE,
            "chọn phương án (Ban hành đúng thời hạn: 1; Ban hành chậm: 0,5; Không ban hành: 0)",
        ),
        (BANDS_GTE, "theo khoảng tỷ lệ % (< 70: 0; ≥ 70 và < 90: 1; ≥ 90: 2)"),
        (proportional("ratio"), "điểm tối đa × tỷ lệ (tử số/mẫu số)"),
        (proportional("percent"), "điểm tối đa × tỷ lệ %"),
        ("{type: boolean, yes: 1, no: 0.5}\n", "có: 1; không: 0,5"),
        ("{type: manual, step: 0.5}\n", "chấm trực tiếp từ 0 đến 2, bước 0,5"),
        ("{type: deduction, per: 0.5, cap: 1}\n", "trừ 0,5 mỗi lần, tối đa 1"),
        ("{type: deduction, fixed: 1}\n", "trừ 1 nếu có"),
        (
            "{type: survey, source: sipas}\n",
            "điểm tối đa × chỉ số khảo sát 'sipas' (không tự chấm)",
        ),
    ],
)
def test_rules_describe_themselves_in_vietnamese(rule, description):
    m = leaf_methodology(rule, max_points="2")

    assert m.node("1.1").rule.describe() == description


def test_bonus_rule_description():
    m = loads_methodology(
        methodology_yaml(with_extra_area("bonus", "{type: bonus, per: 0.25, cap: 1}\n"))
    )

    assert m.node("2.1").rule.describe() == "cộng 0,25 mỗi lần, tối đa 1"


# --- traces of the simple rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "values", "steps"),
    [
        ("type: boolean\n", {"value": True}, ["Có → 10"]),
        ("{type: boolean, no: 2}\n", {"value": False}, ["Không → 2"]),
        ("{type: manual, step: 0.5}\n", {"value": d("7.5")}, ["Điểm chấm trực tiếp: 7,5"]),
        ("{type: deduction, fixed: 1}\n", {"value": True}, ["Có phát sinh → 1", "Điểm = 10 − 1"]),
        (
            "{type: deduction, fixed: 1}\n",
            {"value": False},
            ["Không phát sinh → 0", "Điểm = 10 − 0"],
        ),
        ("{type: deduction, per: 2}\n", {"count": d("3")}, ["3 lần × 2 = 6", "Điểm = 10 − 6"]),
        (BANDS_GTE, {"value": d("75")}, ["Giá trị nhập: 75", "Thuộc khoảng ≥ 70 và < 90 → 1"]),
    ],
)
def test_each_rule_writes_its_steps(rule, values, steps):
    assert trace_of(rule, values) == steps


def test_formula_trace_writes_yes_no_inputs_in_vietnamese():
    inputs = 'inputs:\n  flag: {label: "Có ban hành", type: boolean}\n'
    nodes = leaf_nodes(
        'type: formula\nexpression: "max_points if flag else 0"\n', before_rule=inputs
    )
    m = loads_methodology(methodology_yaml(nodes))
    steps: list[str] = []

    assert score_leaf(m.node("1.1"), {"flag": True}, m, steps) == (d("10.00"), "ok")
    assert steps == ["Công thức max_points if flag else 0 với flag = có = 10,000000"]
    assert m.node("1.1").rule.describe() == "công thức: max_points if flag else 0"


def test_a_value_below_every_band_falls_in_the_lowest_band():
    # Input parsing rejects a negative percent; the engine still answers sensibly.
    rule = (
        "type: bands\nmeasure: percent\nbands:\n"
        "  - {gte: 0, lt: 50, points: 0}\n"
        "  - {gte: 50, points: 2}\n"
    )

    assert score(rule, {"value": d("-5")}, max_points="2") == (d("0.00"), "ok")


def test_a_negative_ratio_falls_in_the_lowest_band_on_every_route():
    rule = (
        "type: bands\nmeasure: ratio\nbands:\n"
        "  - {gte: 0, lt: 50, points: 0.5}\n"
        "  - {gte: 50, points: 2}\n"
    )
    m = leaf_methodology(rule, max_points="2")
    values = {"numerator": d("-1"), "denominator": d("10")}

    assert score_leaf(m.node("1.1"), values, m) == (d("0.50"), "ok")
    assert compute(m, [unit("SNV")], {"SNV": {"1.1": values}}).unit("SNV").points["1.1"] == d(
        "0.50"
    )
