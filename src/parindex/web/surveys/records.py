"""What an import stores: the preview of a responses file, and the results of the core's
indices per unit (so that pages never read the file again).

Decimals are stored as strings in JSON (``"87.50"``) and as ``DecimalField`` in columns; a
value the core could not estimate (no answers; an interval from one answer) is ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from parindex.core import rank_within_group
from parindex.core.survey import Estimate, ResponseSet, SurveyResults, UnitIndices
from parindex.web.assessments.models import Assessment
from parindex.web.periods.models import MethodologyVersion
from parindex.web.periods.services import methodology_of
from parindex.web.units.models import Unit

from .models import SurveyImport, SurveyUnitResult

# unit code → leaf code → the percent fed to that survey leaf
Fed = dict[str, dict[str, Decimal]]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _issue(item: Any) -> dict[str, Any]:
    """A warning or finding of the core as JSON (an :class:`~parindex.core.Issue`, a
    finding with ``unit``/``node``, or plain text)."""
    if isinstance(item, str):
        return {"code": "", "message": item}
    keys = ("code", "message", "line", "column", "unit", "node")
    out = {k: getattr(item, k) for k in keys if getattr(item, k, None) not in (None, "")}
    out.setdefault("message", str(item))
    return out


def preview_of(responses: ResponseSet, rows: int, units: Iterable[str]) -> dict[str, Any]:
    """The first ``rows`` responses as a table, the count per participating unit (zero
    included: those units get nothing from this survey) and the reader's warnings."""
    columns, table = table_of(responses.preview(rows))
    counts = responses.counts_by_unit()
    return {
        "columns": columns,
        "rows": table,
        "counts": [[code, int(counts.get(code, 0))] for code in units],
        "warnings": [_issue(w) for w in responses.warnings],
        "total": len(responses),
    }


def table_of(rows: list[dict[str, str]]) -> tuple[list[str], list[list[str | None]]]:
    """Columns and cells of rows given as header → cell text."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    return columns, [[_text(row.get(c)) for c in columns] for row in rows]


def _triple(estimate: Estimate) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """The index with its interval: the satisfied share, or the mean score (0–100) where
    the questions use a mean scale (:func:`parindex.core.survey.index_value`)."""
    if estimate.share is not None:
        return estimate.share, estimate.share_low, estimate.share_high
    return estimate.mean, estimate.mean_low, estimate.mean_high


def _cell(estimate: Estimate) -> list[Any]:
    """[index, low, high, n] of one estimate, as JSON."""
    return [*(_text(v) for v in _triple(estimate)), estimate.n]


def fed_values(computed: SurveyResults, period_id: int, versions: list[MethodologyVersion]) -> Fed:
    """Each unit's leaf percents, from its own assessment's methodology only."""
    by_version: dict[int, list[str]] = {}
    rows = Assessment.objects.filter(period_id=period_id).values_list(
        "methodology_id", "unit__code"
    )
    for version_id, code in rows:
        by_version.setdefault(version_id, []).append(code)
    fed: Fed = {}
    for version in versions:
        indices = computed.leaf_indices(methodology_of(version))
        for code in by_version.get(version.pk, []):
            if code in indices:
                fed[code] = dict(indices[code])
    return fed


def store(survey_import: SurveyImport, computed: SurveyResults, fed: Fed) -> int:
    """One :class:`SurveyUnitResult` per unit with responses, ranked within its group (units
    whose sample is too small are not ranked); the overall index on the import."""
    units = {
        u.code: u
        for u in Unit.objects.filter(code__in=list(computed.units)).select_related("group")
    }
    rows = [_row(survey_import, units[code], u, fed) for code, u in computed.units.items()]
    entries = ((r.unit_id, r.group.code, r.index if r.rankable else None) for r in rows)
    ranks = rank_within_group(entries)
    for r in rows:
        r.rank = ranks.get(r.unit_id)
    SurveyUnitResult.objects.filter(survey_import=survey_import).delete()
    SurveyUnitResult.objects.bulk_create(rows, batch_size=500)
    overall = computed.overall
    value, low, high = _triple(overall.index)
    survey_import.overall = {
        "n": overall.n,
        "index": _text(value),
        "low": _text(low),
        "high": _text(high),
        "measure": "share" if overall.index.share is not None else "mean",
        "groups": {code: _cell(e) for code, e in overall.groups.items()},
    }
    survey_import.findings = [_issue(f) for f in computed.findings]
    return len(rows)


def _row(
    survey_import: SurveyImport, unit: Unit, indices: UnitIndices, fed: Fed
) -> SurveyUnitResult:
    value, low, high = _triple(indices.index)
    sample = indices.sample
    rankable = bool(indices.rankable) and value is not None
    return SurveyUnitResult(
        survey_import=survey_import,
        unit=unit,
        group=unit.group,
        n=indices.n,
        n_eff=indices.index.n_eff,
        index=value,
        index_low=low,
        index_high=high,
        mean=indices.index.mean,
        rankable=rankable,
        population=sample.population,
        required=sample.required,
        warning=sample.warning or "",
        groups={code: _cell(e) for code, e in indices.groups.items()},
        questions={code: _cell(e) for code, e in indices.questions.items()},
        leaves={leaf: str(p) for leaf, p in fed.get(unit.code, {}).items()},
    )
