"""The strict instrument loader: error codes of docs/survey-format.md §9, one table row each.

Each row changes one line of ``BASE`` (see ``builders``) and checks the stable code, the line
and the key words of the Vietnamese message; the formatted issue is ``FILE:LINE: CODE: …``.
"""

from __future__ import annotations

import pytest

from parindex.core import IssuesError
from parindex.core.survey import (
    FORMAT,
    InstrumentError,
    SurveyError,
    load_instrument,
    load_shipped_instrument,
    loads_instrument,
)

from .builders import BASE, SOURCE, edit, issues_of, load, only_issue

SCALE_Q = '  - {code: A2, type: scale, text: "Câu A2"}\n'
GROUP_A = '  - {code: a, title: "Nhóm A", weight: 0.6, questions: [A1, A2]}\n'
GROUP_B = '  - {code: b, title: "Nhóm B", weight: 0.4, questions: [B1]}\n'
LEAF = '      - {leaf: "1.1", groups: [a, b]}\n'
SATISFACTION = "    satisfaction: {method: share, satisfied: [3]}\n"
P1 = (
    "  - {code: P1, type: single, text: Giới, "
    "options: [{code: 1, label: Nam}, {code: 2, label: Nữ}]}\n"
)


def test_the_base_text_loads_with_its_parts():
    instrument = load()

    assert FORMAT == "parindex/survey@1"
    assert [q.code for q in instrument.questions] == ["A1", "A2", "B1", "P1"]
    assert [g.code for g in instrument.groups] == ["a", "b"]
    assert instrument.question("B1").respondents == {"organization"}
    assert instrument.question("P1").scored is False
    assert instrument.group_of("A2") is instrument.group("a")


def test_the_error_hierarchy():
    assert issubclass(InstrumentError, SurveyError)
    assert issubclass(SurveyError, IssuesError)


