"""Indices against values computed independently here, and against hand-checked cases.

The reference below works from the table of responses in ``responses_data.RESPONSES`` with
plain loops: a share is satisfied answers over valid answers, its interval Wilson's with z
from the normal table, a mean the average of the 0/100 scores with Student's t from the
printed table; a group is the weighted mean of its parts, bounds included (the documented
rule); a unit 0.4 × access + 0.6 × procedures. It shares no code with the module.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.core import quantize
from parindex.core.survey import (
    OVERALL,
    InstrumentError,
    SurveyResults,
    compute_indices,
    index_value,
    load_shipped_instrument,
    loads_instrument,
    read_responses,
)
from parindex.core.survey.tdist import t_quantile

from .builders import survey_methodology
from .responses_data import KOBO, QUESTIONS, RESPONSES, instrument, read_csv, table

Z = 1.959964  # Φ⁻¹(0.975), normal table
T975 = {1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 10: 2.2281, 11: 2.2010}  # t table
TOLERANCE = 0.011  # 2-decimal rounding (0.005) + the 4-decimal t table (≤ 0.005 here)
GROUPS = {"tiep_can": ("A1", "A2"), "thu_tuc": ("B1", "B2", "C1")}
GROUP_WEIGHTS = {"tiep_can": 0.4, "thu_tuc": 0.6}


# --- reference --------------------------------------------------------------------------------


def wilson(p: float, n: float) -> tuple[float, float]:
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def question_reference(answers: list[str]) -> dict[str, float | None]:
    """Share and mean (per cent) of one question's answers, with 95 % intervals."""
    valid = [a for a in answers if a in ("1", "2", "3", "4", "5")]
    n = len(valid)
    if not n:
        return {"n": 0, "share": None, "low": None, "high": None, "mean_low": None}
    scores = [100.0 if a in ("4", "5") else 0.0 for a in valid]
    p = scores.count(100.0) / n
    low, high = wilson(p, n)
    mean = sum(scores) / n
    mean_low = mean_high = None
    if n > 1:
        variance = sum((x - mean) ** 2 for x in scores) / (n - 1)
        half = T975[n - 1] * math.sqrt(variance / n)
        mean_low, mean_high = mean - half, mean + half
    return {
        "n": n,
        "share": 100 * p,
        "low": 100 * low,
        "high": 100 * high,
        "mean": mean,
        "mean_low": mean_low,
        "mean_high": mean_high,
    }


def blend(parts: list[tuple[dict[str, float | None], float]]) -> dict[str, float | None]:
    """Weighted mean of the parts that have answers; bounds only if all of those have them."""
    used = [(r, w) for r, w in parts if r["n"]]
    if not used:
        return {"n": 0, "share": None, "low": None, "high": None, "mean_low": None}
    total = sum(w for _, w in used)
    out: dict[str, float | None] = {"n": min(r["n"] for r, _ in used)}
    for key in ("share", "low", "high", "mean", "mean_low", "mean_high"):
        values = [r[key] for r, _ in used]
        none = any(v is None for v in values)
        out[key] = None if none else sum(w * r[key] for r, w in used) / total
    return out


def unit_reference(rows) -> dict[str, dict[str, float | None]]:
    """Every question, group and the unit index of some rows of RESPONSES."""
    out = {}
    for q in QUESTIONS:
        column = 3 + QUESTIONS.index(q)
        asked = [r for r in rows if q != "C1" or r[1] == "2"]  # C1: organisations only
        out[q] = question_reference([r[column] for r in asked])
    for g, questions in GROUPS.items():
        out[g] = blend([(out[q], 1.0) for q in questions])
    out["index"] = blend([(out[g], w) for g, w in GROUP_WEIGHTS.items()])
    return out


