"""Properties of every instrument (Hypothesis): random scales, satisfaction rules, weights.

Each example writes a whole YAML instrument from ``BASE`` with one part replaced, so the
properties hold for the loader as users meet it, not only for the objects.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import parindex
from parindex.core.survey import InstrumentError

from .builders import BASE, issues_of, load

PACKAGE = Path(parindex.__file__).parent

FAST = settings(max_examples=40, deadline=None)
SCALE_START = BASE.index("  - code: hai_long\n")
SCALE_END = BASE.index("questions:\n")
GROUPS_START = BASE.index("groups:\n")
GROUPS_END = BASE.index("mappings:\n")


def with_scale(options: list[int], missing: list[int], satisfaction: str) -> str:
    scale = "  - code: hai_long\n    options:\n"
    scale += "".join(f'      - {{code: {c}, label: "Mức {c}"}}\n' for c in options)
    if missing:
        scale += "    missing:\n"
        scale += "".join(f'      - {{code: {c}, label: "Thiếu {c}"}}\n' for c in missing)
    scale += f"    satisfaction: {satisfaction}\n"
    return BASE[:SCALE_START] + scale + BASE[SCALE_END:]


@st.composite
def share_scales(draw):
    codes = draw(st.lists(st.integers(0, 20), min_size=2, max_size=7, unique=True))
    missing = draw(st.lists(st.integers(21, 99), max_size=2, unique=True))
    satisfied = draw(
        st.lists(st.sampled_from(codes), min_size=1, max_size=len(codes) - 1, unique=True)
    )
    return codes, missing, satisfied


@FAST
@given(share_scales())
def test_a_share_scale_scores_satisfied_answers_100_others_0_missing_none(drawn):
    codes, missing, satisfied = drawn
    rule = "{method: share, satisfied: [" + ", ".join(map(str, satisfied)) + "]}"

    scale = load(with_scale(codes, missing, rule)).scale("hai_long")

    for code in codes:
        assert scale.score(str(code)) == (100 if code in satisfied else 0)
        assert scale.is_valid(str(code)) and not scale.is_missing(str(code))
    for code in missing:
        assert scale.score(str(code)) is None and scale.is_missing(str(code))


@FAST
@given(share_scales(), st.integers(100, 200))
def test_a_satisfied_code_off_the_scale_is_always_s040(drawn, stray):
    codes, missing, satisfied = drawn
    rule = "{satisfied: [" + ", ".join(map(str, [*satisfied, stray])) + "]}"

    issues = issues_of(with_scale(codes, missing, rule))

    assert [i.code for i in issues] == ["S040"]
    assert f"'{stray}'" in issues[0].message


@FAST
@given(st.lists(st.integers(-10, 10), min_size=2, max_size=7, unique=True))
def test_a_mean_scale_maps_lowest_to_0_highest_to_100_in_order(values):
    scale = load(with_scale(values, [], "{method: mean}")).scale("hai_long")

    scores = {v: scale.score(str(v)) for v in values}
    assert scores[min(values)] == 0 and scores[max(values)] == 100
    ordered = [scores[v] for v in sorted(values)]
    assert ordered == sorted(ordered)


def with_groups(weights: list[Decimal]) -> str:
    """One group per weight; the three scored questions go to the first groups."""
    questions = ["A1", "A2", "B1"]
    groups = "groups:\n"
    for i, weight in enumerate(weights):
        mine = questions[i :: len(weights)] if i < len(questions) else []
        listed = ", ".join(mine) if mine else "A1"
        groups += f'  - {{code: g{i}, title: "G{i}", weight: {weight}, questions: [{listed}]}}\n'
    return BASE[:GROUPS_START] + groups


@st.composite
def percent_parts(draw):
    """1–3 positive integers adding up to 100."""
    n = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n - 1, max_size=n - 1, unique=True)))
    return [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]


@FAST
@given(percent_parts())
def test_weights_adding_up_to_1_load_and_keep_their_shares(parts):
    weights = [Decimal(p) / 100 for p in parts]

    instrument = load(with_groups(weights))

    assert [g.weight for g in instrument.groups] == weights
    assert sum(instrument.share(g) for g in instrument.groups) == 1


@FAST
@given(percent_parts(), st.sampled_from(["-0.01", "0.01", "0.001"]))
def test_weights_that_miss_1_are_one_s030(parts, delta):
    weights = [Decimal(p) / 100 for p in parts]
    weights[-1] += Decimal(delta)
    if not 0 < weights[-1] <= 1:  # out of (0, 1] is S031, not this property
        weights[-1] = Decimal("0.995")

    issues = issues_of(with_groups(weights))

    assert [(i.code, i.line) for i in issues] == [("S030", 24)]
    assert "phải bằng 1" in issues[0].message


# --- robustness: any edit of a real instrument is loaded or reported, never a crash ---------

SHIPPED = (PACKAGE / "surveys" / "sipas-2023-mau.yaml").read_text(encoding="utf-8").splitlines()
NOISE = ["", "x", "- 1", "code: A1", "weight: 2", "  - {code: 9}", "[", "groups: []", "9: 9"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(SHIPPED) - 1), st.sampled_from(["drop", "dup", *NOISE])),
        min_size=1,
        max_size=3,
    )
)
def test_an_edited_instrument_loads_or_lists_its_issues(edits):
    lines = list(SHIPPED)
    for index, change in edits:
        index %= len(lines)
        if change == "drop":
            del lines[index]
        elif change == "dup":
            lines.insert(index, lines[index])
        else:
            indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
            lines[index] = indent + change
    try:
        load("\n".join(lines) + "\n")
    except InstrumentError as exc:
        assert exc.issues
        assert all(re.fullmatch(r"S0\d\d", i.code) for i in exc.issues)
        assert all(i.line for i in exc.issues), [i.format() for i in exc.issues]
