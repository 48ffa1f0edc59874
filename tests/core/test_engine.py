"""The scoring engine: totals, indices, exemptions, bonus and penalty, ranks, classes, traces.

Expected numbers are worked out by hand in the comments (docs/methodology-format.md §2, §7).
"""

from decimal import Decimal

import pytest

from parindex.core import (
    Issue,
    PublishedRow,
    check_published,
    compute,
    explain,
    format_trace,
    format_vn,
    loads_methodology,
    parse_decimal,
    quantize,
    rank_within_group,
)
from parindex.core.decimals import plain

from .builders import d, leaf_methodology, leaf_nodes, methodology_yaml, unit

SO = loads_methodology("""\
format: parindex/methodology@1
id: so-thu-nghiem
title: "Bộ tiêu chí thử nghiệm"
year: 2026
status: sample
unit_types: [department, central_agency]
max_points: 100
classes:
  - {code: A, label: "Xuất sắc", min: 90}
  - {code: B, label: "Tốt", min: 80}
  - {code: C, label: "Khá", min: 70}
  - {code: D, label: "Trung bình", min: 50}
  - {code: E, label: "Yếu", min: 0}
nodes:
  - code: "1"
    title: "Công tác chỉ đạo, điều hành"
    max: 20
    children:
      - code: "1.1"
        title: "Ban hành kế hoạch"
        max: 10
        rule:
          type: choice
          options:
            - {code: on_time, label: "Đúng thời hạn", points: 10}
            - {code: late, label: "Chậm", points: 5}
            - {code: none, label: "Không ban hành", points: 0}
      - code: "1.2"
        title: "Tỷ lệ hoàn thành nhiệm vụ"
        max: 10
        rule:
          type: bands
          measure: ratio
          on_zero_denominator: not_applicable
          bands:
            - {gte: 90, points: 10}
            - {gte: 70, lt: 90, points: 5}
            - {lt: 70, points: 0}
  - code: "2"
    title: "Cải cách thủ tục hành chính"
    max: 9
    exemptible: true
    children:
      - code: "2.1"
        title: "Công khai thủ tục hành chính"
        max: 9
        rule: {type: boolean}
  - code: "3"
    title: "Cải cách tổ chức bộ máy"
    max: 71
    children:
      - code: "3.1"
        title: "Chấm trực tiếp"
        max: 60
        rule: {type: manual, step: 0.01}
      - code: "3.2"
        title: "Vi phạm kỷ luật"
        max: 11
        applies_to: [department]
        rule: {type: deduction, per: 1}
  - code: "4"
    title: "Điểm thưởng"
    max: 3
    kind: bonus
    children:
      - code: "4.1"
        title: "Sáng kiến"
        max: 3
        rule: {type: bonus, per: 1}
  - code: "5"
    title: "Điểm trừ"
    max: 5
    kind: penalty
    children:
      - code: "5.1"
        title: "Chậm báo cáo"
        max: 5
        rule: {type: deduction, per: 1}
""")


def full_marks(**changes) -> dict:
    """Inputs giving every standard leaf its maximum (100 points), no bonus, no penalty."""
    values = {
        "1.1": {"value": "on_time"},
        "1.2": {"numerator": d("9"), "denominator": d("10")},
        "2.1": {"value": True},
        "3.1": {"value": d("60")},
        "3.2": {"count": d("0")},
        "4.1": {"count": d("0")},
        "5.1": {"count": d("0")},
    }
    values.update(changes)
    return {code: v for code, v in values.items() if v is not None}


def one(methodology, u, values):
    return compute(methodology, [u], {u.code: values}).unit(u.code)


# --- totals, indices, percentages ----------------------------------------------------------


def test_full_marks_give_100_points_index_100_and_class_a():
    r = one(SO, unit("SNV"), full_marks())

    assert (r.total, r.max, r.index) == (d("100.00"), d("100"), d("100.00"))
    assert r.klass.code == "A"
    assert r.status == {}


