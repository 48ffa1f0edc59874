"""Finalize a period (compute and store results with the core engine) and publish it.

Scores are frozen by the period's state: once ``final``, every edit use case refuses. The
stored rows keep the exact inputs they were computed from, so any number can be traced
again with :func:`parindex.core.explain`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import Results, compute
from parindex.web.accounts.models import User
from parindex.web.assessments.models import Assessment, LeafScore
from parindex.web.assessments.scoring import core_unit, typed_inputs
from parindex.web.bulk import insert_rows
from parindex.web.common import ServiceError
from parindex.web.periods.models import Period, PeriodState
from parindex.web.periods.services import methodology_of

from .models import UnitResultRecord


def effective_texts(period: Period) -> dict[int, dict[str, dict[str, str]]]:
    """assessment id → leaf code → the input texts that count (final, else appraised, else self)."""
    out: dict[int, dict[str, dict[str, str]]] = defaultdict(dict)
    rows = LeafScore.objects.filter(assessment__period=period).values_list(
        "assessment_id", "node_code", "self_inputs", "appraised_inputs", "final_inputs"
    )
    for aid, code, own, appraised, final in rows.iterator(chunk_size=5000):
        texts = final if final is not None else appraised if appraised is not None else own
        if texts:
            out[aid][code] = texts
    return out


def compute_period(
    period: Period, texts: dict[int, dict[str, dict[str, str]]] | None = None
) -> list[tuple[Assessment, Results]]:
    """Results per methodology of the period, from the effective inputs (pure computation)."""
    if texts is None:
        texts = effective_texts(period)
    by_version: dict[int, list[Assessment]] = defaultdict(list)
    for a in Assessment.objects.filter(period=period).select_related(
        "unit", "unit__group", "methodology"
    ):
        by_version[a.methodology_id].append(a)
    out: list[tuple[Assessment, Results]] = []
    for assessments in by_version.values():
        m = methodology_of(assessments[0].methodology)
        units = [core_unit(a.unit, a.exempt) for a in assessments]
        rows = ((a.unit.code, code, t) for a in assessments for code, t in texts[a.pk].items())
        results = compute(m, units, typed_inputs(m, rows))
        out += [(a, results) for a in assessments]
    return out


@transaction.atomic
def period_finalize(*, actor: User, period: Period) -> int:
    """Freeze the scores, compute every unit's results and store them. Returns the count."""
    if not actor.is_admin:
        raise ServiceError(_("Chỉ cán bộ quản trị (Sở Nội vụ) được chốt điểm."))
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.state not in (PeriodState.APPRAISAL, PeriodState.EXPLANATION):
        raise ServiceError(
            _("Chỉ chốt điểm được khi kỳ đánh giá ở giai đoạn thẩm định hoặc giải trình.")
        )
    texts = effective_texts(period)
    computed = compute_period(period, texts)
    records = [_record(period, a, results, texts[a.pk]) for a, results in computed]
    UnitResultRecord.objects.filter(period=period).delete()
    insert_rows(UnitResultRecord, records)
    period.state = PeriodState.FINAL
    period.finalized_at = timezone.now()
    period.save(update_fields=["state", "finalized_at"])
    return len(records)


def _record(
    period: Period, a: Assessment, results: Results, texts: dict[str, dict[str, str]]
) -> UnitResultRecord:
    r = results.unit(a.unit.code)
    nodes: dict[str, Any] = {}
    for code in r.points:
        points, top = r.points[code], r.maxima[code]
        if points is not None and top is not None:
            nodes[code] = [str(points), str(top)]
    return UnitResultRecord(
        period=period,
        unit=a.unit,
        group=a.unit.group,
        methodology=a.methodology,
        total=r.total,
        max=r.max,
        index=r.index,
        rank=r.rank,
        class_code=r.klass.code if r.klass else "",
        class_label=r.klass.label if r.klass else "",
        nodes=nodes,
        inputs=texts,
        exempt=list(a.exempt),
    )


@transaction.atomic
def period_publish(*, actor: User, period: Period) -> Period:
    if not actor.is_admin:
        raise ServiceError(_("Chỉ cán bộ quản trị (Sở Nội vụ) được công bố kết quả."))
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.state != PeriodState.FINAL:
        raise ServiceError(_("Chỉ công bố được kỳ đánh giá đã chốt điểm."))
    period.state = PeriodState.PUBLISHED
    period.published_at = timezone.now()
    period.save(update_fields=["state", "published_at"])
    return period
