"""Survey statistics against textbook formulas, hand-checked cases and a plain reference.

The reference below is written independently of the module: two passes over a list of
answers (no running sums), Wilson and t intervals from the textbook formulas, z and t from
printed tables (4 decimals), so it can only agree with the module if both are right.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parindex.core.survey.sample import check_sample, required_sample_size
from parindex.core.survey.stats import (
    Estimate,
    ScoreAccumulator,
    Summary,
    average_units,
    combine,
    estimate,
    pool,
    summarize,
    wilson_interval,
)
from parindex.core.survey.tdist import t_quantile

D = Decimal
Z975 = 1.959964  # standard normal table, Φ⁻¹(0.975)
# Student t table, t(0.975, df), as printed in statistics textbooks.
T975 = {1: 12.7062, 2: 4.3027, 5: 2.5706, 10: 2.2281, 30: 2.0423, 100: 1.9840}

Answer = tuple[float, bool, float]  # score, satisfied, weight


# --- reference implementation -------------------------------------------------------------


def reference(answers: list[Answer], t: float) -> dict[str, float]:
    """Share, mean and their 95 % intervals the textbook way; ``t`` is t(0.975, n_eff − 1)."""
    total_w = total_w2 = satisfied_w = weighted_x = 0.0
    for score, satisfied, weight in answers:
        total_w += weight
        total_w2 += weight**2
        weighted_x += weight * score
        if satisfied:
            satisfied_w += weight
    n = total_w**2 / total_w2  # Kish; = len(answers) when every weight is 1
    p = satisfied_w / total_w
    centre = (p + Z975**2 / (2 * n)) / (1 + Z975**2 / n)
    half = Z975 / (1 + Z975**2 / n) * math.sqrt(p * (1 - p) / n + Z975**2 / (4 * n * n))
    mean = weighted_x / total_w
    squares = 0.0
    for score, _, weight in answers:  # second pass: deviations from the mean
        squares += weight * (score - mean) ** 2
    # Unbiased variance with reliability weights: Σw(x − x̄)² / (Σw − Σw²/Σw); with unit
    # weights that is Σ(x − x̄)² / (n − 1).
    variance = squares / (total_w - total_w2 / total_w)
    se = math.sqrt(variance / n)
    return {
        "n_eff": n,
        "share": p,
        "share_low": centre - half,
        "share_high": centre + half,
        "mean": mean,
        "mean_low": mean - t * se,
        "mean_high": mean + t * se,
    }


def accumulate(answers: list[Answer]) -> ScoreAccumulator:
    acc = ScoreAccumulator()
    for score, satisfied, weight in answers:
        acc.add(score, satisfied, weight)
    return acc


def assert_matches(summary: Summary, expected: dict[str, float], tol: float) -> None:
    for name, value in expected.items():
        assert getattr(summary, name) == pytest.approx(value, rel=1e-9, abs=tol), name


def scores_answers(scores: list[int], weights: list[float] | None = None) -> list[Answer]:
    """Scale 1–5, satisfied = 4 or 5 (an instrument's choice, here for the tests)."""
    weights = weights or [1.0] * len(scores)
    return [(float(x), x >= 4, w) for x, w in zip(scores, weights, strict=True)]


# --- golden: against the reference on random data -----------------------------------------

table_sizes = st.sampled_from(sorted(df + 1 for df in T975))


@st.composite
def unweighted(draw: st.DrawFn) -> list[Answer]:
    n = draw(table_sizes)
    return scores_answers(draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)))


@st.composite
def weighted(draw: st.DrawFn) -> list[Answer]:
    scores = draw(st.lists(st.integers(1, 5), min_size=2, max_size=60))
    weight = st.floats(0.1, 10.0, allow_nan=False)
    weights = draw(st.lists(weight, min_size=len(scores), max_size=len(scores)))
    return scores_answers(scores, weights)