# (old line, new text, code, line, phrase): one change of BASE → exactly one issue.
ROWS = {
    # S001 — YAML syntax and aliases
    "s001-syntax": ('title: "Công cụ thử nghiệm"\n', "title: a: b\n", "S001", 3, "YAML"),
    "s001-alias": (
        GROUP_B,
        '  - {code: b, title: "Nhóm B", weight: 0.4, questions: &q [B1]}\n'
        '  - {code: c, title: "C", weight: 0.1, questions: *q}\n',
        "S001",
        27,
        "bí danh",
    ),
    # S002 — duplicate key
    "s002": ("year: 2024\n", "year: 2024\nyear: 2025\n", "S002", 5, "khóa 'year' bị lặp"),
    # S003 — unknown keys
    "s003-top": ("source: sipas\n", "source: sipas\ncolour: red\n", "S003", 7, "'colour'"),
    "s003-question-type": (
        SCALE_Q,
        '  - {code: A2, type: scale, text: "Câu A2", max_choices: 2}\n',
        "S003",
        21,
        "câu hỏi 'A2' (type: scale)",
    ),
    "s003-group": (GROUP_B, GROUP_B.replace("}", ", colour: red}"), "S003", 26, "nhóm 'b'"),
    # S004 — missing keys
    "s004-top": ("status: sample\n", "", "S004", 1, "thiếu khóa bắt buộc 'status'"),
    "s004-satisfied": (
        SATISFACTION,
        "    satisfaction: {method: share}\n",
        "S004",
        18,
        "cần 'satisfied'",
    ),
    "s004-question-text": (SCALE_Q, "  - {code: A2, type: scale}\n", "S004", 21, "'text'"),
    # S005 — bad values
    "s005-format": ("format: parindex/survey@1\n", "format: x\n", "S005", 1, "'format'"),
    "s005-id": ("id: thu-nghiem\n", "id: Thu Nghiem\n", "S005", 2, "'id'"),
    "s005-year": ("year: 2024\n", "year: 24\n", "S005", 4, "'year'"),
    "s005-status": ("status: sample\n", "status: draft\n", "S005", 5, "official | sample"),
    "s005-type": (SCALE_Q, SCALE_Q.replace("scale", "likert"), "S005", 21, "'type'"),
    "s005-code": (P1, P1.replace("P1", "P 1"), "S005", 23, "mã câu hỏi 'P 1'"),
    "s005-option-code": ('{code: 2, label: "Bình', '{code: 2.5, label: "Bình', "S005", 14, "'2.5'"),
    "s005-weights": ("groups:\n", "weights: bang_nhau\ngroups:\n", "S005", 24, "'equal'"),
    "s005-few-options": (
        '      - {code: 2, label: "Bình thường"}\n      - {code: 3, label: "Hài lòng"}\n',
        "",
        "S005",
        12,
        "ít nhất 2 phương án",
    ),
    "s005-leaf": (LEAF, LEAF.replace('"1.1"', '"1..1"'), "S005", 30, "'leaf'"),
    "s005-methodology": (
        "  - methodology: thu-nghiem\n",
        "  - methodology: Thu_Nghiem\n",
        "S005",
        28,
        "'methodology'",
    ),
    "s005-respondents-empty": (
        "respondents: [organization]",
        "respondents: []",
        "S005",
        22,
        "ít nhất một mã",
    ),
    # S010 — duplicate codes
    "s010-question": (
        SCALE_Q,
        SCALE_Q + '  - {code: A1, type: scale, text: "Lặp"}\n',
        "S010",
        22,
        "'A1' bị trùng (đã có ở dòng 20)",
    ),
    "s010-group-vs-question": (
        GROUP_B,
        GROUP_B + '  - {code: P1, title: "P", weight: 0.1, questions: [A2]}\n',
        "S010",
        27,
        "đã dùng cho câu hỏi ở dòng 23",
    ),
    "s010-respondent": (
        '  - {code: organization, label: "Tổ chức"}\n',
        '  - {code: organization, label: "Tổ chức"}\n  - {code: citizen, label: "Lặp"}\n',
        "S010",
        10,
        "'citizen' bị trùng (đã có ở dòng 8)",
    ),
    # S011 — duplicate answer codes
    "s011-scale": ('{code: 2, label: "Bình', '{code: 1, label: "Bình', "S011", 14, "mã '1' trong"),
    "s011-missing": (
        '      - {code: 9, label: "Không trả lời"}\n',
        '      - {code: 9, label: "Không trả lời"}\n      - {code: 9, label: "Không biết"}\n',
        "S011",
        18,
        "'missing' bị trùng",
    ),
    # S012 — a missing-value code that is also an answer
    "s012": ("{code: 9, label", "{code: 2, label", "S012", 17, "mã thiếu phải khác"),
    # S020 — unknown question in a group
    "s020": (GROUP_B, GROUP_B.replace("[B1]", "[B1, X9]"), "S020", 26, "'X9' không có"),
    # S021 — scored question in no group
    "s021": (GROUP_A, GROUP_A.replace("A1, A2", "A1"), "S021", 21, "'A2' (type: scale)"),
    # S022 — question in two groups
    "s022": (GROUP_B, GROUP_B.replace("[B1]", "[B1, A2]"), "S022", 26, "đã thuộc nhóm 'a'"),
    # S023 — unscored questions cannot be grouped
    "s023-single": (GROUP_B, GROUP_B.replace("[B1]", "[B1, P1]"), "S023", 26, "loại single"),
    "s023-scored-false": (
        SCALE_Q,
        '  - {code: A2, type: scale, text: "Câu A2", scored: false}\n',
        "S023",
        25,
        "scored: false",
    ),
    # S024 — questions xor children
    "s024-both": (
        GROUP_B,
        '  - {code: b, title: "B", weight: 0.4, questions: [B1], children: []}\n',
        "S024",
        26,
        "đúng một trong hai",
    ),
    "s024-weights-on-leaf": (
        GROUP_B,
        GROUP_B.replace("weight: 0.4", "weight: 0.4, weights: equal"),
        "S024",
        26,
        "chỉ dùng cho nhóm có 'children'",
    ),
    # S030 — weights add up to 1
    "s030": (GROUP_B, GROUP_B.replace("0.4", "0.3"), "S030", 24, "0.9 (a: 0.6 + b: 0.3)"),
    # S031 — weight missing, out of range or beside `weights: equal`
    "s031-missing": (GROUP_B, GROUP_B.replace(" weight: 0.4,", ""), "S031", 26, "thiếu 'weight'"),
    "s031-range": (GROUP_B, GROUP_B.replace("0.4", "40"), "S031", 26, "(0, 1]"),
    "s031-equal": (
        "groups:\n" + GROUP_A,
        "weights: equal\ngroups:\n" + GROUP_A.replace(" weight: 0.6,", ""),
        "S031",
        27,
        "'weights: equal'",
    ),
    # S040 — the satisfaction rule
    "s040-unknown": (
        SATISFACTION,
        SATISFACTION.replace("[3]", "[3, 6]"),
        "S040",
        18,
        "'6' không có",
    ),
    "s040-missing-code": (
        SATISFACTION,
        SATISFACTION.replace("[3]", "[3, 9]"),
        "S040",
        18,
        "'9' là mã thiếu",
    ),
    "s040-all": (SATISFACTION, SATISFACTION.replace("[3]", "[1, 2, 3]"), "S040", 18, "100 %"),
    "s040-none": (SATISFACTION, SATISFACTION.replace("[3]", "[]"), "S040", 18, "ít nhất một mã"),
    "s040-mean-satisfied": (
        SATISFACTION,
        SATISFACTION.replace("share", "mean"),
        "S040",
        18,
        "'mean' không dùng 'satisfied'",
    ),
    # S041 — a question's scale
    "s041-unknown": (
        SCALE_Q,
        '  - {code: A2, type: scale, scale: nhi_phan, text: "Câu A2"}\n',
        "S041",
        21,
        "thang đo 'nhi_phan' không có; thang đo hợp lệ: hai_long",
    ),
    # S050 — unknown respondent types
    "s050-question": (
        "respondents: [organization]",
        "respondents: [business]",
        "S050",
        22,
        "'business' không có; hợp lệ: citizen, organization",
    ),
    "s050-mapping": (
        "  - methodology: thu-nghiem\n",
        "  - methodology: thu-nghiem\n    respondents: [business]\n",
        "S050",
        29,
        "khối ánh xạ",
    ),
    # S051 — the respondent question
    "s051-answer-without-question": (
        '  - {code: citizen, label: "Người dân"}\n',
        '  - {code: citizen, label: "Người dân", answer: 1}\n',
        "S051",
        8,
        "không khai 'respondent_question'",
    ),
    "s051-not-single": (
        "source: sipas\n",
        "source: sipas\nrespondent_question: A1\n",
        "S051",
        7,
        "type: single; có: P1",
    ),
    # S060 — unknown group in a mapping
    "s060": (LEAF, LEAF.replace("[a, b]", "[a, z]"), "S060", 30, "nhóm 'z' không có"),
    # S061 — groups of one mapping: distinct siblings
    "s061-twice": (LEAF, LEAF.replace("[a, b]", "[a, a]"), "S061", 30, "kê hai lần"),
    # S062 — a leaf mapped twice for the same methodology
    "s062": (LEAF, LEAF + LEAF.replace("[a, b]", "[a]"), "S062", 31, "đã được ánh xạ ở dòng 30"),
    # S063 — a mapping whose respondents are asked nothing
    "s063": (
        "  - methodology: thu-nghiem\n    leaves:\n",
        "  - methodology: thu-nghiem\n    respondents: [citizen]\n    leaves:\n"
        '      - {leaf: "1.2", groups: [b]}\n',
        "S063",
        31,
        "không câu hỏi nào của nhóm b",
    ),
}


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_one_change_gives_one_issue_with_code_line_and_message(row):
    old, new, code, line, phrase = row

    issue = only_issue(edit(old, new))

    assert (issue.code, issue.line) == (code, line), issue.format()
    assert phrase in issue.message, issue.message
    assert issue.format().startswith(f"{SOURCE}:{line}: {code}: ")


