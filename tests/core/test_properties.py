"""Properties that hold for every methodology, every unit and every input (Hypothesis).

Random small methodologies are written as YAML: 1–3 standard areas (plus, sometimes, a bonus
and a penalty area), 1–3 criteria per area, 1–4 leaves per criterion, mixed rule types, leaf
maxima in steps of 0.25 that add up by construction, some nodes exemptible or limited to
departments. Random units and inputs (some missing) are scored, and the invariants of
docs/methodology-format.md §2 and §7 are checked.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.core import (
    Unit,
    compute,
    loads_methodology,
    quantize,
    rank_within_group,
    score_leaf,
)

QUARTER = Decimal("0.25")
# Each example writes and loads a whole YAML methodology: few examples keep a test near 1 s
# (raise max_examples locally to search harder).
FAST = settings(max_examples=15, deadline=None)


def q(k: int) -> float:
    """k quarters as a float (exact in binary, so YAML writes it exactly)."""
    return k * 0.25


# --- methodology strategy ------------------------------------------------------------------


@st.composite
def standard_rule(draw, k: int) -> tuple[dict, str]:
    """A rule for a leaf worth k quarters, and the kind of inputs it takes."""
    kind = draw(
        st.sampled_from(
            [
                "choice",
                "bands",
                "proportional",
                "boolean",
                "manual",
                "deduction",
                "survey",
                "formula",
            ]
        )
    )
    if kind == "choice":
        part = draw(st.integers(0, k))
        options = [
            {"code": "full", "label": "Đạt", "points": q(k)},
            {"code": "part", "label": "Đạt một phần", "points": q(part)},
            {"code": "none", "label": "Không đạt", "points": 0},
        ]
        return {"type": "choice", "options": options}, "choice"
    if kind == "bands":
        low = draw(st.integers(1, 98))
        high = draw(st.integers(low + 1, 99))
        bands = [
            {"gte": high, "points": q(k)},
            {"gte": low, "lt": high, "points": q(draw(st.integers(0, k)))},
            {"lt": low, "points": 0},
        ]
        return {"type": "bands", "measure": "percent", "bands": bands}, "percent"
    if kind == "ratio_bands":
        on_zero = draw(st.sampled_from(["full", "zero", "not_applicable"]))
        cut = draw(st.integers(1, 99))
        bands = [{"gt": cut, "points": q(k)}, {"lte": cut, "points": q(draw(st.integers(0, k)))}]
        rule = {"type": "bands", "measure": "ratio", "on_zero_denominator": on_zero, "bands": bands}
        return rule, "ratio"
    if kind == "proportional":
        on_zero = draw(st.sampled_from(["full", "zero", "not_applicable"]))
        return {"type": "proportional", "measure": "ratio", "on_zero_denominator": on_zero}, "ratio"
    if kind == "boolean":
        return {"type": "boolean", "no": q(draw(st.integers(0, k)))}, "boolean"
    if kind == "manual":
        return {"type": "manual", "step": 0.25}, "manual"
    if kind == "deduction":
        return {"type": "deduction", "per": q(draw(st.integers(1, 4)))}, "count"
    if kind == "survey":
        return {"type": "survey", "source": "sipas"}, "survey"
    # may divide by zero (a = 0) and may exceed the maximum (clamped)
    expression = draw(st.sampled_from(["max_points * a / 10", "max_points / a", "a - 5"]))
    return {"type": "formula", "expression": expression}, "formula"


@st.composite
def extra_rule(draw, area_kind: str, k: int) -> tuple[dict, str]:
    if area_kind == "bonus" and draw(st.booleans()):
        return {"type": "boolean"}, "boolean"
    kind = "bonus" if area_kind == "bonus" else "deduction"
    return {"type": kind, "per": q(draw(st.integers(1, 4))), "cap": q(k)}, "count"


@st.composite
def scenarios(draw):
    """(methodology, units, inputs, {leaf code: input kind}, [exemptible codes])."""
    kinds = ["standard"] * draw(st.integers(1, 3))
    kinds += [k for k in ("bonus", "penalty") if draw(st.booleans())]
    leaves: dict[str, str] = {}
    exemptible: list[str] = []
    areas = []
    for a, area_kind in enumerate(kinds, start=1):
        criteria = []
        for c in range(1, draw(st.integers(1, 3)) + 1):
            children = []
            for leaf_no in range(1, draw(st.integers(1, 4)) + 1):
                code = f"{a}.{c}.{leaf_no}"
                k = draw(st.integers(1, 8))
                if area_kind == "standard":
                    rule, input_kind = draw(standard_rule(k))
                else:
                    rule, input_kind = draw(extra_rule(area_kind, k))
                leaf = {"code": code, "title": f"Tiêu chí {code}", "max": q(k), "rule": rule}
                if input_kind == "formula":
                    leaf["inputs"] = {"a": {"label": "Số liệu", "type": "integer"}}
                leaves[code] = input_kind
                children.append(leaf)
            criterion = {
                "code": f"{a}.{c}",
                "title": f"Tiêu chí {a}.{c}",
                "max": sum(x["max"] for x in children),
                "children": children,
            }
            criteria.append(criterion)
        area = {
            "code": str(a),
            "title": f"Lĩnh vực {a}",
            "max": sum(x["max"] for x in criteria),
            "children": criteria,
        }
        if area_kind != "standard":
            area["kind"] = area_kind
        areas.append(area)
    # some nodes may be exempted; some apply to departments only
    for node in _walk(areas):
        if draw(st.integers(0, 5)) == 0:
            node["exemptible"] = True
            exemptible.append(node["code"])
        elif node["code"].count(".") and draw(st.integers(0, 7)) == 0:
            node["applies_to"] = ["department"]
    document = {
        "format": "parindex/methodology@1",
        "id": "ngau-nhien",
        "title": "Bộ tiêu chí ngẫu nhiên",
        "year": 2026,
        "status": "sample",
        "unit_types": ["department", "central_agency"],
        "max_points": sum(
            a["max"] for a, kind in zip(areas, kinds, strict=True) if kind == "standard"
        ),
        "rounding": {
            "points": draw(st.integers(2, 4)),
            "index": draw(st.integers(0, 4)),
            "mode": draw(st.sampled_from(["half_up", "half_even"])),
        },
        "ranking": {"method": draw(st.sampled_from(["standard", "dense"]))},
        "nodes": areas,
    }
    methodology = loads_methodology(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    units = draw(unit_lists(exemptible))
    inputs = {u.code: draw(unit_inputs(leaves)) for u in units}
    return methodology, units, inputs, leaves, exemptible


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.get("children", []))


@st.composite
def unit_lists(draw, exemptible: list[str]) -> list[Unit]:
    count = draw(st.integers(1, 6))
    units = []
    for i in range(count):
        exempt = draw(st.sets(st.sampled_from(exemptible), max_size=2)) if exemptible else set()
        units.append(
            Unit(
                code=f"U{i}",
                name=f"Đơn vị {i}",
                type=draw(st.sampled_from(["department", "central_agency"])),
                group=draw(st.sampled_from(["Sở", "Trung ương"])),
                exempt=frozenset(exempt),
            )
        )
    return units


@st.composite
def unit_inputs(draw, leaves: dict[str, str]) -> dict:
    out = {}
    for code, kind in leaves.items():
        if draw(st.integers(0, 5)) == 0:
            continue  # missing
        out[code] = draw(leaf_values(kind))
    return out


def leaf_values(kind: str):
    percent = st.integers(0, 10000).map(lambda n: Decimal(n) / 100)
    if kind == "choice":
        return st.sampled_from(["full", "part", "none"]).map(lambda c: {"value": c})
    if kind == "percent":
        return percent.map(lambda v: {"value": v})
    if kind == "survey":
        return percent.map(lambda v: {"index": v})
    if kind == "ratio":
        return st.integers(0, 20).flatmap(
            lambda den: st.integers(0, den).map(
                lambda num: {"numerator": Decimal(num), "denominator": Decimal(den)}
            )
        )
    if kind == "boolean":
        return st.booleans().map(lambda b: {"value": b})
    if kind == "manual":
        # at most the leaf's maximum: parse_inputs enforces it; here any 0–2 in quarters
        return st.integers(0, 8).map(lambda n: {"value": QUARTER * n})
    if kind == "count":
        return st.integers(0, 12).map(lambda n: {"count": Decimal(n)})
    return st.integers(0, 30).map(lambda n: {"a": Decimal(n)})


def fix_manual(methodology, inputs):
    """Manual values above a leaf's maximum are input errors; keep them within it."""
    for values in inputs.values():
        for code, v in values.items():
            node = methodology.node(code)
            if node.rule.type == "manual" and v["value"] > node.max:
                v["value"] = node.max
    return inputs


