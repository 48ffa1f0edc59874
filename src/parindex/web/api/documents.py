"""The JSON shapes of the API. Numbers are strings with the methodology's decimals (points
with ``rounding.points``, indices with ``rounding.index``), as in the CLI's JSON; times are
ISO 8601 in Vietnam time; texts are Vietnamese, as stored."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from parindex.core import Methodology, Node, UnitResult
from parindex.exports.document import idx, pts
from parindex.web.periods.models import MethodologyVersion, Period, PeriodState
from parindex.web.results.models import UnitResultRecord
from parindex.web.units.models import Unit, UnitType


def when(value: datetime | None) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat()


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def period_document(p: Period) -> dict[str, Any]:
    """Needs ``groups`` prefetched with their group."""
    return {
        "id": p.pk,
        "year": p.year,
        "name": p.name,
        "state": p.state,
        "state_label": str(PeriodState(p.state).label),
        "deadlines": {
            "self_assessment": when(p.self_assessment_deadline),
            "appraisal": when(p.appraisal_deadline),
            "explanation": when(p.explanation_deadline),
            "finalization": when(p.finalization_deadline),
        },
        "finalized_at": when(p.finalized_at),
        "published_at": when(p.published_at),
        "groups": [
            {"code": g.group.code, "name": g.group.name, "methodology": g.methodology_id}
            for g in sorted(p.groups.all(), key=lambda g: g.group.code)
        ],
    }


def unit_document(u: Unit) -> dict[str, Any]:
    """Needs ``group`` and ``parent`` selected."""
    return {
        "code": u.code,
        "name": u.name,
        "type": u.type,
        "type_label": str(UnitType(u.type).label),
        "group": u.group.code,
        "group_name": u.group.name,
        "parent": u.parent.code if u.parent else None,
        "valid_from": day(u.valid_from),
        "valid_to": day(u.valid_to),
    }


def methodology_summary(v: MethodologyVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "code": v.code,
        "title": v.title,
        "year": v.year,
        "status": v.status,
        "source_name": v.source_name,
        "sha256": v.sha256,
        "created_at": when(v.created_at),
    }


def methodology_document(v: MethodologyVersion, m: Methodology) -> dict[str, Any]:
    return {
        **methodology_summary(v),
        "max_points": pts(m, m.max_points),
        "unit_types": list(m.unit_types),
        "rounding": {
            "points": m.rounding.points,
            "index": m.rounding.index,
            "mode": m.rounding.mode,
        },
        "classes": [{"code": c.code, "label": c.label, "min": idx(m, c.min)} for c in m.classes],
        "nodes": [_node(m, area) for area in m.areas],
    }


def _node(m: Methodology, node: Node) -> dict[str, Any]:
    return {
        "code": node.code,
        "title": node.title,
        "kind": node.kind,
        "max": pts(m, node.max),
        "rule": node.rule.type if node.rule else None,
        "reference": node.reference,
        "applies_to": sorted(node.applies_to) if node.applies_to is not None else None,
        "exemptible": node.exemptible,
        "children": [_node(m, child) for child in node.children],
    }


def result_row(r: UnitResultRecord, res: UnitResult) -> dict[str, Any]:
    """``res`` is the row as the core's result (areas are the engine's own computation)."""
    m = res.methodology
    return {
        "code": r.unit.code,
        "name": r.unit.name,
        "group": r.group.code,
        "methodology": r.methodology_id,
        "total": pts(m, r.total),
        "max": pts(m, r.max),
        "index": idx(m, r.index),
        "rank": r.rank,
        "class": r.class_code or None,
        "class_label": r.class_label or None,
        "areas": [
            {
                "code": a.code,
                "title": a.title,
                "kind": a.kind,
                "points": pts(m, a.points),
                "max": pts(m, a.max),
                "index": idx(m, a.index),
            }
            for a in res.areas()
        ],
    }


def result_document(r: UnitResultRecord, res: UnitResult) -> dict[str, Any]:
    """One unit: the row, plus every node that counts for it and the points it lost."""
    m = res.methodology
    applicable = [code for code in m.nodes if res.points[code] is not None]
    return {
        **result_row(r, res),
        "period": r.period_id,
        "exempt": list(r.exempt),
        "nodes": {
            code: {"points": pts(m, res.points[code]), "max": pts(m, res.maxima[code])}
            for code in _tree_order(m, applicable)
        },
        "lost": [
            {
                "code": lp.code,
                "title": lp.title,
                "max": pts(m, lp.max),
                "points": pts(m, lp.points),
                "lost": pts(m, lp.lost),
            }
            for lp in res.lost_points()
        ],
    }


def _tree_order(m: Methodology, codes: Iterable[str]) -> list[str]:
    wanted = set(codes)
    return [node.code for node in m.walk() if node.code in wanted]