# --- rows that need more than one change ----------------------------------------------------


def two_scales(question: str = SCALE_Q) -> str:
    second = (
        "  - code: co_khong\n"
        "    options: [{code: 1, label: Có}, {code: 2, label: Không}]\n"
        "    satisfaction: {satisfied: [1]}\n"
    )
    return edit("questions:\n", second + "questions:\n", edit(SCALE_Q, question))


def test_s041_a_scale_question_must_name_its_scale_when_there_are_several():
    issues = issues_of(two_scales())

    assert [(i.code, i.line) for i in issues] == [(c, n) for n in (23, 24, 25) for c in ["S041"]]
    assert "cần 'scale' (có 2 thang đo: hai_long, co_khong)" in issues[0].message


def test_a_named_second_scale_is_used():
    text = two_scales().replace(
        'type: scale, text: "Câu A', 'type: scale, scale: hai_long, text: "Câu A'
    )
    text = text.replace('"Câu B1"', '"Câu B1", scale: co_khong')

    instrument = load(text)

    assert instrument.question("B1").scale is instrument.scale("co_khong")
    assert instrument.scale("co_khong").is_satisfied("1")


def test_questions_on_a_broken_scale_are_not_reported_again():
    text = edit(SATISFACTION, SATISFACTION.replace("[3]", "[7]"))

    assert [i.code for i in issues_of(text)] == ["S040"]


