"""Checks that an instrument's mappings fit a methodology.

An instrument and a methodology are separate files, edited by different people and loaded
at different times; :func:`check_mapping` tells, before any response is imported, whether
the survey can feed the methodology's ``survey`` leaves.
"""

from __future__ import annotations

from ..errors import Issue
from ..methodology import Methodology, Node
from ..methodology.rules import SurveyRule
from .instrument import Instrument, LeafMapping


def check_mapping(instrument: Instrument, methodology: Methodology) -> list[Issue]:
    """Problems in feeding ``methodology`` from ``instrument``; an empty list means none.

    Every mapped leaf must exist, be a leaf and have a ``survey`` rule whose source is the
    mapping's (when it declares one); every ``survey`` leaf with a source the mappings use
    must be mapped. Issues name the instrument file, the mapping's line and the leaf code.
    """
    mappings = instrument.mappings_for(methodology.id)
    if not mappings:
        names = sorted({m.methodology for m in instrument.mappings if m.methodology})
        msg = (
            f"công cụ {instrument.id} không có ánh xạ cho bộ tiêu chí '{methodology.id}' "
            f"(có ánh xạ cho: {', '.join(names) or 'không bộ nào'})"
        )
        return [Issue("S073", msg, instrument.file, instrument.mappings_line or None)]
    issues = [i for m in mappings if (i := _check_leaf(instrument, methodology, m)) is not None]
    return issues + _unmapped(instrument, methodology, mappings)


def _check_leaf(instrument: Instrument, methodology: Methodology, m: LeafMapping) -> Issue | None:
    def issue(code: str, message: str) -> Issue:
        return Issue(code, message, instrument.file, m.line, node=m.leaf)

    node = methodology.nodes.get(m.leaf)
    if node is None:
        leaves = ", ".join(n.code for n in _survey_leaves(methodology, m.source)) or "không có"
        msg = f"bộ tiêu chí '{methodology.id}' không có tiêu chí {m.leaf}; tiêu chí khảo sát"
        return issue("S070", f"{msg}{_of(m.source)}: {leaves}")
    if not node.is_leaf or not isinstance(node.rule, SurveyRule):
        what = "có tiêu chí con" if not node.is_leaf else f"chấm bằng quy tắc {_rule_type(node)}"
        msg = f"tiêu chí {m.leaf} {what}; chỉ ánh xạ tới tiêu chí lá có quy tắc survey"
        return issue("S071", msg)
    if m.source is not None and node.rule.source != m.source:
        msg = (
            f"tiêu chí {m.leaf} lấy điểm từ nguồn khảo sát '{node.rule.source}', "
            f"không phải '{m.source}' như ánh xạ khai"
        )
        return issue("S072", msg)
    return None


def _unmapped(
    instrument: Instrument, methodology: Methodology, mappings: tuple[LeafMapping, ...]
) -> list[Issue]:
    """``survey`` leaves of a source this instrument feeds, but that no mapping names."""
    mapped = {m.leaf for m in mappings}
    issues = []
    for source in dict.fromkeys(m.source for m in mappings if m.source is not None):
        line = next(m.line for m in mappings if m.source == source)
        for node in _survey_leaves(methodology, source):
            if node.code not in mapped:
                msg = (
                    f"tiêu chí {node.code} của bộ tiêu chí '{methodology.id}' lấy điểm từ nguồn "
                    f"'{source}' nhưng công cụ {instrument.id} không ánh xạ nhóm nào tới nó"
                )
                issues.append(Issue("S073", msg, instrument.file, line, node=node.code))
    return issues


def _survey_leaves(methodology: Methodology, source: str | None) -> list[Node]:
    return [
        n
        for n in methodology.leaves()
        if isinstance(n.rule, SurveyRule) and (source is None or n.rule.source == source)
    ]


def _of(source: str | None) -> str:
    return "" if source is None else f" nguồn '{source}'"


def _rule_type(node: Node) -> str:
    return node.rule.type if node.rule is not None else "(không có)"


__all__ = ["check_mapping"]