def test_totals_and_component_index_per_area():
    # 1.1 late 5 + 1.2 (75 % → 5) = 10 of 20; 2.1 no → 0 of 9; 3.1 45,5 + 3.2 (11 − 2) = 54,5 of 71
    # total 10 + 0 + 54,5 = 64,5 of 100; bonus 1, penalty −2 → 63,5
    values = full_marks(
        **{
            "1.1": {"value": "late"},
            "1.2": {"numerator": d("3"), "denominator": d("4")},
            "2.1": {"value": False},
            "3.1": {"value": d("45.5")},
            "3.2": {"count": d("2")},
            "4.1": {"count": d("1")},
            "5.1": {"count": d("2")},
        }
    )

    r = one(SO, unit("SNV"), values)

    assert [(a.code, a.kind, a.points, a.max, a.index) for a in r.areas()] == [
        ("1", "standard", d("10.00"), d("20"), d("50.00")),
        ("2", "standard", d("0.00"), d("9"), d("0.00")),
        ("3", "standard", d("54.50"), d("71"), d("76.76")),  # 54,5 / 71 = 76,7605…
        ("4", "bonus", d("1.00"), d("3"), None),
        ("5", "penalty", d("-2.00"), d("5"), None),
    ]
    assert (r.total, r.max, r.index) == (d("63.50"), d("100"), d("63.50"))
    assert r.klass.code == "D"


def test_percent_per_node():
    values = full_marks(**{"3.1": {"value": d("20")}})

    r = one(SO, unit("SNV"), values)

    assert r.percent("3.1") == d("33.33")  # 20 / 60
    assert r.percent("3") == d("43.66")  # 31 / 71 = 43,6619…
    assert r.percent("1.1") == d("100.00")


# --- exemptions and applies_to -------------------------------------------------------------


def test_exempting_a_9_point_area_leaves_91_points_to_reach():
    values = full_marks(**{"2.1": None, "3.1": {"value": d("50")}})

    r = one(SO, unit("VP", exempt=frozenset({"2"})), values)

    # 20 + 61 = 81 of 100 − 9 = 91 → 81 / 91 = 89,0109… %
    assert (r.total, r.max, r.index) == (d("81.00"), d("91"), d("89.01"))
    assert r.points["2"] is None and r.maxima["2"] is None
    assert r.points["2.1"] is None
    assert [a.code for a in r.areas()] == ["1", "3", "4", "5"]


def test_exemption_does_not_change_the_other_nodes():
    values = full_marks(**{"3.1": {"value": d("50")}})
    plain = one(SO, unit("SNV"), values)
    exempted = one(SO, unit("VP", exempt=frozenset({"2"})), values)

    for code in ("1", "1.1", "1.2", "3", "3.1", "3.2", "4", "5"):
        assert exempted.points[code] == plain.points[code]


def test_applies_to_by_unit_type():
    values = full_marks(**{"3.2": None})

    r = one(SO, unit("KBNN", type="central_agency"), values)

    # 3.2 applies to departments only: area 3 is worth 60, the total maximum 89
    assert r.maxima["3"] == d("60")
    assert (r.total, r.max, r.index) == (d("89.00"), d("89"), d("100.00"))


# --- bonus and penalty ---------------------------------------------------------------------


def test_bonus_cannot_lift_the_total_above_the_maximum():
    values = full_marks(**{"3.1": {"value": d("59")}, "4.1": {"count": d("3")}})

    r = one(SO, unit("SNV"), values)

    assert r.points["4"] == d("3.00")
    assert (r.total, r.index) == (d("100"), d("100.00"))  # 99 + 3 = 102, clamped to 100


def test_penalty_cannot_push_the_total_below_zero():
    values = {"3.1": {"value": d("2")}, "3.2": {"count": d("11")}, "5.1": {"count": d("7")}}

    r = one(SO, unit("SNV"), values)

    assert r.points["5"] == d("-5.00")  # 7 × 1, at most 5
    assert (r.total, r.index) == (d("0"), d("0.00"))  # 2 − 5 = −3, clamped to 0
    assert r.klass.code == "E"


# --- missing and not applicable ------------------------------------------------------------