@given(unweighted())
def test_unweighted_estimates_agree_with_the_textbook_and_the_t_table(answers):
    n = len(answers)
    expected = reference(answers, T975[n - 1])

    summary = summarize(accumulate(answers))

    assert summary.n == n
    # z and t tables have 6 and 4 decimals; scores are at most 4 apart, so SE ≤ 2.
    assert_matches(summary, expected, tol=2e-4)


@given(weighted())
def test_weighted_estimates_use_kish_n_eff_and_the_weighted_variance(answers):
    n_eff = sum(w for *_, w in answers) ** 2 / sum(w * w for *_, w in answers)
    assume(n_eff > 1.5)  # nearer 1 both variances cancel badly; see test_dominant_weight…
    expected = reference(answers, t_quantile(0.975, n_eff - 1))

    summary = summarize(accumulate(answers))

    assert_matches(summary, expected, tol=1e-5)


@given(weighted(), st.floats(0.01, 100.0))
def test_scaling_every_weight_changes_nothing(answers, factor):
    scaled = [(x, s, w * factor) for x, s, w in answers]

    assert_matches(summarize(accumulate(scaled)), vars_of(summarize(accumulate(answers))), 1e-9)


@given(weighted(), st.randoms(use_true_random=False))
def test_pooling_parts_in_any_order_equals_one_accumulator(answers, rnd):
    shuffled = answers[:]
    rnd.shuffle(shuffled)
    cut = rnd.randint(0, len(shuffled))

    pooled = pool([accumulate(shuffled[:cut]), accumulate(shuffled[cut:])])

    assert pooled.n == len(answers)
    assert_matches(summarize(pooled), vars_of(summarize(accumulate(answers))), 1e-9)


@given(unweighted())
def test_add_many_equals_add_one_by_one(answers):
    acc = ScoreAccumulator()
    acc.add_many([x for x, *_ in answers], [s for _, s, _ in answers])
    weighted_acc = ScoreAccumulator()
    weighted_acc.add_many(*zip(*answers, strict=True))

    assert summarize(acc) == summarize(weighted_acc) == summarize(accumulate(answers))


def shares(result: Estimate) -> tuple[Decimal | None, ...]:
    return result.share, result.share_low, result.share_high


def means(result: Estimate) -> tuple[Decimal | None, ...]:
    return result.mean, result.mean_low, result.mean_high


def vars_of(summary: Summary) -> dict[str, float]:
    return {k: v for k in Summary.__slots__ if isinstance(v := getattr(summary, k), float)}


# --- hand-checked cases -----------------------------------------------------------------


def test_wilson_45_satisfied_of_50():
    # p = 0.9, n = 50, z = 1.959964, z² = 3.841459.
    # denominator 1 + z²/n = 1.076829; centre (0.9 + z²/2n) / 1.076829 = 0.938415 / 1.076829
    # = 0.871461; half-width z·√(p(1−p)/n + z²/4n²) / 1.076829
    # = 1.959964 · √(0.0018 + 0.000384) / 1.076829 = 1.959964 · 0.046735 / 1.076829 = 0.085063
    # → [0.786398, 0.956524] = [78.64 %, 95.65 %].
    acc = accumulate(scores_answers([5] * 45 + [2] * 5))

    result = estimate(acc)

    assert (result.share, result.share_low, result.share_high) == (
        D("90.00"),
        D("78.64"),
        D("95.65"),
    )


def test_mean_of_one_to_five_with_the_t_table():
    # x̄ = 3, s² = (4 + 1 + 0 + 1 + 4) / 4 = 2.5, SE = √(2.5/5) = 0.707107,
    # t(0.975, 4) = 2.7764 (table) → ±1.963243 → [1.04, 4.96].
    # Share 2 of 5: denominator 1 + 3.841459/5 = 1.768292, centre (0.4 + 0.384146) / 1.768292
    # = 0.443448, half 1.959964 · √(0.048 + 0.038415) / 1.768292 = 0.325827 → [11.76, 76.93].
    result = estimate(accumulate(scores_answers([1, 2, 3, 4, 5])))

    assert result == Estimate(
        n=5,
        n_eff=D("5.00"),
        share=D("40.00"),
        share_low=D("11.76"),
        share_high=D("76.93"),
        mean=D("3.00"),
        mean_low=D("1.04"),
        mean_high=D("4.96"),
    )


