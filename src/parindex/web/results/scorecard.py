"""A unit's scorecard (areas, every node, lost points, chart) and the trace of any number.

The stored row is turned back into a core :class:`~parindex.core.UnitResult`, so component
indexes, percents and lost points come from the engine's own code; a trace recomputes the
number with :func:`parindex.core.explain` from the inputs stored at finalization.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.core import (
    AreaResult,
    LostPoints,
    Methodology,
    Node,
    TraceNode,
    UnitResult,
    exempted_by,
    explain,
    format_trace,
    format_vn,
)
from parindex.web.assessments.scoring import core_unit, typed_inputs
from parindex.web.common import not_found
from parindex.web.periods.services import methodology_of

from .models import UnitResultRecord
from .selectors import unit_result


@dataclass(frozen=True, slots=True)
class NodeLine:
    """One node of the score sheet; ``points`` is ``None`` where it does not count."""

    node: Node
    points: Decimal | None
    max: Decimal | None
    percent: Decimal | None
    lost: Decimal | None
    note: str = ""


@dataclass(slots=True)
class Scorecard:
    record: UnitResultRecord
    result: UnitResult
    areas: list[AreaResult]
    lines: list[NodeLine]
    lost: list[LostPoints]
    chart: str  # the plotly figure as JSON, safe inside <script type="application/json">

    @property
    def methodology(self) -> Methodology:
        return self.result.methodology

    @property
    def points_decimals(self) -> int:
        return self.methodology.rounding.points

    @property
    def index_decimals(self) -> int:
        return self.methodology.rounding.index


def scorecard(record: UnitResultRecord) -> Scorecard:
    """Areas, every node, lost points (largest first) and the chart of one unit (no query)."""
    result = unit_result(record)
    areas = result.areas()
    lines = [_line(result, node) for node in result.methodology.walk()]
    return Scorecard(record, result, areas, lines, result.lost_points(), area_chart(result, areas))


def _line(result: UnitResult, node: Node) -> NodeLine:
    points, top = result.points[node.code], result.maxima[node.code]
    if points is None or top is None:
        exempt = exempted_by(node, result.unit)
        note = _("được miễn") if exempt else _("không áp dụng")
        return NodeLine(node, None, None, None, None, note)
    if node.area.kind != "standard":  # bonus and penalty: points added or taken, no share
        return NodeLine(node, points, top, None, None)
    lost = top - points if node.is_leaf else None
    return NodeLine(node, points, top, result.percent(node.code), lost)


def area_chart(result: UnitResult, areas: list[AreaResult]) -> str:
    """A plotly bar chart of the component index of each area, as JSON for the page."""
    d, p = result.methodology.rounding.index, result.methodology.rounding.points
    shown = [a for a in areas if a.index is not None]
    figure = {
        "data": [
            {
                "type": "bar",
                "x": [a.code for a in shown],
                "y": [float(a.index) for a in shown if a.index is not None],
                "text": [format_vn(a.index, d) + " %" for a in shown if a.index is not None],
                "textposition": "auto",
                "customdata": [
                    f"{a.title}<br>{format_vn(a.points, p)} / {format_vn(a.max, p)}" for a in shown
                ],
                "hovertemplate": "%{x}. %{customdata}<extra></extra>",
                "marker": {"color": "#0d6efd"},
            }
        ],
        "layout": {
            "separators": ",.",  # decimal comma, dot thousands
            "height": 320,
            "margin": {"l": 50, "r": 10, "t": 30, "b": 40},
            "title": {"text": _("Chỉ số thành phần theo lĩnh vực (%)"), "font": {"size": 14}},
            "xaxis": {"type": "category", "title": {"text": _("Lĩnh vực")}},
            "yaxis": {"range": [0, 100], "title": {"text": "%"}},
        },
    }
    text = json.dumps(figure, ensure_ascii=False)
    # Inside a <script> element: no "</script>" or "<!--" from a title can end it early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- traces ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trace:
    root: TraceNode
    text: str  # the same trace as plain text (format_trace)
    matches_stored: bool  # recomputing gave the number that was stored at finalization


def trace(record: UnitResultRecord, code: str | None) -> Trace:
    """Why one number of the unit is what it is (``code=None``: the total and the index),
    recomputed by the core engine from the inputs stored at finalization. Unknown node: 404.
    Without the whole period's results the rank is not explained here."""
    m = methodology_of(record.methodology)
    if code is not None and code not in m.nodes:
        not_found()
    unit = core_unit(record.unit, record.exempt)
    rows = ((unit.code, leaf, texts) for leaf, texts in record.inputs.items())
    inputs = typed_inputs(m, rows).get(unit.code, {})
    root = explain(m, unit, inputs, code)
    if code is None:
        stored: Decimal | None = record.total
    else:
        stored = Decimal(record.nodes[code][0]) if code in record.nodes else None
    return Trace(root, format_trace(root), root.points == stored)
