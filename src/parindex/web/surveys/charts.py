"""The plotly figure of a unit's survey: each group's index with its 95 % interval as error
bars, and last year's index beside it when there is one. Served with the plotly.js that
ships in the plotly package (no CDN)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from parindex.core import format_vn

from .comparison import DECIMALS
from .selectors import Line


def groups_chart(lines: Sequence[Line], previous_year: int | None) -> str:
    shown = [line for line in lines if line.index is not None]
    current: dict[str, Any] = {
        "type": "bar",
        "name": _("Năm nay"),
        "x": [line.code for line in shown],
        "y": [float(line.index) for line in shown if line.index is not None],
        "text": [format_vn(line.index, DECIMALS) for line in shown if line.index is not None],
        "textposition": "inside",
        "customdata": [_hover(line) for line in shown],
        "hovertemplate": "%{customdata}<extra></extra>",
        "marker": {"color": "#0d6efd"},
        "error_y": {
            "type": "data",
            "symmetric": False,
            "array": [_gap(line.high, line.index) for line in shown],
            "arrayminus": [_gap(line.index, line.low) for line in shown],
            "color": "#212529",
            "thickness": 1.5,
        },
    }
    data = [current]
    if previous_year is not None and any(line.previous is not None for line in shown):
        data.append(
            {
                "type": "bar",
                "name": str(previous_year),
                "x": [line.code for line in shown],
                "y": [None if line.previous is None else float(line.previous) for line in shown],
                "hovertemplate": "%{x}: %{y:.2f} %<extra>" + str(previous_year) + "</extra>",
                "marker": {"color": "#adb5bd"},
            }
        )
    figure = {
        "data": data,
        "layout": {
            "separators": ",.",
            "barmode": "group",
            "height": 340,
            "margin": {"l": 50, "r": 10, "t": 30, "b": 60},
            "title": {"text": _("Chỉ số theo nhóm, khoảng tin cậy 95 % (%)"), "font": {"size": 14}},
            "xaxis": {"type": "category"},
            "yaxis": {"range": [0, 100], "title": {"text": "%"}},
            "legend": {"orientation": "h"},
        },
    }
    text = json.dumps(figure, ensure_ascii=False)
    # Inside a <script> element: no "</script>" or "<!--" from a title can end it early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _gap(a: Any, b: Any) -> float:
    return 0.0 if a is None or b is None else float(a - b)


def _hover(line: Line) -> str:
    interval = ""
    if line.low is not None and line.high is not None:
        interval = f" [{format_vn(line.low, DECIMALS)}–{format_vn(line.high, DECIMALS)}]"
    index = format_vn(line.index, DECIMALS) if line.index is not None else "—"
    return f"{line.code}. {line.title}<br>{index} %{interval}, n = {line.n or 0}"