def test_a_broken_question_listed_in_a_group_is_reported_once():
    text = edit(SCALE_Q, '  - {code: A2, type: scale, text: "Câu A2", scale: xyz}\n')

    assert [i.code for i in issues_of(text)] == ["S041"]


def test_s051_respondent_question_answers_must_be_options_distinct_and_complete():
    text = BASE.replace(
        '  - {code: citizen, label: "Người dân"}\n  - {code: organization, label: "Tổ chức"}\n',
        '  - {code: citizen, label: "Người dân", answer: 1}\n'
        '  - {code: organization, label: "Tổ chức", answer: 1}\n'
        '  - {code: business, label: "DN", answer: 7}\n'
        '  - {code: other, label: "Khác"}\n',
    ).replace("source: sipas\n", "source: sipas\nrespondent_question: P1\n")
    text = text.replace(P1, P1.replace("type: single,", "type: single, respondents: [citizen],"))

    issues = issues_of(text)

    assert [(i.code, i.line) for i in issues] == [
        ("S051", 7),
        ("S051", 10),
        ("S051", 11),
        ("S051", 12),
    ]
    assert "thiếu: business, organization, other" in issues[0].message
    assert "trùng với loại 'citizen'" in issues[1].message
    assert "không phải phương án của câu 'P1'" in issues[2].message
    assert "thiếu 'answer'" in issues[3].message


def test_the_respondent_question_tells_the_respondent_type():
    text = BASE.replace('label: "Người dân"}', 'label: "Người dân", answer: 1}')
    text = text.replace('label: "Tổ chức"}', 'label: "Tổ chức", answer: 2}')
    text = text.replace("source: sipas\n", "source: sipas\nrespondent_question: P1\n")

    instrument = load(text)

    assert instrument.respondent_question == "P1"
    assert instrument.respondent_type_of("2").code == "organization"
    assert instrument.respondent_type_of("5") is None