def test_weighted_case_by_hand():
    # Scores 4, 5, 2, 1 with weights 3, 1, 1, 1: Σw = 6, Σw² = 12, n_eff = 36/12 = 3.
    # Satisfied weight 3 + 1 = 4 → p = 2/3; Wilson with n = 3: denominator 1 + 3.841459/3
    # = 2.280486, centre (0.666667 + 0.640243) / 2.280486 = 0.573084,
    # half 1.959964 · √(0.074074 + 0.106707) / 2.280486 = 0.365424 → [20.77 %, 93.85 %].
    # Mean Σwx/Σw = 20/6 = 3.3333; Σwx²/Σw = 78/6 = 13, v = 13 − 100/9 = 17/9,
    # SE = √(v / (n_eff − 1)) = √(17/18) = 0.971825; t(0.975, 2) = 4.302653 (exact for 2 df:
    # (2p − 1)/√(2p(1 − p)) = 0.95/√0.04875) → ±4.181491 → [−0.85, 7.51]: with three effective
    # answers the interval is wider than the 1–5 scale, and it is not clipped.
    answers = scores_answers([4, 5, 2, 1], [3.0, 1.0, 1.0, 1.0])

    result = estimate(accumulate(answers))

    assert result.n == 4 and result.n_eff == D("3.00")
    assert (result.share, result.share_low, result.share_high) == (
        D("66.67"),
        D("20.77"),
        D("93.85"),
    )
    assert (result.mean, result.mean_low, result.mean_high) == (D("3.33"), D("-0.85"), D("7.51"))


def test_one_answer_has_a_share_interval_but_no_mean_interval():
    # p = 1, n = 1: the Wilson bounds are [n/(n + z²), 1] = [1/4.841459, 1] = [20.65 %, 100 %].
    result = estimate(accumulate(scores_answers([5])))

    assert (result.share, result.share_low, result.share_high) == (
        D("100.00"),
        D("20.65"),
        D("100.00"),
    )
    assert (result.mean, result.mean_low, result.mean_high) == (D("5.00"), None, None)


def test_all_and_none_satisfied_stay_within_0_and_100():
    # n = 10: all satisfied → [10/13.841459, 1] = [72.25 %, 100 %]; none → [0, 27.75 %].
    every = estimate(accumulate(scores_answers([5] * 10)))
    none = estimate(accumulate(scores_answers([1] * 10)))

    assert (every.share_low, every.share_high) == (D("72.25"), D("100.00"))
    assert shares(none) == (D("0.00"), D("0.00"), D("27.75"))
    assert means(none) == (D("1.00"), D("1.00"), D("1.00"))


def test_all_missing_gives_none_not_an_error():
    empty = ScoreAccumulator()

    assert estimate(empty) == Estimate(n=0, n_eff=D("0.00"))
    assert empty.n_eff == 0.0
    assert combine([(summarize(empty), 1)]) == Summary(0, 0.0)
    assert pool([]).n == 0 and average_units([(empty, 1)]).n == 0


def test_dominant_weight_leaves_no_mean_interval():
    # n_eff = (10⁶ + 1)² / (10¹² + 1) ≈ 1 + 2·10⁻⁶: the t quantile for 2·10⁻⁶ df is infinite.
    acc = accumulate([(5.0, True, 1e6), (1.0, False, 1.0)])
    tied = accumulate([(5.0, True, 1e20), (1.0, False, 1.0)])  # n_eff rounds to exactly 1

    for summary in (summarize(acc), summarize(tied)):
        assert summary.mean_low is None and summary.mean_high is None
        assert summary.share_low is not None and summary.mean is not None


def test_rounding_uses_the_shortest_repr_and_the_given_mode():
    # 2.675 as a float is 2.67499999…; its repr "2.675" is what a person typed or computed.
    summary = Summary(n=8, n_eff=8.0, share=0.125, mean=2.675)

    assert summary.rounded(2).mean == D("2.68")
    assert summary.rounded(1, "half_even").share == D("12.5")
    assert summary.rounded(0, "half_even").share == D("12")
    assert summary.rounded(4).n_eff == D("8.0000")


