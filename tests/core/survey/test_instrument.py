"""The instrument objects: look-ups, respondents, scores, shares."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .builders import BASE, edit, issues_of, load


def test_look_ups_by_code_raise_a_vietnamese_key_error():
    instrument = load()

    with pytest.raises(KeyError, match="không có câu hỏi 'X'"):
        instrument.question("X")
    with pytest.raises(KeyError, match="không có nhóm 'x'"):
        instrument.group("x")
    with pytest.raises(KeyError, match="không có thang đo 'x'"):
        instrument.scale("x")


def test_questions_asked_of_each_respondent_type():
    instrument = load()

    citizen = [q.code for q in instrument.questions_for("citizen")]
    organization = [q.code for q in instrument.questions_for("organization")]

    assert citizen == ["A1", "A2", "P1"]
    assert organization == ["A1", "A2", "B1", "P1"]


def test_scale_questions_take_options_from_their_scale():
    instrument = load()
    a1 = instrument.question("A1")

    assert [o.code for o in a1.answer_options()] == ["1", "2", "3"]
    assert [o.label for o in a1.missing_options()] == ["Không trả lời"]
    assert a1.scale is not None and a1.scale.option("9").label == "Không trả lời"
    assert a1.scale.option("7") is None
    assert a1.scale.score("7") is None


def test_declared_shares_and_the_group_tree():
    instrument = load()

    assert [instrument.share(g) for g in instrument.groups] == [Decimal("0.6"), Decimal("0.4")]
    assert [g.code for g in instrument.walk_groups()] == ["a", "b"]
    assert instrument.siblings(instrument.group("b")) == instrument.groups
    assert instrument.group_of("P1") is None


def test_a_scale_question_may_be_asked_without_counting():
    text = edit(
        '  - {code: A2, type: scale, text: "Câu A2"}\n',
        '  - {code: A2, type: scale, text: "Câu A2", scored: false}\n',
        edit("questions: [A1, A2]", "questions: [A1]", BASE),
    )

    instrument = load(text)

    assert instrument.question("A2").scored is False
    assert instrument.group_of("A2") is None


def test_mean_scale_with_text_codes_uses_option_values():
    text = edit(
        "    satisfaction: {method: share, satisfied: [3]}\n",
        "    satisfaction: {method: mean}\n",
        BASE.replace("{code: 1, label", "{code: k, value: 0, label")
        .replace('{code: 2, label: "Bình', '{code: b, value: 5, label: "Bình')
        .replace("{code: 3, label", "{code: h, value: 10, label"),
    )

    scale = load(text).scale("hai_long")

    assert [scale.score(c) for c in "kbh"] == [0, 50, 100]
    assert scale.is_satisfied("h") is False  # mean scales have no satisfied set


@pytest.mark.parametrize(
    ("options", "phrase"),
    [
        ('{code: k, label: "K"}', "cần 'value'"),
        ('{code: 1, value: 2, label: "A"}', "hai giá trị khác nhau"),
    ],
)
def test_mean_scale_needs_distinct_numeric_values(options, phrase):
    text = (
        BASE.replace('{code: 1, label: "Không hài lòng"}', options)
        .replace('{code: 2, label: "Bình thường"}', '{code: 2, label: "B", value: 2}')
        .replace('{code: 3, label: "Hài lòng"}', '{code: 3, label: "C", value: 2}')
        .replace("{method: share, satisfied: [3]}", "{method: mean}")
    )
    issues = issues_of(text)

    assert [i.code for i in issues] == ["S040"]
    assert phrase in issues[0].message
