"""Progress figures of an assessment (leaves scored, points claimed, evidence missing, per
area and in all) and the counts the lists of assessments show, each in one query."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from parindex.core import Methodology, Node, format_vn
from parindex.core.units import fold
from parindex.web.appraisal.models import RequestState
from parindex.web.evidence.models import EvidenceLink
from parindex.web.periods.services import methodology_of

from .models import AppraisalStatus, Assessment

if TYPE_CHECKING:
    from .selectors import LeafView


def points_text(m: Methodology, value: Decimal | None) -> str:
    return "—" if value is None else format_vn(value, m.rounding.points)


@dataclass
class AreaView:
    node: Node
    rows: list[tuple[Node, LeafView | None]] = field(default_factory=list)
    claimed: Decimal = Decimal(0)
    done: int = 0
    total: int = 0
    evidence_missing: int = 0
    appraised: int = 0  # leaves the appraisers have accepted or re-scored
    loaded: bool = True  # rows filled (the self-assessment page loads other areas on opening)


@dataclass
class _Leaf:
    """What the progress figures need of a leaf (no forms, no evidence objects)."""

    self_points: Decimal | None
    has_evidence: bool
    node: Node

    @property
    def evidence_missing(self) -> bool:
        return self.node.evidence_required and not self.has_evidence


def progress(assessment: Assessment) -> dict[str, Any]:
    """The progress figures alone, in one query: sent with every save."""
    m = methodology_of(assessment.methodology)
    rows = assessment.leaves.annotate(
        has_evidence=Exists(EvidenceLink.objects.filter(leaf=OuterRef("pk")))
    ).values_list("node_code", "self_points", "reopened", "has_evidence", "appraisal_status")
    by_area: dict[str, AreaView] = {}
    reopened = []
    for code, points, is_reopened, has_evidence, status in rows:
        if is_reopened:
            reopened.append(code)
        node = m.node(code)
        area = by_area.setdefault(node.area.code, AreaView(node.area))
        leaf = _Leaf(points, has_evidence, node)
        area.total += 1
        if points is not None:
            area.done += 1
            area.claimed += points
        if leaf.evidence_missing:
            area.evidence_missing += 1
        if status != AppraisalStatus.PENDING:
            area.appraised += 1
    areas = [by_area[a.code] for a in m.areas if a.code in by_area]
    return {
        "m": m,
        "areas": areas,
        "done": sum(a.done for a in areas),
        "total": sum(a.total for a in areas),
        "claimed": points_text(m, sum((a.claimed for a in areas), Decimal(0))),
        "evidence_missing": sum(a.evidence_missing for a in areas),
        "reopened": sorted(reopened),
    }


def with_progress(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate each assessment with its counts in the same query (no query per row):
    ``n_leaves``, ``n_done`` (self-scored), ``n_appraised``, ``n_open`` (explanation requests
    waiting for the unit) and ``n_answered`` (waiting for the appraiser's decision)."""

    def requests(state: str) -> Count:
        return Count(
            "leaves__explanation", filter=Q(leaves__explanation__state=state), distinct=True
        )

    return assessments.annotate(
        n_leaves=Count("leaves", distinct=True),
        n_done=Count("leaves", filter=Q(leaves__self_points__isnull=False), distinct=True),
        n_appraised=Count(
            "leaves", filter=~Q(leaves__appraisal_status=AppraisalStatus.PENDING), distinct=True
        ),
        n_open=requests(RequestState.OPEN),
        n_answered=requests(RequestState.ANSWERED),
    )


def narrowed(
    rows: list[Assessment], *, group: str = "", state: str = "", q: str = ""
) -> list[Assessment]:
    """The rows of one ranking group, in one state, whose unit's code or name contains ``q``
    typed with or without diacritics ("tan lap" finds "Xã Tân Lập"); empty means any. The
    progress dashboard and the appraisal queue filter the rows they have already read."""
    wanted = fold(q)
    return [
        r
        for r in rows
        if group in ("", r.unit.group.code)
        and state in ("", r.state)
        and (not wanted or wanted in fold(f"{r.unit.code} {r.unit.name}"))
    ]