def nested(children_weights: str = "weights: equal") -> str:
    groups = (
        "groups:\n"
        "  - code: tong\n"
        '    title: "Tổng"\n'
        "    weight: 1\n"
        f"    {children_weights}\n"
        "    children:\n"
        '      - {code: a, title: "A", questions: [A1, A2]}\n'
        '      - {code: b, title: "B", questions: [B1]}\n'
        "mappings:\n"
    )
    return BASE[: BASE.index("groups:\n")] + groups + BASE[BASE.index("mappings:\n") + 10 :]


def test_nested_groups_with_equal_weights():
    instrument = load(nested())

    top = instrument.group("tong")
    assert [g.code for g in top.children] == ["a", "b"]
    assert instrument.group("a").parent == "tong"
    assert instrument.share(instrument.group("a")) == pytest.approx(0.5)
    assert top.all_questions() == ("A1", "A2", "B1")
    assert [g.code for g in instrument.leaf_groups()] == ["a", "b"]


def test_s030_children_weights_are_checked_per_parent():
    text = nested("weights: equal").replace("    weights: equal\n", "")
    text = text.replace('title: "A",', 'title: "A", weight: 0.5,').replace(
        'title: "B",', 'title: "B", weight: 0.25,'
    )

    issue = only_issue(text)

    assert (issue.code, issue.line) == ("S030", 28)
    assert "các nhóm con của 'tong'" in issue.message


def test_s061_groups_of_one_leaf_must_be_siblings():
    text = nested().replace("groups: [a, b]}", "groups: [a, tong]}")

    issue = only_issue(text)

    assert (issue.code, issue.line) == ("S061", 35)
    assert "không cùng cấp" in issue.message


def test_s024_an_empty_group_and_its_question_in_no_group():
    issues = issues_of(edit(GROUP_B, GROUP_B.replace("[B1]", "[]")))

    assert [(i.code, i.line) for i in issues] == [("S021", 22), ("S024", 26)]
    assert "'questions' rỗng" in issues[1].message


def test_s024_empty_children():
    text = nested().replace(
        '    children:\n      - {code: a, title: "A", questions: [A1, A2]}\n'
        '      - {code: b, title: "B", questions: [B1]}\n',
        "    children: []\n",
    )

    codes = [i.code for i in issues_of(text)]

    assert "S024" in codes


def test_s005_groups_nest_at_most_four_levels():
    deep = "groups:\n"
    for level in range(5):
        pad = "  " * (2 * level)
        deep += f"{pad}  - code: g{level}\n{pad}    title: G\n{pad}    weight: 1\n"
        deep += f"{pad}    children:\n" if level < 4 else f"{pad}    questions: [A1, A2, B1]\n"
    text = BASE[: BASE.index("groups:\n")] + deep

    issues = issues_of(text)

    assert any(i.code == "S005" and "quá 4 cấp" in i.message for i in issues)


def test_s001_unreadable_and_missing_files(tmp_path):
    path = tmp_path / "hong.yaml"
    path.write_bytes(b"title: \xff\xfe")

    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    with pytest.raises(InstrumentError) as missing:
        load_instrument(tmp_path / "khong-co.yaml")

    assert [i.code for i in caught.value.issues] == ["S001"]
    assert "không đọc được tệp" in caught.value.issues[0].message
    assert [i.code for i in missing.value.issues] == ["S001"]


def test_s001_unknown_shipped_instrument():
    with pytest.raises(InstrumentError) as caught:
        load_shipped_instrument("khong-co")

    assert "sipas-2017.yaml" in caught.value.issues[0].message


def test_s004_empty_file_and_s005_not_a_mapping():
    assert only_issue("").code == "S004"
    assert only_issue("- a\n- b\n").code == "S005"


def test_a_file_on_disk_loads(tmp_path):
    path = tmp_path / "cong-cu.yaml"
    path.write_text(BASE, encoding="utf-8")

    assert load_instrument(path).file == str(path)