# --- combining ---------------------------------------------------------------------------


def test_group_index_is_the_weighted_mean_of_question_indices_and_bounds():
    # Q1 45/50 satisfied → 90 % [78.6398, 95.6524]; Q2 40/50 → 80 % [66.9629, 88.7562]
    # (Wilson as above with p = 0.8: centre 0.778596, half 0.108967). Weights 2 : 1:
    # share (2·90 + 80)/3 = 86.67; low (2·78.6398 + 66.9629)/3 = 74.75;
    # high (2·95.6524 + 88.7562)/3 = 93.35.
    q1 = summarize(accumulate(scores_answers([5] * 45 + [1] * 5)))
    q2 = summarize(accumulate(scores_answers([4] * 40 + [2] * 10)))

    group = combine([(q1, D("2")), (q2, D("1"))]).rounded(2)

    assert shares(group) == (D("86.67"), D("74.75"), D("93.35"))
    assert group.n == 50


def test_unanswered_questions_and_zero_weights_are_left_out():
    answered = summarize(accumulate(scores_answers([5, 4, 1])))
    one = summarize(accumulate(scores_answers([5])))  # no mean interval

    assert combine([(answered, 1), (summarize(ScoreAccumulator()), 5)]) == answered
    assert combine([(answered, 1), (one, 0)]) == answered
    # Weights are relative: the smallest float or a huge one is as good as 1.
    assert combine([(answered, 5e-324)]) == combine([(answered, 1e308)]) == answered
    share_only = Summary(n=3, n_eff=3.0, share=0.5)  # e.g. a published figure, no intervals
    assert combine([(share_only, 1)]) == share_only
    mixed = combine([(answered, 1), (one, 1)])
    assert mixed.n == 1 and mixed.mean == pytest.approx((10 / 3 + 5) / 2)
    assert mixed.mean_low is None and mixed.share_low is not None


@given(st.lists(st.tuples(weighted(), st.just(0.0) | st.floats(1e-3, 5.0)), min_size=1, max_size=5))
def test_combined_index_lies_between_its_parts(parts):
    summaries = [(summarize(accumulate(a)), w) for a, w in parts]

    result = combine(summaries)

    used = [s for s, w in summaries if w > 0]
    if not used:
        assert result == Summary(0, 0.0)
        return
    assert min(s.share for s in used) - 1e-12 <= result.share <= max(s.share for s in used) + 1e-12
    total = sum(w for _, w in summaries)
    assert result.mean == pytest.approx(sum(w * s.mean for s, w in summaries) / total)


def test_province_pooling_and_unit_averaging():
    # Unit A: 9 of 10 satisfied; unit B: 10 of 40. Pooled: 19/50 = 38 %.
    # Each unit counting equally: (90 % + 25 %)/2 = 57.5 %, n_eff = 1 / (½²/10 + ½²/40) = 32.
    unit_a = accumulate(scores_answers([5] * 9 + [1]))
    unit_b = accumulate(scores_answers([4] * 10 + [2] * 30))

    pooled = summarize(pool([unit_a, unit_b]))
    averaged = summarize(average_units([(unit_a, 1), (unit_b, D(1)), (ScoreAccumulator(), 1)]))

    assert pooled.share == pytest.approx(0.38) and pooled.n == 50
    assert averaged.share == pytest.approx(0.575) and averaged.n == 50
    assert averaged.n_eff == pytest.approx(32.0)
    assert averaged.share_low == pytest.approx(wilson_interval(0.575, 32.0)[0])