# --- the properties ------------------------------------------------------------------------


@FAST
@given(scenarios())
def test_points_stay_within_each_nodes_applicable_range(scenario):
    m, units, inputs, _, _ = scenario
    results = compute(m, units, fix_manual(m, inputs))

    for r in results:
        for node in m.walk():
            points, top = r.points[node.code], r.maxima[node.code]
            if points is None:
                continue
            assert top is not None
            if node.kind == "penalty":
                assert -top <= points <= 0, (node.code, points, top)
            else:
                assert 0 <= points <= top, (node.code, points, top)


@FAST
@given(scenarios())
def test_every_parent_is_the_sum_of_its_applicable_children(scenario):
    m, units, inputs, _, _ = scenario
    results = compute(m, units, fix_manual(m, inputs))

    for r in results:
        for node in m.walk():
            if node.is_leaf or r.points[node.code] is None:
                continue
            applicable = [c for c in node.children if r.points[c.code] is not None]
            assert applicable
            assert r.points[node.code] == sum(r.points[c.code] for c in applicable)
            assert r.maxima[node.code] == sum(r.maxima[c.code] for c in applicable)


@FAST
@given(scenarios())
def test_total_is_the_clamped_sum_of_areas_and_index_is_total_over_maximum(scenario):
    m, units, inputs, _, _ = scenario
    results = compute(m, units, fix_manual(m, inputs))

    for r in results:
        areas = [a for a in m.areas if r.points[a.code] is not None]
        standard = [a for a in areas if a.kind == "standard"]
        assert r.max == sum((r.maxima[a.code] for a in standard), Decimal(0))
        assert r.total == max(Decimal(0), min(r.max, sum(r.points[a.code] for a in areas)))
        if r.max:
            mode = m.rounding.mode
            assert r.index == quantize(r.total / r.max * 100, m.rounding.index, mode)
            assert 0 <= r.index <= 100
        else:
            assert r.index is None and r.rank is None