def test_missing_inputs_count_as_zero_with_a_warning():
    values = full_marks(**{"1.1": None, "2.1": None})

    results = compute(SO, [unit("SNV")], {"SNV": values})

    r = results.unit("SNV")
    assert r.points["1.1"] == 0 and r.points["2.1"] == 0
    assert r.total == d("81.00")
    assert r.status == {"1.1": "missing", "2.1": "missing"}
    [finding] = results.findings
    assert (finding.code, finding.unit) == ("W001", "SNV")
    assert "thiếu dữ liệu ở 2 tiêu chí (tính 0 điểm): 1.1, 2.1" in finding.message


def test_a_unit_without_any_input_scores_zero():
    results = compute(SO, [unit("SNV")], {})

    assert results.unit("SNV").total == 0
    assert results.unit("SNV").index == d("0.00")


def test_zero_denominator_marked_not_applicable_rebuilds_the_maxima():
    values = full_marks(**{"1.2": {"numerator": d("0"), "denominator": d("0")}})

    results = compute(SO, [unit("SNV")], {"SNV": values})

    r = results.unit("SNV")
    assert r.points["1.2"] is None and r.maxima["1.2"] is None
    assert (r.maxima["1"], r.points["1"]) == (d("10"), d("10.00"))
    assert (r.total, r.max, r.index) == (d("90.00"), d("90"), d("100.00"))
    assert [(f.code, f.node) for f in results.findings] == [("W003", "1.2")]
    assert "mẫu số bằng 0, nút không được tính" in results.findings[0].message


EXEMPTIBLE_ONLY = loads_methodology("""\
format: parindex/methodology@1
id: mien-tru
title: "Chỉ có một lĩnh vực, được miễn"
year: 2026
status: sample
unit_types: [department]
max_points: 1
classes: [{code: A, label: "Đạt", min: 0}]
nodes:
  - code: "1"
    title: "Lĩnh vực có thể miễn"
    max: 1
    exemptible: true
    children:
      - {code: "1.1", title: "Tiêu chí", max: 1, rule: {type: boolean}}
""")


def test_a_unit_with_nothing_applicable_has_no_index_rank_or_class():
    results = compute(EXEMPTIBLE_ONLY, [unit("VP", exempt=frozenset({"1"}))], {})

    r = results.unit("VP")
    assert (r.total, r.max, r.index, r.rank, r.klass) == (0, 0, None, None, None)
    assert r.areas() == []
    assert [f.code for f in results.findings] == ["W004"]
    assert "không có tiêu chí nào áp dụng" in results.findings[0].message


# --- ranking -------------------------------------------------------------------------------


def manual_100(tail: str = ""):
    """One leaf worth 100 points scored directly, so that the points are the index."""
    return leaf_methodology("type: manual\n", max_points="100", tail=tail)


def ranks_of(methodology, scores: dict[str, tuple[str, str]]) -> dict[str, int | None]:
    units = [unit(code, group=group) for code, (group, _) in scores.items()]
    inputs = {code: {"1.1": {"value": d(v)}} for code, (_, v) in scores.items() if v}
    results = compute(methodology, units, inputs)
    return {r.unit.code: r.rank for r in results}


SCORES = {
    "S1": ("Sở", "90"),
    "S2": ("Sở", "80"),
    "S3": ("Sở", "80"),
    "S4": ("Sở", "70"),
    "T1": ("Trung ương", "50"),
    "T2": ("Trung ương", "95"),
}


def test_standard_ranking_within_groups_skips_after_ties():
    assert ranks_of(manual_100(), SCORES) == {
        "S1": 1,
        "S2": 2,
        "S3": 2,
        "S4": 4,
        "T1": 2,
        "T2": 1,
    }


def test_dense_ranking_within_groups_does_not_skip():
    m = manual_100("ranking: {method: dense}\n")

    assert ranks_of(m, SCORES) == {"S1": 1, "S2": 2, "S3": 2, "S4": 3, "T1": 2, "T2": 1}


def test_units_with_the_same_rounded_index_share_a_rank():
    m = leaf_methodology("type: manual\n", max_points="300")
    # 200,01 / 300 = 66,67 % and 200,02 / 300 = 66,6733… = 66,67 %: the same published index
    assert ranks_of(m, {"A": ("Sở", "200.01"), "B": ("Sở", "200.02")}) == {"A": 1, "B": 1}


