"""Results as a JSON document: numbers are strings with the methodology's decimals."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core import Methodology, Results, UnitResult
from ..core.decimals import plain


def pts(m: Methodology, value: Decimal | None) -> str | None:
    """Points as a fixed-decimal string (``rounding.points``); ``None`` stays ``None``."""
    return None if value is None else plain(value, m.rounding.points)


def idx(m: Methodology, value: Decimal | None) -> str | None:
    """An index or percentage as a fixed-decimal string (``rounding.index``)."""
    return None if value is None else plain(value, m.rounding.index)


def results_document(results: Results) -> dict[str, Any]:
    """Results as plain data: numbers are strings with the methodology's decimals."""
    m = results.methodology
    return {
        "methodology": {
            "id": m.id,
            "title": m.title,
            "year": m.year,
            "status": m.status,
            "max_points": pts(m, m.max_points),
            "rounding": {
                "points": m.rounding.points,
                "index": m.rounding.index,
                "mode": m.rounding.mode,
            },
            "source": m.source,
        },
        "units": [_unit_document(r) for r in results.units],
        "warnings": [
            {"code": f.code, "unit": f.unit, "node": f.node, "message": f.message}
            for f in results.findings
        ],
    }


def _unit_document(r: UnitResult) -> dict[str, Any]:
    m = r.methodology
    return {
        "code": r.unit.code,
        "name": r.unit.name,
        "group": r.unit.group,
        "total": pts(m, r.total),
        "max": pts(m, r.max),
        "index": idx(m, r.index),
        "rank": r.rank,
        "class": r.klass.code if r.klass else None,
        "areas": [
            {
                "code": a.code,
                "points": pts(m, a.points),
                "max": pts(m, a.max),
                "index": idx(m, a.index),
            }
            for a in r.areas()
        ],
        "nodes": {code: pts(m, points) for code, points in r.points.items()},
        # The unit's applicable maximum per node (null: does not apply), so that a reader can
        # compute any node's percentage: nodes[code] / maxima[code] × 100.
        "maxima": {code: pts(m, top) for code, top in r.maxima.items()},
        "lost": [
            {
                "code": lost.code,
                "max": pts(m, lost.max),
                "points": pts(m, lost.points),
                "lost": pts(m, lost.lost),
            }
            for lost in r.lost_points()
        ],
    }


def write_json(results: Results, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        json.dump(results_document(results), f, ensure_ascii=False, indent=2)
        f.write("\n")