@FAST
@given(scenarios(), st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_the_order_of_units(scenario, random):
    m, units, inputs, _, _ = scenario
    inputs = fix_manual(m, inputs)
    shuffled = list(units)
    random.shuffle(shuffled)

    first = {r.unit.code: (r.rank, r.index) for r in compute(m, units, inputs)}
    second = {r.unit.code: (r.rank, r.index) for r in compute(m, shuffled, inputs)}

    assert first == second


@FAST
@given(scenarios(), st.data())
def test_exempting_a_node_changes_only_that_node_and_its_ancestors(scenario, data):
    m, units, inputs, _, _ = scenario
    inputs = fix_manual(m, inputs)
    u = replace(units[0], exempt=frozenset())
    # The engine excludes whatever a unit is exempted from; which nodes may be exempted is
    # checked when the units table is read, so any node will do here.
    code = data.draw(st.sampled_from([n.code for n in m.walk()]))
    exempted = replace(u, exempt=frozenset({code}))

    before = compute(m, [u], {u.code: inputs[u.code]}).units[0]
    after = compute(m, [exempted], {u.code: inputs[u.code]}).units[0]

    node = m.node(code)
    ancestors = set()
    parent = node.parent
    while parent is not None:
        ancestors.add(parent.code)
        parent = parent.parent
    subtree = {n.code for n in node.walk()}
    for other in m.walk():
        if other.code in subtree:
            assert after.points[other.code] is None
        elif other.code not in ancestors:
            assert after.points[other.code] == before.points[other.code], other.code


@FAST
@given(scenarios())
def test_the_engine_agrees_with_the_reference_scoring_of_every_leaf(scenario):
    # compute() may score leaves by faster routes; score_leaf() is what traces show.
    m, units, inputs, _, _ = scenario
    inputs = fix_manual(m, inputs)
    results = compute(m, units, inputs)

    for r in results:
        for leaf in m.leaves():
            if r.maxima[leaf.code] is None and r.status.get(leaf.code) != "not_applicable":
                continue  # exempted or not for this unit type
            points, status = score_leaf(leaf, inputs[r.unit.code].get(leaf.code), m)
            assert (r.points[leaf.code], r.status.get(leaf.code, "ok")) == (points, status)


RATIOS = loads_methodology(
    yaml.safe_dump(
        {
            "format": "parindex/methodology@1",
            "id": "ty-le",
            "title": "Tỷ lệ",
            "year": 2026,
            "status": "sample",
            "unit_types": ["department"],
            "max_points": 6,
            "rounding": {"points": 3},
            "nodes": [
                {
                    "code": "1",
                    "title": "Tỷ lệ",
                    "max": 6,
                    "children": [
                        {
                            "code": f"1.{i}",
                            "title": f"Tỷ lệ {i}",
                            "max": 2,
                            "rule": rule,
                        }
                        for i, rule in enumerate(
                            [
                                {
                                    "type": "bands",
                                    "measure": "ratio",
                                    "on_zero_denominator": "zero",
                                    "bands": [
                                        {"gte": 90, "points": 2},
                                        {"gt": 50, "lt": 90, "points": 1.5},
                                        {"gte": 25, "lte": 50, "points": 0.75},
                                        {"lt": 25, "points": 0},
                                    ],
                                },
                                {"type": "proportional", "measure": "ratio"},
                                {
                                    "type": "proportional",
                                    "measure": "ratio",
                                    "on_zero_denominator": "not_applicable",
                                },
                            ],
                            start=1,
                        )
                    ],
                }
            ],
        },
        allow_unicode=True,
    )
)

ratio_values = st.integers(0, 400).flatmap(
    lambda den: st.integers(0, den).map(
        lambda num: {"numerator": Decimal(num), "denominator": Decimal(den)}
    )
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries({"1.1": ratio_values, "1.2": ratio_values, "1.3": ratio_values}),
        min_size=1,
        max_size=8,
    )
)
def test_ratio_leaves_score_the_same_on_the_fast_path_and_in_the_trace(unit_values):
    units = [Unit(f"U{i}", f"Đơn vị {i}", "department", "Sở") for i in range(len(unit_values))]
    inputs = {u.code: values for u, values in zip(units, unit_values, strict=True)}

    results = compute(RATIOS, units, inputs)

    for r in results:
        for code in ("1.1", "1.2", "1.3"):
            points, status = score_leaf(RATIOS.node(code), inputs[r.unit.code][code], RATIOS)
            assert (r.points[code], r.status.get(code, "ok")) == (points, status)