@given(st.lists(st.tuples(unweighted(), st.floats(0.1, 10.0)), min_size=1, max_size=4))
def test_unit_averaging_is_the_weighted_mean_of_unit_indices(units):
    accs = [(accumulate(a), w) for a, w in units]
    total = sum(w for _, w in accs)

    averaged = summarize(average_units(accs))

    expected = sum(w * summarize(acc).share for acc, w in accs) / total
    assert averaged.share == pytest.approx(expected)
    kish = 1 / sum((w / total) ** 2 / acc.n for acc, w in accs)
    assert averaged.n_eff == pytest.approx(kish)


# --- Student t quantile -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "df", "table"),
    [(0.975, df, t) for df, t in T975.items()]
    + [(0.975, 10**7, 1.9600), (0.95, 5, 2.0150), (0.995, 10, 3.1693), (0.9995, 3, 12.9240)]
    + [(0.975, 3, 3.1824), (0.975, 4, 2.7764), (0.975, 60, 2.0003), (0.975, 120, 1.9799)]
    + [(0.975, 1000, 1.9623)],
)
def test_t_quantile_matches_the_printed_table(p, df, table):
    assert round(t_quantile(p, df), 4) == table
    assert t_quantile(1 - p, df) == pytest.approx(-t_quantile(p, df), rel=1e-12)


@given(st.floats(1e-12, 1 - 1e-12))
def test_t_quantile_has_closed_forms_for_1_and_2_df(p):
    # Written with the tail q = min(p, 1 − p) (exact in floats) so the forms stay accurate.
    sign, q = (1, 1 - p) if p > 0.5 else (-1, p)
    exact_1 = sign / math.tan(math.pi * q)  # Cauchy
    exact_2 = sign * (1 - 2 * q) / math.sqrt(2 * q * (1 - q))
    assert t_quantile(p, 1) == pytest.approx(exact_1, rel=1e-9, abs=1e-12)
    assert t_quantile(p, 2) == pytest.approx(exact_2, rel=1e-9, abs=1e-12)


def integrate_density(t: float, df: float, steps: int = 2000) -> float:
    """∫₀ᵗ of the t density c·(1 + u²/df)^(−(df+1)/2), c = Γ((df+1)/2) / (√(df·π)·Γ(df/2)),
    by Simpson's rule after u = √df·sinh(v), which makes the integrand c·√df·cosh(v)^(−df)
    smooth for every df (the module uses the incomplete beta instead)."""
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    end = math.asinh(t / math.sqrt(df))
    h = end / steps
    total = 0.0
    for i in range(steps + 1):
        f = math.exp(log_c - df * math.log(math.cosh(i * h))) * math.sqrt(df)
        total += f * (1 if i in (0, steps) else 4 if i % 2 else 2)
    return total * h / 3


@settings(max_examples=40, deadline=None)
@given(st.floats(0.55, 0.999), st.floats(1.0, 1500.0))
def test_t_quantile_inverts_the_integrated_density(p, df):
    assert integrate_density(t_quantile(p, df), df) == pytest.approx(p - 0.5, abs=1e-9)


@pytest.mark.parametrize(("p", "df"), [(0.55, 0.1), (0.75, 0.5), (0.6, 0.02)])
def test_t_quantile_below_one_degree_of_freedom(p, df):
    assert integrate_density(t_quantile(p, df), df) == pytest.approx(p - 0.5, abs=1e-9)


def test_t_quantile_edges():
    assert t_quantile(0.5, 7) == 0.0
    assert t_quantile(0.975, 1e-3) == math.inf  # beyond float range, not an error
    assert t_quantile(0.975, 999.999) == pytest.approx(t_quantile(0.975, 1000), abs=1e-7)
    assert t_quantile(1e-20, 3) < -4e6
    for df in (1, 2, 5, 30, 500, 5000):
        assert t_quantile(0.975, df) > t_quantile(0.975, df + 1) > 1.959963
    for bad_p, bad_df in ((0.0, 5), (1.0, 5), (math.nan, 5), (0.9, 0), (0.9, -1), (0.9, math.nan)):
        with pytest.raises(ValueError):
            t_quantile(bad_p, bad_df)