def test_every_issue_of_a_file_is_reported_at_once_in_line_order():
    text = edit(GROUP_B, GROUP_B.replace("[B1]", "[X1]"))
    text = edit("year: 2024\n", "year: 1\n", text)

    issues = issues_of(text)

    assert [(i.code, i.line) for i in issues] == [("S005", 4), ("S021", 22), ("S020", 26)]


def test_choice_and_number_questions():
    extra = (
        "  - code: M1\n"
        "    type: multiple\n"
        '    text: "Kênh nộp hồ sơ"\n'
        "    max_choices: 2\n"
        "    options: [{code: a, label: Trực tiếp}, {code: b, label: Trực tuyến}, "
        "{code: c, label: Bưu chính}]\n"
        "    missing: [{code: z, label: Không trả lời}]\n"
        "    required: true\n"
        "  - {code: N1, type: number, text: Số lần, min: 0, max: 10, integer: true}\n"
        "  - {code: T1, type: text, text: Góp ý, help: Tùy chọn}\n"
    )
    instrument = load(edit("groups:\n", extra + "groups:\n"))

    m1, n1 = instrument.question("M1"), instrument.question("N1")
    assert (m1.max_choices, m1.required) == (2, True)
    assert [o.code for o in m1.answer_options()] == ["a", "b", "c"]
    assert [o.code for o in m1.missing_options()] == ["z"]
    assert (n1.min, n1.max, n1.integer) == (0, 10, True)
    assert instrument.question("T1").help == "Tùy chọn"


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        (
            "{code: M1, type: multiple, text: M, max_choices: 3, "
            "options: [{code: a, label: A}, {code: b, label: B}]}",
            "từ 1 đến 2",
        ),
        ("{code: N1, type: number, text: N, min: 5, max: 1}", "'min' 5 lớn hơn 'max' 1"),
        ("{code: S1, type: single, text: S}", "thiếu khóa bắt buộc 'options'"),
    ],
)
def test_invalid_choice_and_number_questions(question, phrase):
    issue = only_issue(edit("groups:\n", f"  - {question}\ngroups:\n"))

    assert issue.line == 24
    assert phrase in issue.message


def test_metadata_and_decision():
    head = (
        'method: "SIPAS 2017–2020"\n'
        "decision: {number: 123/QĐ-UBND, date: 2024-01-15, issuer: UBND tỉnh}\n"
        "description: Mô tả\n"
        "notes: [Ghi chú 1, Ghi chú 2]\n"
    )
    instrument = load(edit("source: sipas\n", "source: sipas\n" + head))

    assert instrument.method == "SIPAS 2017–2020"
    assert instrument.decision.date == "15/01/2024"
    assert instrument.notes == ("Ghi chú 1", "Ghi chú 2")
    assert instrument.description == "Mô tả"


def test_loads_instrument_default_source_is_a_placeholder():
    with pytest.raises(InstrumentError) as caught:
        loads_instrument("id: x\n")

    assert caught.value.issues[0].source == "<dữ liệu>"


# --- wrong shapes: every part given as the wrong kind of YAML value -------------------------