# --- rank_within_group ---------------------------------------------------------------------

entries = st.lists(
    st.tuples(
        st.sampled_from(["Sở", "Trung ương"]),
        st.one_of(
            st.none(), st.sampled_from([Decimal(v) for v in ("50", "70", "70.00", "85.5", "90")])
        ),
    ),
    max_size=12,
).map(lambda rows: [(f"U{i}", group, value) for i, (group, value) in enumerate(rows)])


@settings(max_examples=200, deadline=None)
@given(entries)
def test_standard_rank_is_one_plus_the_number_strictly_better(rows):
    ranks = rank_within_group(rows, "standard")

    for key, group, value in rows:
        if value is None:
            assert ranks[key] is None
            continue
        better = [v for _, g, v in rows if g == group and v is not None and v > value]
        assert ranks[key] == 1 + len(better)


@settings(max_examples=200, deadline=None)
@given(entries)
def test_dense_rank_is_one_plus_the_number_of_better_distinct_values(rows):
    ranks = rank_within_group(rows, "dense")

    for key, group, value in rows:
        if value is None:
            continue
        better = {v for _, g, v in rows if g == group and v is not None and v > value}
        assert ranks[key] == 1 + len(better)


@settings(max_examples=200, deadline=None)
@given(entries, st.randoms(use_true_random=False))
def test_ties_share_a_rank_whatever_the_order(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)

    for method in ("standard", "dense"):
        ranks = rank_within_group(rows, method)
        assert ranks == rank_within_group(shuffled, method)
        for key, group, value in rows:
            for other, g, v in rows:
                if g == group and value is not None and v == value:
                    assert ranks[key] == ranks[other]


