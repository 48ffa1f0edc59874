"""Small methodology texts for the core tests, laid out so that line numbers are easy to count.

``methodology_yaml`` writes an 8-line header (``format`` on line 1, ``year`` on line 4,
``status`` on line 5, ``max_points`` on line 7, ``nodes:`` on line 8); the nodes start on
line 9 and anything in ``tail`` follows them.

``leaf_nodes(rule)`` is one area "1" with one leaf "1.1", both worth 10 points::

     9  - code: "1"
    10    title: "Lĩnh vực 1"
    11    max: 10
    12    children:
    13      - code: "1.1"
    14        title: "Tiêu chí 1.1"
    15        max: 10
    16        rule:
    17          type: …          <- the rule's first line (lines before it shift it down)

``ONE_BOOLEAN_LEAF`` (the default nodes) ends on line 17, so ``tail`` starts on line 18.

``with_extra_area(kind, rule)`` keeps a standard area "1" (leaf "1.1", boolean, 10 points) on
lines 9–17 and adds area "2" of the given kind, worth 2 points, with leaf "2.1" whose rule
starts on line 27.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

from parindex.core import (
    Issue,
    Methodology,
    MethodologyError,
    Unit,
    loads_methodology,
)

NODES_START = 9

_HEADER = """\
format: parindex/methodology@1
id: thu-nghiem
title: "Bộ tiêu chí thử nghiệm"
year: {year}
status: {status}
unit_types: {unit_types}
max_points: {max_points}
nodes:
"""


def leaf_nodes(rule: str, *, max_points: str = "10", before_rule: str = "") -> str:
    """One area with one leaf; ``rule`` is the rule mapping in block style, unindented."""
    return (
        '- code: "1"\n'
        '  title: "Lĩnh vực 1"\n'
        f"  max: {max_points}\n"
        "  children:\n"
        '    - code: "1.1"\n'
        '      title: "Tiêu chí 1.1"\n'
        f"      max: {max_points}\n"
        + textwrap.indent(textwrap.dedent(before_rule), " " * 6)
        + "      rule:\n"
        + textwrap.indent(textwrap.dedent(rule), " " * 8)
    )


ONE_BOOLEAN_LEAF = leaf_nodes("type: boolean\n")


def with_extra_area(kind: str, rule: str) -> str:
    """A standard area "1" (10 points) and an area "2" of ``kind`` (2 points) with leaf 2.1."""
    return (
        ONE_BOOLEAN_LEAF
        + '- code: "2"\n'
        + '  title: "Lĩnh vực 2"\n'
        + "  max: 2\n"
        + f"  kind: {kind}\n"
        + "  children:\n"
        + '    - code: "2.1"\n'
        + '      title: "Tiêu chí 2.1"\n'
        + "      max: 2\n"
        + "      rule:\n"
        + textwrap.indent(textwrap.dedent(rule), " " * 8)
    )


def methodology_yaml(
    nodes: str = ONE_BOOLEAN_LEAF,
    *,
    tail: str = "",
    year: str = "2026",
    status: str = "sample",
    unit_types: str = "[department, central_agency]",
    max_points: str = "10",
) -> str:
    """A whole methodology file; ``nodes`` is the list of areas, unindented."""
    header = _HEADER.format(year=year, status=status, unit_types=unit_types, max_points=max_points)
    return header + textwrap.indent(textwrap.dedent(nodes), "  ") + textwrap.dedent(tail)


def issues_of(text: str) -> list[Issue]:
    """Every issue the loader reports for ``text`` (the test fails if the text loads)."""
    try:
        loads_methodology(text, source="bo-tieu-chi.yaml")
    except MethodologyError as exc:
        return exc.issues
    raise AssertionError("the methodology loaded, but an error was expected")


def only_issue(text: str) -> Issue:
    """The single issue reported for ``text``."""
    issues = issues_of(text)
    assert len(issues) == 1, [i.format() for i in issues]
    return issues[0]


def leaf_methodology(rule: str, *, max_points: str = "10", tail: str = "") -> Methodology:
    """A loaded methodology with one leaf "1.1" scored by ``rule``."""
    nodes = leaf_nodes(rule, max_points=max_points)
    return loads_methodology(methodology_yaml(nodes, max_points=max_points, tail=tail))


def unit(
    code: str = "SNV",
    *,
    type: str = "department",
    group: str = "Sở",
    exempt: frozenset[str] = frozenset(),
) -> Unit:
    return Unit(code=code, name=f"Đơn vị {code}", type=type, group=group, exempt=exempt)


def d(text: str) -> Decimal:
    return Decimal(text)