def test_results_ranking_orders_by_group_rank_then_code():
    units = [unit("S2"), unit("S1"), unit("T1", group="Trung ương"), unit("S3")]
    inputs = {"S1": {"1.1": {"value": d("80")}}, "S2": {"1.1": {"value": d("80")}}}
    inputs["S3"] = {"1.1": {"value": d("90")}}
    inputs["T1"] = {"1.1": {"value": d("10")}}

    results = compute(manual_100(), units, inputs)

    assert [(r.unit.code, r.rank) for r in results.ranking()] == [
        ("S3", 1),
        ("S1", 2),
        ("S2", 2),
        ("T1", 1),
    ]
    assert [r.unit.code for r in results] == ["S2", "S1", "T1", "S3"]  # input order kept


def test_results_lookup_by_unit_and_node():
    results = compute(manual_100(), [unit("S1")], {})

    assert results.node("1.1").title == "Tiêu chí 1.1"
    with pytest.raises(KeyError, match="không có đơn vị 'XX' trong kết quả"):
        results.unit("XX")


def test_rank_within_group_leaves_units_without_index_unranked():
    entries = [("A", "g", d("1")), ("B", "g", None), ("C", "g", d("2"))]

    assert rank_within_group(entries) == {"A": 2, "B": None, "C": 1}


def test_rank_within_group_rejects_an_unknown_method():
    with pytest.raises(ValueError, match="cách xếp hạng 'olympic' không có"):
        rank_within_group([], "olympic")


# --- classes on the rounded index ----------------------------------------------------------

CLASSES = (
    "classes:\n"
    '  - {code: A, label: "Xuất sắc", min: 90}\n'
    '  - {code: B, label: "Tốt", min: 80}\n'
    '  - {code: E, label: "Yếu", min: 0}\n'
)


@pytest.mark.parametrize(
    ("mode", "points", "index", "klass"),
    [
        ("half_up", "179.99", "90.00", "A"),  # 179,99 / 200 = 89,995 → 90,00
        ("half_up", "179.98", "89.99", "B"),
        ("half_up", "180", "90.00", "A"),
        ("half_up", "159.99", "80.00", "B"),  # 79,995 → 80,00
        ("half_up", "159.98", "79.99", "E"),
        ("half_even", "179.99", "90.00", "A"),  # 89,995: 9 is odd → 90,00
        ("half_even", "179.97", "89.98", "B"),  # 89,985: 8 is even → 89,98
        ("half_up", "179.97", "89.99", "B"),  # 89,985 → 89,99
    ],
)
def test_class_follows_the_rounded_index_at_the_boundaries(mode, points, index, klass):
    tail = f"rounding: {{mode: {mode}}}\n" + CLASSES
    m = leaf_methodology("type: manual\n", max_points="200", tail=tail)

    r = one(m, unit("SNV"), {"1.1": {"value": d(points)}})

    assert (r.index, r.klass.code) == (d(index), klass)


def test_without_classes_there_is_no_class():
    r = one(manual_100(), unit("SNV"), {"1.1": {"value": d("95")}})

    assert r.klass is None


# --- lost points ---------------------------------------------------------------------------

WEAK = {
    "1.1": {"value": "late"},  # 5 of 10
    "1.2": {"numerator": d("3"), "denominator": d("4")},  # 75 % → 5 of 10
    "2.1": {"value": False},  # 0 of 9
    "3.1": {"value": d("45.5")},  # 45,5 of 60
    "3.2": {"count": d("2")},  # 9 of 11
    "5.1": {"count": d("1")},  # penalty: not "lost points"
}


def test_lost_points_per_leaf_largest_first():
    r = one(SO, unit("SNV"), WEAK)

    assert [(lp.code, lp.lost) for lp in r.lost_points()] == [
        ("3.1", d("14.50")),
        ("2.1", d("9.00")),
        ("1.1", d("5.00")),
        ("1.2", d("5.00")),
        ("3.2", d("2.00")),
    ]
    first = r.lost_points()[0]
    assert (first.title, first.max, first.points) == ("Chấm trực tiếp", d("60"), d("45.50"))