# --- sample size -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "margin", "required"),
    [
        (1000, D("0.05"), 286),  # 1000 / (1 + 2.5) = 285.71
        (400, D("0.05"), 200),  # 400 / 2 = 200 exactly: not 201 from float noise
        (10_000, D("0.05"), 385),  # 10000 / 26 = 384.6
        (10, 0.05, 10),  # 10 / 1.025 = 9.76
        (1, D("0.05"), 1),
        (1000, 0.1, 91),  # 1000 / 11 = 90.9
        (0, D("0.05"), None),
        (None, D("0.05"), None),
    ],
)
def test_required_sample_size(population, margin, required):
    assert required_sample_size(population, margin) == required


def test_sample_check_warns_when_a_unit_is_too_small_to_rank():
    # A commune surveyed with 150 forms (Bình Dương 2018 design) out of 10,000 adults needs 385.
    # Margin achieved: √(1/150 − 1/10000) = √0.0065667 = 8.10 %.
    check = check_sample(150, 10_000)

    assert (check.required, check.enough, check.margin) == (385, False, D("8.10"))
    assert check.warning is not None and "385" in check.warning and "5 %" in check.warning


def test_sample_check_other_cases():
    assert check_sample(400, 10_000).warning is None and check_sample(400, 10_000).enough
    assert check_sample(20, 10, margin=0.1).margin == D("0.00")  # everyone (and more) answered
    assert check_sample(50, 1000, margin=D("0.1")).warning.endswith("mẫu quá nhỏ để xếp hạng.")
    unknown = check_sample(30, None)
    assert (unknown.required, unknown.enough, unknown.margin, unknown.warning) == (
        None,
        None,
        None,
        None,
    )
    nobody = check_sample(0, 500)
    assert nobody.enough is False and nobody.margin is None and "Không có phiếu" in nobody.warning


@pytest.mark.parametrize("margin", [0, 1, -0.05, D("1.5")])
def test_invalid_margin_is_refused(margin):
    with pytest.raises(ValueError, match="sai số"):
        required_sample_size(100, margin)


def test_invalid_counts_and_weights_are_refused():
    acc = ScoreAccumulator()
    for bad in (0.0, -1.0, math.nan):
        with pytest.raises(ValueError, match="trọng số"):
            acc.add(3.0, False, bad)
        with pytest.raises(ValueError, match="trọng số"):
            acc.add_many([3.0], [False], [bad])
    with pytest.raises(ValueError):
        acc.add_many([3.0, 4.0], [False])  # columns of different lengths
    with pytest.raises(ValueError):
        wilson_interval(0.5, 0.0)
    with pytest.raises(ValueError):
        required_sample_size(-1)
    with pytest.raises(ValueError):
        check_sample(-1, 100)
    with pytest.raises(ValueError):
        average_units([(accumulate(scores_answers([5])), -1)])
    with pytest.raises(ValueError):
        combine([(summarize(accumulate(scores_answers([5]))), math.nan)])
    assert acc.n == 0 and "n=0" in repr(acc)


# --- size -------------------------------------------------------------------------------


def test_a_million_updates_stay_exact():
    # A unit-size check only (the timing benchmark lives in bench/): 10⁶ answers cycling
    # 1..5, satisfied = 4 or 5. Integer sums are exact in floats up to 2^53.
    acc = ScoreAccumulator()
    add = acc.add
    for i in range(1_000_000):
        score = i % 5 + 1
        add(score, score >= 4)
    column = ScoreAccumulator()
    column.add_many(
        (float(i % 5 + 1) for i in range(1_000_000)),
        (i % 5 >= 3 for i in range(1_000_000)),
        random.Random(4).choices([0.5, 2.0], k=1_000_000),
    )

    assert (acc.n, acc.sum_w, acc.sum_wx, acc.sum_wx2) == (10**6, 1e6, 3e6, 11e6)
    result = estimate(acc)
    assert (result.share, result.mean) == (D("40.00"), D("3.00"))
    assert result.share_high - result.share_low == D("0.20")  # ±1.96·√(0.24/10⁶) = ±0.096 %
    assert column.n == 10**6 and 0.5e6 < column.sum_w < 2e6
