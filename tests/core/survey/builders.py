"""A small valid instrument whose line numbers the tests can count on.

``BASE`` (line numbers on the left)::

     1  format: parindex/survey@1
     6  source: sipas
     7  respondent_types:            citizen (8), organization (9)
    10  scales:                      hai_long: options 1, 2, 3 (13–15), missing 9 (17),
    18                               satisfaction: satisfied [3]
    19  questions:                   A1 (20), A2 (21), B1 (22, organisations only), P1 (23)
    24  groups:                      a: 0.6 [A1, A2] (25), b: 0.4 [B1] (26)
    27  mappings:                    thu-nghiem: leaf 1.1 ← [a, b] (30)

Tests change one line with :func:`edit` and check the code, the line and the message.
"""

from __future__ import annotations

from parindex.core import Issue, Methodology, loads_methodology
from parindex.core.survey import Instrument, InstrumentError, loads_instrument

from ..builders import leaf_nodes, methodology_yaml

BASE = """\
format: parindex/survey@1
id: thu-nghiem
title: "Công cụ thử nghiệm"
year: 2024
status: sample
source: sipas
respondent_types:
  - {code: citizen, label: "Người dân"}
  - {code: organization, label: "Tổ chức"}
scales:
  - code: hai_long
    options:
      - {code: 1, label: "Không hài lòng"}
      - {code: 2, label: "Bình thường"}
      - {code: 3, label: "Hài lòng"}
    missing:
      - {code: 9, label: "Không trả lời"}
    satisfaction: {method: share, satisfied: [3]}
questions:
  - {code: A1, type: scale, text: "Câu A1"}
  - {code: A2, type: scale, text: "Câu A2"}
  - {code: B1, type: scale, text: "Câu B1", respondents: [organization]}
  - {code: P1, type: single, text: Giới, options: [{code: 1, label: Nam}, {code: 2, label: Nữ}]}
groups:
  - {code: a, title: "Nhóm A", weight: 0.6, questions: [A1, A2]}
  - {code: b, title: "Nhóm B", weight: 0.4, questions: [B1]}
mappings:
  - methodology: thu-nghiem
    leaves:
      - {leaf: "1.1", groups: [a, b]}
"""

SOURCE = "cong-cu.yaml"


def edit(old: str, new: str, text: str = BASE) -> str:
    """``text`` with the one occurrence of ``old`` replaced (fails if not exactly one)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def load(text: str = BASE) -> Instrument:
    return loads_instrument(text, source=SOURCE)


def issues_of(text: str) -> list[Issue]:
    """Every issue the loader reports (the test fails if the text loads)."""
    try:
        load(text)
    except InstrumentError as exc:
        return exc.issues
    raise AssertionError("the instrument loaded, but an error was expected")


def only_issue(text: str) -> Issue:
    issues = issues_of(text)
    assert len(issues) == 1, [i.format() for i in issues]
    return issues[0]


def survey_methodology(*leaves: tuple[str, str], ident: str = "thu-nghiem") -> Methodology:
    """A methodology with area "1" and one leaf per (code, rule) pair, 10 points each."""
    nodes = '- code: "1"\n  title: "Lĩnh vực 1"\n' + f"  max: {10 * len(leaves)}\n  children:\n"
    for code, rule in leaves:
        nodes += (
            f'    - code: "{code}"\n      title: "Tiêu chí {code}"\n      max: 10\n'
            f"      rule: {rule}\n"
        )
    text = methodology_yaml(nodes, max_points=str(10 * len(leaves)))
    return loads_methodology(text.replace("id: thu-nghiem", f"id: {ident}"))


__all__ = ["BASE", "edit", "issues_of", "leaf_nodes", "load", "only_issue", "survey_methodology"]