def test_lost_points_including_areas_and_criteria():
    r = one(SO, unit("SNV"), WEAK)

    assert [(lp.code, lp.lost) for lp in r.lost_points(leaves_only=False)] == [
        ("3", d("16.50")),
        ("3.1", d("14.50")),
        ("1", d("10.00")),
        ("2", d("9.00")),
        ("2.1", d("9.00")),
        ("1.1", d("5.00")),
        ("1.2", d("5.00")),
        ("3.2", d("2.00")),
    ]


def test_lost_points_leave_out_full_marks_and_nodes_that_do_not_apply():
    values = full_marks(**{"2.1": None, "3.1": {"value": d("50")}})

    r = one(SO, unit("VP", exempt=frozenset({"2"})), values)

    assert [(lp.code, lp.lost) for lp in r.lost_points()] == [("3.1", d("10.00"))]


# --- traces --------------------------------------------------------------------------------


def test_explain_a_unit_total_index_class_and_rank():
    u = unit("SNV")
    results = compute(SO, [u, unit("STP")], {"SNV": WEAK})

    trace = explain(SO, u, WEAK, results=results)

    # 10 + 0 + 54,5 + 0 − 1 = 63,5
    assert trace.title == "SNV — Đơn vị SNV"
    assert (trace.points, trace.max, trace.percent) == (d("63.50"), d("100"), d("63.50"))
    assert trace.steps == [
        "Tổng điểm = 1: 10,00 + 2: 0,00 + 3: 54,50 + 4: 0,00 + 5: -1,00 = 63,50",
        "Điểm tối đa = 100,00",
        "Chỉ số = 63,50 / 100,00 × 100 = 63,50 % (làm tròn 2 chữ số, half_up)",
        "Xếp loại Trung bình (D): chỉ số ≥ 50",
        "Hạng 1 trong khối Sở (cùng chỉ số thì cùng hạng)",
    ]
    assert [(c.code, c.steps) for c in trace.children] == [
        ("1", ["Chỉ số thành phần = 10,00 / 20,00 × 100 = 50,00 %"]),
        ("2", ["Chỉ số thành phần = 0,00 / 9,00 × 100 = 0,00 %"]),
        ("3", ["Chỉ số thành phần = 54,50 / 71,00 × 100 = 76,76 %"]),  # 76,760…
        ("4", ["Điểm thưởng: cộng vào tổng điểm, không tính vào điểm tối đa"]),
        ("5", ["Điểm trừ: trừ vào tổng điểm, không tính vào điểm tối đa"]),
    ]


def test_explain_an_exempted_unit_names_the_applicable_maximum():
    u = unit("VP", exempt=frozenset({"2"}))
    values = full_marks(**{"2.1": None})

    trace = explain(SO, u, values)  # without the period's results: no rank

    assert trace.steps == [
        "Tổng điểm = 1: 20,00 + 3: 71,00 + 4: 0,00 + 5: 0,00 = 91,00",
        "Điểm tối đa áp dụng = 91,00 (bộ tiêu chí 100,00, không tính các nút không áp dụng"
        " hoặc được miễn: 2)",
        "Chỉ số = 91,00 / 91,00 × 100 = 100,00 % (làm tròn 2 chữ số, half_up)",
        "Xếp loại Xuất sắc (A): chỉ số ≥ 90",
    ]


def test_explain_an_area_shows_the_sum_the_rules_and_the_thresholds_hit():
    trace = explain(SO, unit("SNV"), WEAK, node="1")

    assert (trace.code, trace.points, trace.max, trace.percent) == (
        "1",
        d("10.00"),
        d("20"),
        d("50.00"),
    )
    assert trace.steps == ["Tổng các nút con áp dụng = 1.1: 5,00 + 1.2: 5,00 = 10,00"]
    choice, ratio = trace.children
    assert choice.steps == [
        "Quy tắc: chọn phương án (Đúng thời hạn: 10; Chậm: 5; Không ban hành: 0)",
        "Phương án 'late' (Chậm) → 5",
    ]
    assert ratio.steps == [
        "Quy tắc: theo khoảng tỷ lệ % (< 70: 0; ≥ 70 và < 90: 5; ≥ 90: 10)",
        "Tỷ lệ = 3 / 4 × 100 = 75,0000 %",
        "Thuộc khoảng ≥ 70 và < 90 → 5",
    ]