def close(got: Decimal | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(float(got) - want) <= TOLERANCE


def assert_estimate(estimate, reference, what):
    pairs = {
        "share": (estimate.share, reference["share"]),
        "share_low": (estimate.share_low, reference["low"]),
        "share_high": (estimate.share_high, reference["high"]),
        "mean": (estimate.mean, reference.get("mean")),
        "mean_low": (estimate.mean_low, reference["mean_low"]),
        "mean_high": (estimate.mean_high, reference.get("mean_high")),
    }
    wrong = {k: v for k, v in pairs.items() if not close(*v)}
    assert not wrong, f"{what}: {wrong}"
    assert estimate.n == reference["n"], what


@pytest.fixture(scope="module")
def results() -> SurveyResults:
    return compute_indices(instrument(), read_csv(KOBO))


# --- golden: every unit, question, group, the province ----------------------------------------


@pytest.mark.parametrize("unit", ["SNV", "STP", "SYT", OVERALL])
def test_indices_match_the_reference(results, unit):
    rows = [r for r in RESPONSES if unit in (OVERALL, r[0])]
    reference = unit_reference(rows)
    got = results.overall if unit == OVERALL else results.units[unit]

    for q in QUESTIONS:
        assert_estimate(got.questions[q], reference[q], f"{unit} {q}")
    for g in GROUPS:
        assert_estimate(got.groups[g], reference[g], f"{unit} {g}")
    assert_estimate(got.index, reference["index"], f"{unit} index")
    assert got.n == len(rows)
    assert index_value(got.index) == got.index.share


def test_hand_checked_question_snv_a1(results):
    # SNV answered A1 with 5, 4, 3 and 9 (no answer): 3 valid answers, 2 satisfied (4, 5).
    # Share 2/3 = 66.67 %. Wilson, n = 3, z = 1.96: centre (2/3 + 0.6403) / 2.2805 = 0.5731,
    # half-width 1.96 × √(0.0741 + 0.1067) / 2.2805 = 0.3654 → [20.77 %; 93.85 %].
    # Scores 100, 100, 0: mean 66.67, s = 57.74, SE = 33.33, t(0.975, 2) = 4.3027 → ± 143.42.
    e = results.units["SNV"].questions["A1"]

    assert (e.n, e.share, e.share_low, e.share_high) == (
        3,
        Decimal("66.67"),
        Decimal("20.77"),
        Decimal("93.85"),
    )
    assert (e.mean, e.mean_low, e.mean_high) == (
        Decimal("66.67"),
        Decimal("-76.76"),
        Decimal("210.09"),
    )


def test_hand_checked_group_and_unit_syt(results):
    # SYT, access: A1 4, 5, 4, 3 → 3/4 = 75 %; A2 4, 4, 3, 4 → 75 %: the group is 75 %.
    # Procedures: B1 4, 5, 4, 5 → 100 %; B2 9, 5, 4, 4 → 3/3 = 100 %; C1 (the organisation) 3
    # → 0 %: (100 + 100 + 0) / 3 = 66.67 %. Unit: 0.4 × 75 + 0.6 × 66.67 = 70 %.
    u = results.units["SYT"]

    assert u.groups["tiep_can"].share == Decimal("75.00")
    assert u.groups["thu_tuc"].share == Decimal("66.67")
    assert u.index.share == Decimal("70.00")
    assert u.groups["thu_tuc"].n == 1  # the weakest part: C1 has one answer
    assert u.respondents == {"citizen": 3, "organization": 1}


def test_a_question_with_one_answer_has_no_mean_interval_and_neither_has_its_group(results):
    c1 = results.units["SNV"].questions["C1"]

    assert (c1.n, c1.share, c1.mean, c1.mean_low) == (1, Decimal("100.00"), Decimal("100.00"), None)
    assert c1.share_low is not None  # Wilson needs no spread
    assert results.units["SNV"].groups["thu_tuc"].mean_low is None


# --- weights ----------------------------------------------------------------------------------


def test_hand_checked_weighted_share():
    # A1: 5 (weight 2), 4 (weight 1), 2 (weight 1): satisfied weight 3 of 4 → 75 %;
    # Kish n_eff = 4² / (4 + 1 + 1) = 2.67; Wilson with n = 2.67 → [23.85 %; 96.64 %].
    header = ["unit", "weight", "P1", "A1"]
    rows = table(header, ["U", "2", "1", "5"], ["U", "1", "1", "4"], ["U", "1", "1", "2"])

    e = compute_indices(instrument(), read_responses(rows, instrument())).units["U"].questions["A1"]

    assert (e.share, e.share_low, e.share_high, e.n_eff) == (
        Decimal("75.00"),
        Decimal("23.85"),
        Decimal("96.64"),
        Decimal("2.67"),
    )
    assert e.mean == Decimal("75.00")


WEIGHTED = [  # unit, weight, P1, A1, A2, B1
    ("U", "1.5", "1", "5", "4", "2"),
    ("U", "0.5", "1", "3", "4", "4"),
    ("U", "2", "2", "4", "1", "5"),
    ("U", "1", "1", "1", "9", "3"),
    ("V", "3", "1", "4", "5", "5"),
    ("V", "1", "2", "2", "2", ""),
]


def weighted_reference(answers: list[tuple[str, float]]) -> dict[str, float | None]:
    """Weighted share and mean with Kish's n_eff, from the plain formulas."""
    valid = [(a, w) for a, w in answers if a in ("1", "2", "3", "4", "5")]
    total = sum(w for _, w in valid)
    squares = sum(w * w for _, w in valid)
    n_eff = total * total / squares
    scores = [(100.0 if a in ("4", "5") else 0.0, w) for a, w in valid]
    p = sum(w for x, w in scores if x) / total
    low, high = wilson(p, n_eff)
    mean = sum(w * x for x, w in scores) / total
    variance = sum(w * (x - mean) ** 2 for x, w in scores) / total  # population form
    bounds: tuple[float | None, float | None] = (None, None)
    if len(valid) > 1:  # one answer: no spread to estimate
        half = t_quantile(0.975, n_eff - 1) * math.sqrt(variance / (n_eff - 1))
        bounds = (mean - half, mean + half)
    return {
        "n": len(valid),
        "share": 100 * p,
        "low": 100 * low,
        "high": 100 * high,
        "mean": mean,
        "mean_low": bounds[0],
        "mean_high": bounds[1],
    }


def test_weighted_indices_match_the_reference_per_unit_and_pooled():
    header = ["unit", "trong_so", "P1", "A1", "A2", "B1"]
    results = compute_indices(instrument(), read_responses(table(header, *WEIGHTED), instrument()))

    for unit in ("U", "V", OVERALL):
        rows = [r for r in WEIGHTED if unit in (OVERALL, r[0])]
        got = results.overall if unit == OVERALL else results.units[unit]
        for q, column in (("A1", 3), ("A2", 4), ("B1", 5)):
            reference = weighted_reference([(r[column], float(r[1])) for r in rows])
            assert_estimate(got.questions[q], reference, f"{unit} {q}")


def test_scaling_every_weight_changes_no_index():
    header = ["unit", "trong_so", "P1", "A1", "A2", "B1"]
    scaled = [(u, str(float(w) * 7), *rest) for u, w, *rest in WEIGHTED]
    a = compute_indices(instrument(), read_responses(table(header, *WEIGHTED), instrument()))
    b = compute_indices(instrument(), read_responses(table(header, *scaled), instrument()))

    assert a.units == b.units
    assert a.overall == b.overall


# --- survey leaves ----------------------------------------------------------------------------

SURVEY = "{type: survey, source: sipas}"


def test_leaf_indices_and_points_follow_the_mappings(results):
    m = survey_methodology(("1.1", SURVEY), ("1.2", SURVEY))

    indices = results.leaf_indices(m)
    points = results.leaf_points(m)

    for unit, u in results.units.items():
        assert indices[unit] == {
            "1.1": u.groups["tiep_can"].share,
            "1.2": u.groups["thu_tuc"].share,
        }
        for leaf, value in indices[unit].items():  # 10 points × index / 100
            assert points[unit][leaf] == quantize(10 * value / 100, 2)
    assert indices["SYT"] == {"1.1": Decimal("75.00"), "1.2": Decimal("66.67")}
    assert points["SYT"] == {"1.1": Decimal("7.50"), "1.2": Decimal("6.67")}
    assert results.overall_leaf_indices(m) == {
        "1.1": results.overall.groups["tiep_can"].share,
        "1.2": results.overall.groups["thu_tuc"].share,
    }


def test_a_methodology_the_mappings_do_not_fit_is_refused(results):
    m = survey_methodology(("1.1", SURVEY))  # no leaf 1.2

    with pytest.raises(InstrumentError) as caught:
        results.leaf_indices(m)

    assert [i.code for i in caught.value.issues] == ["S070"]


BY_RESPONDENT = """\
format: parindex/survey@1
id: theo-doi-tuong
title: Theo đối tượng
year: 2024
status: sample
respondent_types:
  - {code: citizen, label: "Người dân", answer: 1}
  - {code: organization, label: "Tổ chức", answer: 2}
respondent_question: P1
scales:
  - code: s
    options: [{code: 1, label: a}, {code: 2, label: b}, {code: 3, label: c}]
    satisfaction: {method: mean}
questions:
  - {code: P1, type: single, text: "Tư cách", options: [{code: 1, label: D}, {code: 2, label: T}]}
  - {code: Q1, type: scale, text: "Câu 1"}
  - {code: Q2, type: scale, text: "Câu 2"}
groups:
  - {code: g1, title: G1, weight: 0.5, questions: [Q1]}
  - {code: g2, title: G2, weight: 0.5, questions: [Q2]}
mappings:
  - leaves: [{leaf: "1.1", groups: [g1, g2]}]
  - methodology: rieng
    respondents: [organization]
    leaves: [{leaf: "1.1", groups: [g1, g2]}]
"""


def test_a_mean_scale_has_no_share_and_a_mapping_may_keep_one_respondent_type():
    ins = loads_instrument(BY_RESPONDENT)
    rows = table(
        ["unit", "P1", "Q1", "Q2"], ["U", "1", "3", "3"], ["U", "2", "1", "2"], ["U", "2", "2", "2"]
    )
    results = compute_indices(ins, read_responses(rows, ins))

    u = results.units["U"]
    # Scores: 1 → 0, 2 → 50, 3 → 100. Q1: (100 + 0 + 50) / 3 = 50; Q2: (100 + 50 + 50) / 3.
    assert (u.questions["Q1"].share, u.questions["Q1"].mean) == (None, Decimal("50.00"))
    assert u.index.share is None
    assert index_value(u.index) == Decimal("58.33")  # (50 + 66.67) / 2
    everyone = survey_methodology(("1.1", SURVEY))
    organisations = survey_methodology(("1.1", SURVEY), ident="rieng")
    assert results.leaf_indices(everyone) == {"U": {"1.1": Decimal("58.33")}}
    # Organisations only: Q1 (0 + 50) / 2 = 25, Q2 50 → 37.5.
    assert results.leaf_indices(organisations) == {"U": {"1.1": Decimal("37.50")}}


def test_a_group_mixing_share_and_mean_scales_is_a_mean():
    text = BY_RESPONDENT.replace(
        "questions:\n  - {code: P1",
        "  - code: t\n    options: [{code: 1, label: x}, {code: 2, label: y}]\n"
        "    satisfaction: {satisfied: [2]}\nquestions:\n  - {code: P1",
    ).replace(
        '{code: Q2, type: scale, text: "Câu 2"}', '{code: Q2, type: scale, scale: t, text: "C"}'
    )
    text = text.replace(
        '{code: Q1, type: scale, text: "Câu 1"}', '{code: Q1, type: scale, scale: s, text: "C"}'
    )
    text = text.replace("questions: [Q1]}", "questions: [Q1, Q2]}").replace(
        "  - {code: g2, title: G2, weight: 0.5, questions: [Q2]}\n", ""
    )
    text = text.replace("weight: 0.5, questions", "weight: 1, questions").replace(", g2]", "]")
    ins = loads_instrument(text)
    rows = table(["unit", "P1", "Q1", "Q2"], ["U", "1", "3", "2"], ["U", "2", "1", "1"])

    g1 = compute_indices(ins, read_responses(rows, ins)).units["U"].groups["g1"]

    # Q1 mean (100 + 0) / 2 = 50; Q2 share 1/2 = 50 % (mean 50): the group's mean is 50.
    assert (g1.share, g1.mean) == (None, Decimal("50.00"))


# --- samples and findings ---------------------------------------------------------------------


def test_the_sample_check_decides_who_can_be_ranked():
    responses = read_csv(KOBO)
    # N = 4 needs 4 / (1 + 4 × 0.0025) = 3.96 → 4 forms; N = 10 needs 10 / 1.025 → 10.
    results = compute_indices(
        instrument(),
        responses,
        populations={"SNV": 4, "STP": 10, "SXD": 50},
        margin=Decimal("0.05"),
    )

    snv, stp, syt, sxd = (results.units[u] for u in ("SNV", "STP", "SYT", "SXD"))
    assert (snv.sample.required, snv.sample.enough, snv.rankable) == (4, True, True)
    assert (stp.sample.required, stp.sample.enough, stp.rankable) == (10, False, False)
    assert (syt.sample.required, syt.sample.enough, syt.rankable) == (None, None, True)
    assert (sxd.n, sxd.rankable, sxd.index.share) == (0, False, None)  # no responses at all
    assert stp.sample.margin == Decimal("38.73")  # √(1/4 − 1/10) = 0.3873
    codes = [(f.code, f.message.split(":")[0]) for f in results.findings]
    assert codes == [
        ("R060", "đơn vị STP"),
        ("R060", "đơn vị SXD"),
        ("R062", "chưa có quy mô tổng thể của 1 đơn vị (SYT)"),
    ]
    assert "cần ít nhất 10 phiếu" in results.findings[0].message
    assert results.overall.sample.population is None  # SYT's population is unknown


def test_the_province_sample_adds_up_the_populations():
    results = compute_indices(
        instrument(), read_csv(KOBO), populations={"SNV": 4, "STP": 4, "SYT": 4}
    )

    assert (results.overall.sample.population, results.overall.sample.required) == (12, 12)
    assert results.findings == []


def test_a_group_without_any_answer_is_a_finding():
    rows = table(["unit", "P1", "A1", "A2", "B1", "B2", "C1"], ["U", "1", "4", "5", "", "9", ""])

    results = compute_indices(instrument(), read_responses(rows, instrument()))

    [finding] = results.findings
    assert finding.code == "R061"
    assert "nhóm thu_tuc" in finding.message
    assert results.units["U"].index.share == Decimal("100.00")  # the other group alone


def test_responses_of_another_instrument_are_refused():
    with pytest.raises(ValueError, match="sipas-2017"):
        compute_indices(load_shipped_instrument("sipas-2017"), read_csv(KOBO))


def test_results_without_responses_cannot_give_leaf_indices(results):
    bare = SurveyResults(results.instrument, results.units, results.overall, [])

    with pytest.raises(ValueError, match="responses"):
        bare.leaf_indices(survey_methodology(("1.1", SURVEY), ("1.2", SURVEY)))


# --- properties -------------------------------------------------------------------------------

ANSWER = st.sampled_from(["1", "2", "3", "4", "5", "9", ""])
ROW = st.tuples(st.sampled_from(["U", "V"]), st.sampled_from(["1", "2"]), *[ANSWER] * 5)


@settings(max_examples=60, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=25), st.randoms(use_true_random=False))
def test_indices_do_not_depend_on_row_order_and_stay_in_range(rows, rng):
    header = ["unit", "P1", *QUESTIONS]
    shuffled = list(rows)
    rng.shuffle(shuffled)

    a = compute_indices(instrument(), read_responses(table(header, *rows), instrument()))
    b = compute_indices(instrument(), read_responses(table(header, *shuffled), instrument()))

    assert a.units == b.units
    assert a.overall == b.overall
    for u in [a.overall, *a.units.values()]:
        for e in [u.index, *u.groups.values(), *u.questions.values()]:
            if e.share is not None:
                assert 0 <= e.share_low <= e.share <= e.share_high <= 100
