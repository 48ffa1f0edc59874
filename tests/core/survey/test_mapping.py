"""check_mapping: an instrument's mappings against a methodology (codes S070–S073)."""

from __future__ import annotations

import pytest

from parindex.core.survey import check_mapping

from .builders import BASE, SOURCE, edit, load, survey_methodology

SIPAS = "{type: survey, source: sipas}"
LEAF = '      - {leaf: "1.1", groups: [a, b]}\n'


def codes(instrument_text: str, *leaves: tuple[str, str], ident: str = "thu-nghiem"):
    issues = check_mapping(load(instrument_text), survey_methodology(*leaves, ident=ident))
    return [(i.code, i.line, i.node) for i in issues], issues


def test_a_fitting_mapping_has_no_issues():
    assert codes(BASE, ("1.1", SIPAS))[0] == []


def test_s070_the_leaf_must_exist_and_the_message_lists_the_survey_leaves():
    found, issues = codes(BASE, ("1.2", SIPAS))

    assert found == [("S070", 30, "1.1"), ("S073", 30, "1.2")]
    assert "không có tiêu chí 1.1; tiêu chí khảo sát nguồn 'sipas': 1.2" in issues[0].message
    assert issues[0].format().startswith(f"{SOURCE}:30: S070: [nút 1.1] ")


def test_s071_the_node_must_be_a_leaf_with_a_survey_rule():
    found, issues = codes(BASE, ("1.1", "{type: boolean}"))

    assert found == [("S071", 30, "1.1")]
    assert "chấm bằng quy tắc boolean" in issues[0].message


def test_s071_a_parent_node_is_refused():
    found, issues = codes(edit(LEAF, LEAF.replace('"1.1"', '"1"')), ("1.1", SIPAS))

    assert found == [("S071", 30, "1"), ("S073", 30, "1.1")]
    assert "có tiêu chí con" in issues[0].message


def test_s072_the_leaf_source_must_match_the_instrument_source():
    found, issues = codes(BASE, ("1.1", "{type: survey, source: leaders}"))

    assert found == [("S072", 30, "1.1")]
    assert "nguồn khảo sát 'leaders', không phải 'sipas'" in issues[0].message


def test_without_a_declared_source_any_survey_leaf_fits():
    text = edit("source: sipas\n", "")

    assert codes(text, ("1.1", "{type: survey, source: leaders}"))[0] == []


def test_s073_a_survey_leaf_of_the_same_source_left_unmapped():
    found, issues = codes(BASE, ("1.1", SIPAS), ("1.2", SIPAS), ("1.3", "{type: boolean}"))

    assert found == [("S073", 30, "1.2")]
    assert "không ánh xạ nhóm nào tới nó" in issues[0].message


def test_s073_no_mapping_for_the_methodology():
    found, issues = codes(BASE, ("1.1", SIPAS), ident="bo-khac")

    assert found == [("S073", 27, None)]
    assert "không có ánh xạ cho bộ tiêu chí 'bo-khac' (có ánh xạ cho: thu-nghiem)" in (
        issues[0].message
    )


def test_s073_an_instrument_without_mappings():
    text = BASE[: BASE.index("mappings:\n")]

    found, issues = codes(text, ("1.1", SIPAS))

    assert found == [("S073", None, None)]
    assert "không bộ nào" in issues[0].message


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("  - methodology: thu-nghiem\n", "thu-nghiem"),
        ("  - source: sipas\n", None),
    ],
)
def test_mappings_without_a_methodology_apply_when_none_is_specific(block, expected):
    text = edit("  - methodology: thu-nghiem\n", block)
    instrument = load(text)

    specific = instrument.mappings_for("thu-nghiem")
    other = instrument.mappings_for("bo-khac")

    assert [m.methodology for m in specific] == [expected]
    assert [m.methodology for m in other] == ([] if expected else [None])


def test_a_block_source_and_respondents_apply_to_its_leaves():
    text = edit(
        "  - methodology: thu-nghiem\n",
        "  - methodology: thu-nghiem\n    source: leaders\n    respondents: [organization]\n",
    )

    [mapping] = load(text).mappings

    assert (mapping.source, mapping.respondents) == ("leaders", {"organization"})
    assert codes(text, ("1.1", "{type: survey, source: leaders}"))[0] == []


def test_one_group_or_one_respondent_type_may_be_written_without_brackets():
    text = edit(LEAF, '      - {leaf: "1.1", groups: a}\n').replace(
        "  - methodology: thu-nghiem\n", "  - methodology: thu-nghiem\n    respondents: citizen\n"
    )

    [mapping] = load(text).mappings

    assert (mapping.groups, mapping.respondents) == (("a",), {"citizen"})