def test_explain_a_leaf_shows_the_rounding():
    m = leaf_methodology("type: survey\nsource: sipas\n", max_points="3")

    trace = explain(m, unit("SNV"), {"1.1": {"index": d("87.5")}}, node="1.1")

    assert (trace.points, trace.max, trace.percent) == (d("2.63"), d("3"), d("87.67"))
    assert trace.steps == [
        "Quy tắc: điểm tối đa × chỉ số khảo sát 'sipas' (không tự chấm)",
        "Điểm = 3 × 87,5 % (chỉ số khảo sát sipas)",
        "Làm tròn 2,625000 → 2,63",
    ]


def test_explain_a_missing_leaf():
    trace = explain(SO, unit("SNV"), {}, node="2.1")

    assert trace.points == 0
    assert trace.steps[-1] == "Thiếu dữ liệu (value) → 0 điểm"


@pytest.mark.parametrize(
    ("u", "node", "why"),
    [
        (unit("VP", exempt=frozenset({"2"})), "2.1", "Không tính: đơn vị được miễn nút 2"),
        (
            unit("KBNN", type="central_agency"),
            "3.2",
            "Không tính: nút 3.2 không áp dụng cho loại đơn vị central_agency",
        ),
    ],
)
def test_explain_says_why_a_node_does_not_count(u, node, why):
    trace = explain(SO, u, {}, node=node)

    assert (trace.points, trace.max) == (None, None)
    assert trace.steps == [why]


def test_format_trace_is_indented_text():
    trace = explain(SO, unit("SNV"), WEAK, node="1")

    assert format_trace(trace).splitlines() == [
        "1 Công tác chỉ đạo, điều hành: 10,00 / 20,00 (50,00 %)",
        "  · Tổng các nút con áp dụng = 1.1: 5,00 + 1.2: 5,00 = 10,00",
        "  1.1 Ban hành kế hoạch: 5,00 / 10,00 (50,00 %)",
        "    · Quy tắc: chọn phương án (Đúng thời hạn: 10; Chậm: 5; Không ban hành: 0)",
        "    · Phương án 'late' (Chậm) → 5",
        "  1.2 Tỷ lệ hoàn thành nhiệm vụ: 5,00 / 10,00 (50,00 %)",
        "    · Quy tắc: theo khoảng tỷ lệ % (< 70: 0; ≥ 70 và < 90: 5; ≥ 90: 10)",
        "    · Tỷ lệ = 3 / 4 × 100 = 75,0000 %",
        "    · Thuộc khoảng ≥ 70 và < 90 → 5",
    ]


def test_format_trace_of_a_node_that_does_not_count():
    trace = explain(SO, unit("VP", exempt=frozenset({"2"})), {}, node="2")

    assert format_trace(trace, indent="    ") == (
        "2 Cải cách thủ tục hành chính: không tính\n    · Không tính: đơn vị được miễn nút 2"
    )


# --- published figures --------------------------------------------------------------------


def test_w101_components_that_do_not_add_up_to_the_total():
    row = PublishedRow("SNV", d("31"), components={"1": d("10"), "2": d("20")}, line=5)

    [finding] = check_published([row])

    assert (finding.code, finding.unit) == ("W101", "SNV")
    assert finding.message == (
        "dòng 5: đơn vị SNV: tổng các thành phần 1: 10 + 2: 20 = 30, khác tổng điểm công bố 31"
    )


def test_components_may_differ_by_their_own_rounding():
    # three components rounded to 2 decimals may be off by 3 × 0,005 = 0,015 together
    row = PublishedRow("SNV", d("30.01"), components={"1": d("10"), "2": d("10"), "3": d("10")})

    assert check_published([row]) == []
    assert check_published([row], tolerance=d("0.001"))[0].code == "W101"


def test_w102_index_that_is_not_total_over_maximum():
    row = PublishedRow("VP", d("81"), max=d("91"), index=d("89.10"))

    [finding] = check_published([row])

    assert finding.code == "W102"
    assert finding.message == "đơn vị VP: chỉ số công bố 89,10 khác 81 / 91 × 100 = 89,01"