SHAPES = {
    "respondent-types-scalar": (
        '  - {code: citizen, label: "Người dân"}\n  - {code: organization, label: "Tổ chức"}\n',
        "",
        "respondent_types:\n",
        "respondent_types: citizen\n",
    ),
    "respondent-types-empty": (
        '  - {code: citizen, label: "Người dân"}\n  - {code: organization, label: "Tổ chức"}\n',
        "",
        "respondent_types:\n",
        "respondent_types: []\n",
    ),
    "groups-scalar": (GROUP_A + GROUP_B, "", "groups:\n", "groups: a\n"),
    "group-questions-mapping": (GROUP_B, GROUP_B.replace("[B1]", "{B1: 1}")),
    "respondent-type-not-mapping": ('  - {code: citizen, label: "Người dân"}\n', "  - citizen\n"),
    "respondent-type-bad-answer": (
        'label: "Người dân"}',
        'label: "Người dân", answer: "a b"}',
    ),
    "scales-empty": (
        "".join(BASE.splitlines(keepends=True)[10:18]),
        "",
        "scales:\n",
        "scales: []\n",
    ),
    "scale-not-mapping": ("  - code: hai_long\n", "  - hai_long\n  - code: x\n"),
    "scale-bad-code": ("  - code: hai_long\n", "  - code: hai long\n"),
    "scale-duplicate": (
        "questions:\n",
        "  - {code: hai_long, options: [{code: 1, label: A}, {code: 2, label: B}],"
        " satisfaction: {satisfied: [1]}}\nquestions:\n",
    ),
    "options-scalar": (
        '      - {code: 2, label: "Bình thường"}\n      - {code: 3, label: "Hài lòng"}\n',
        "",
        '    options:\n      - {code: 1, label: "Không hài lòng"}\n',
        "    options: 1\n",
    ),
    "option-not-mapping": ('      - {code: 3, label: "Hài lòng"}\n', "      - 3\n"),
    "option-bad-value": ('{code: 3, label: "Hài lòng"}', '{code: 3, label: "Hài lòng", value: x}'),
    "satisfaction-scalar": (SATISFACTION, "    satisfaction: share\n"),
    "satisfied-mapping": (SATISFACTION, "    satisfaction: {satisfied: {a: 1}}\n"),
    "questions-empty": (
        "".join(BASE.splitlines(keepends=True)[19:23]),
        "",
        "questions:\n",
        "questions: []\n",
    ),
    "question-not-mapping": (SCALE_Q, "  - A2\n"),
    "question-scale-bad-code": (SCALE_Q, '  - {code: A2, type: scale, scale: "a b", text: A}\n'),
    "group-not-mapping": (GROUP_B, "  - b\n"),
    "group-bad-code": (GROUP_B, GROUP_B.replace("code: b", "code: b c")),
    "mappings-scalar": (
        "  - methodology: thu-nghiem\n    leaves:\n" + LEAF,
        "",
        "mappings:\n",
        "mappings: 1.1\n",
    ),
    "mapping-block-scalar": ("  - methodology: thu-nghiem\n    leaves:\n" + LEAF, "  - x\n"),
    "leaves-scalar": ("    leaves:\n" + LEAF, "    leaves: 1.1\n"),
    "leaf-not-mapping": (LEAF, '      - "1.1"\n'),
    "leaf-groups-empty": (LEAF, '      - {leaf: "1.1", groups: []}\n'),
    "decision-scalar": ("source: sipas\n", "source: sipas\ndecision: 2640/QĐ-BNV\n"),
    "notes-mapping": ("source: sipas\n", "source: sipas\nnotes: {a: 1}\n"),
    "note-not-text": ("source: sipas\n", "source: sipas\nnotes: [1]\n"),
    "respondent-question-bad": ("source: sipas\n", "source: sipas\nrespondent_question: a b\n"),
}


@pytest.mark.parametrize("changes", SHAPES.values(), ids=SHAPES.keys())
def test_wrong_shapes_are_reported_never_raised_as_python_errors(changes):
    text = BASE
    for old, new in zip(changes[::2], changes[1::2], strict=True):
        text = edit(old, new, text)

    issues = issues_of(text)

    assert issues and {i.code for i in issues} <= {"S004", "S005", "S010", "S021", "S060"}
    assert all(i.line for i in issues), [i.format() for i in issues]


def test_notes_may_be_one_text():
    assert load(edit("source: sipas\n", "source: sipas\nnotes: Một ghi chú\n")).notes == (
        "Một ghi chú",
    )


def test_questions_of_an_invalid_group_are_not_reported_again_as_in_no_group():
    text = nested().replace("  - code: tong\n", "  - code: tổng\n")

    issues = issues_of(text)

    assert [(i.code, i.line) for i in issues] == [("S005", 25), ("S060", 35)]