# --- single-value leaves with their own fast scorers ---------------------------------------

SINGLES = loads_methodology(
    """\
format: parindex/methodology@1
id: don-gia-tri
title: "Đầu vào một giá trị"
year: 2026
status: sample
unit_types: [department]
max_points: 10
nodes:
  - code: "1"
    title: "Lĩnh vực"
    max: 10
    children:
      - {code: "1.1", title: "%", max: 2, rule: {type: bands, measure: percent, bands: [
          {lt: 50, points: 0}, {gte: 50, lte: 80, points: 1}, {gt: 80, points: 2}]}}
      - {code: "1.2", title: "lần", max: 2, rule: {type: bands, measure: count, bands: [
          {lte: 2, points: 2}, {gte: 3, lt: 5, points: 1}, {gte: 5, points: 0}]}}
      - {code: "1.3", title: "số", max: 2, rule: {type: bands, measure: number, bands: [
          {lt: -1, points: 0}, {gte: -1, points: 2}]}}
      - {code: "1.4", title: "tỷ lệ", max: 1.5, rule: {type: proportional, measure: percent}}
      - {code: "1.5", title: "khảo sát", max: 2.5, rule: {type: survey, source: sipas}}
"""
)

hundredths = st.integers(-2000, 12000).map(lambda n: Decimal(n) / 100)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "1.1": st.fixed_dictionaries({"value": hundredths}),
                "1.2": st.fixed_dictionaries({"value": st.integers(0, 9).map(Decimal)}),
                "1.3": st.fixed_dictionaries({"value": hundredths}),
                "1.4": st.fixed_dictionaries({"value": hundredths}),
                "1.5": st.fixed_dictionaries({"index": hundredths}),
            }
        ),
        min_size=1,
        max_size=8,
    )
)
def test_single_value_leaves_score_the_same_on_the_fast_path_and_in_the_trace(unit_values):
    # Values outside a leaf's domain (a survey index of 120) come through the API, not the
    # input parser; the fast path must still give the reference points and status.
    units = [Unit(f"U{i}", f"Đơn vị {i}", "department", "Sở") for i in range(len(unit_values))]
    inputs = {u.code: values for u, values in zip(units, unit_values, strict=True)}

    results = compute(SINGLES, units, inputs)

    for r in results:
        for code in ("1.1", "1.2", "1.3", "1.4", "1.5"):
            points, status = score_leaf(SINGLES.node(code), inputs[r.unit.code][code], SINGLES)
            assert (r.points[code], r.status.get(code, "ok")) == (points, status)