def test_published_index_within_one_step_is_accepted():
    assert check_published([PublishedRow("VP", d("81"), max=d("91"), index=d("89.02"))]) == []


def test_w103_ranks_out_of_order_within_a_group():
    rows = [
        PublishedRow("SNV", d("80"), group="Sở", index=d("80.00"), rank=1),
        PublishedRow("STP", d("85"), group="Sở", index=d("85.00"), rank=2),
        PublishedRow("KBNN", d("99"), group="Trung ương", index=d("99.00"), rank=1),
    ]

    [finding] = check_published(rows)

    assert (finding.code, finding.unit) == ("W103", "STP")
    assert finding.message == (
        "hạng không theo thứ tự điểm: SNV hạng 1 (80,00) nhưng STP hạng 2 (85,00)"
    )


def test_w103_same_rank_with_different_totals():
    rows = [
        PublishedRow("SNV", d("80"), rank=1),
        PublishedRow("STP", d("79"), rank=1),
        PublishedRow("SYT", d("70"), rank=3),
    ]

    assert [(f.code, f.unit) for f in check_published(rows)] == [("W103", "STP")]


# --- Vietnamese numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        ("59.2703", None, "59,2703"),
        ("1234.5", None, "1.234,5"),
        ("1234567", None, "1.234.567"),
        ("-1234.5", None, "-1.234,5"),
        ("-0.5", None, "-0,5"),
        ("0", None, "0"),
        ("100", 2, "100,00"),
        ("2.675", 2, "2,68"),
    ],
)
def test_format_vn(value, decimals, text):
    assert format_vn(Decimal(value), decimals) == text


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0,5", "0.5"),
        ("0.5", "0.5"),
        (" 12 ", "12"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("95%", "95"),
        ("-3", "-3"),
        (3, "3"),
        (0.1, "0.1"),
        (Decimal("2.50"), "2.50"),
    ],
)
def test_parse_decimal_accepts_what_people_write(raw, value):
    parsed = parse_decimal(raw)

    assert parsed == Decimal(value)
    assert isinstance(parsed, Decimal)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (True, "giá trị có/không không phải là số"),
        ("abc", "'abc' không phải là số"),
        ("", "'' không phải là số"),
        ("1,2,3", "'1,2,3' không phải là số"),
        ("Infinity", "không phải là số hữu hạn"),
        (Decimal("NaN"), "không phải là số hữu hạn"),
    ],
)
def test_parse_decimal_errors_are_in_vietnamese(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_decimal(raw)


def test_quantize_uses_the_methodology_mode():
    assert quantize(d("0.125"), 2) == d("0.13")
    assert quantize(d("0.125"), 2, "half_even") == d("0.12")
    assert quantize(d("59.27027"), 4) == d("59.2703")


# --- the engine's other routes -------------------------------------------------------------


def test_a_ratio_with_only_one_of_its_two_numbers_counts_as_missing():
    values = full_marks(**{"1.2": {"numerator": d("9")}})

    r = one(SO, unit("SNV"), values)

    assert (r.points["1.2"], r.status) == (0, {"1.2": "missing"})


def test_a_proportional_ratio_with_one_number_missing_counts_as_missing():
    m = leaf_methodology("type: proportional\nmeasure: ratio\n", max_points="2")

    r = one(m, unit("SNV"), {"1.1": {"denominator": d("4")}})

    assert (r.points["1.1"], r.status) == (0, {"1.1": "missing"})


def test_a_formula_of_two_yes_no_inputs_for_many_units():
    inputs = (
        "inputs:\n"
        '  plan: {label: "Có kế hoạch", type: boolean}\n'
        '  report: {label: "Có báo cáo", type: boolean}\n'
    )
    nodes = leaf_nodes(
        'type: formula\nexpression: "max_points * (plan + report) / 2"\n',
        max_points="2",
        before_rule=inputs,
    )
    m = loads_methodology(methodology_yaml(nodes, max_points="2"))
    answers = {"A": (True, True), "B": (True, False), "C": (False, False), "D": (True, True)}
    units = [unit(code) for code in answers]
    values = {c: {"1.1": {"plan": p, "report": r}} for c, (p, r) in answers.items()}
    values["E"] = {"1.1": {"plan": True}}  # report missing
    units.append(unit("E"))

    results = compute(m, units, values)

    assert {r.unit.code: r.points["1.1"] for r in results} == {
        "A": d("2.00"),
        "B": d("1.00"),
        "C": d("0.00"),
        "D": d("2.00"),
        "E": d("0"),
    }
    assert results.unit("E").status == {"1.1": "missing"}


def test_points_and_maxima_read_like_dictionaries_of_every_node():
    r = one(SO, unit("KBNN", type="central_agency"), full_marks())

    codes = [n.code for n in SO.walk()]
    assert list(r.points) == codes and len(r.points) == len(codes)
    assert list(r.maxima) == codes
    assert dict(r.maxima)["3.2"] is None
    assert dict(r.points)["3.1"] == d("60.00")
    assert "'3.2': None" in repr(r.maxima)  # readable when debugging


CRITERION_FOR_DEPARTMENTS = loads_methodology("""\
format: parindex/methodology@1
id: chi-cho-so
title: "Một tiêu chí chỉ gồm các nội dung cho sở"
year: 2026
status: sample
unit_types: [department, central_agency]
max_points: 2
nodes:
  - code: "1"
    title: "Lĩnh vực"
    max: 2
    children:
      - code: "1.1"
        title: "Cho mọi đơn vị"
        max: 1
        children:
          - {code: "1.1.1", title: "Chung", max: 1, rule: {type: boolean}}
      - code: "1.2"
        title: "Chỉ các nội dung cho sở"
        max: 1
        children:
          - {code: "1.2.1", title: "Riêng", max: 1, applies_to: [department], rule: {type: boolean}}
""")


def test_a_criterion_whose_children_all_do_not_apply_does_not_count():
    u = unit("KBNN", type="central_agency")

    r = one(CRITERION_FOR_DEPARTMENTS, u, {"1.1.1": {"value": True}})
    trace = explain(CRITERION_FOR_DEPARTMENTS, u, {}, node="1.2")

    assert (r.points["1.2"], r.maxima["1.2"], r.max, r.index) == (None, None, d("1"), d("100.00"))
    assert trace.steps == ["Không tính: không có nút con nào áp dụng"]


def test_an_issue_prints_as_one_line():
    issue = Issue("I028", "giá trị sai", "dau-vao.csv", 7, "value", "1.1")

    assert str(issue) == "dau-vao.csv:7: I028: [cột value] [nút 1.1] giá trị sai"
    assert str(Issue("I010", "tệp rỗng")) == "<dữ liệu>: I010: tệp rỗng"


def test_plain_numbers_for_machines():
    assert plain(d("59.27027"), 2) == "59.27"
    assert plain(d("100"), 2) == "100.00"


# --- published tables read from rows ---------------------------------------------------------


def test_parse_published_reads_components_and_keeps_zero_parts():
    from parindex.core import parse_published

    rows = parse_published(
        [(2, {"code": "A", "group": "K", "total": "5", "rank": "1", "area_1": "0", "area_2": "5"})]
    )

    assert rows[0].components == {"1": Decimal("0"), "2": Decimal("5")}
    assert rows[0].rank == 1 and rows[0].line == 2
    assert check_published(rows) == []


@pytest.mark.parametrize("text", ["1e999999", "1000000000000000", "-1E+20"])
def test_parse_decimal_refuses_absurdly_large_numbers(text):
    with pytest.raises(ValueError, match="quá lớn"):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["9.097", "1.000", "12.345.678", "-1.000"])
def test_dotted_thousands_are_ambiguous_and_refused(text):
    # 9.097 is 9097 written the Vietnamese way and 9.097 the English way: never guessed.
    with pytest.raises(ValueError, match="không rõ là số nguyên"):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "value"), [("9,097", "9.097"), ("9097", "9097"), ("0.500", "0.5")]
)
def test_unambiguous_numbers_still_parse(text, value):
    assert parse_decimal(text) == Decimal(value)


def test_parse_decimal_refuses_more_than_ten_decimals():
    with pytest.raises(ValueError, match="quá 10 chữ số thập phân"):
        parse_decimal("1e-999999")
