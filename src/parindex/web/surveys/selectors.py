"""Reads for the survey pages and exports, each in a fixed number of queries (the comparison
with the previous year is in :mod:`.comparison`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex.core.survey import Instrument
from parindex.core.survey.sample import required_sample_size
from parindex.web.accounts.models import User
from parindex.web.assessments.models import Assessment, LeafScore
from parindex.web.common import not_found
from parindex.web.periods.models import Period
from parindex.web.periods.services import methodology_of
from parindex.web.units.models import Unit, UnitGroup

from . import policy
from .comparison import Change, change_of, dec, earlier_results, previous_import, signed
from .instruments import (
    MappingCheck,
    instrument_of,
    mapping_check,
    period_versions,
    shipped_names,
)
from .models import SurveyImport, SurveyInstrument, SurveyUnitResult
from .services import importable_refusal

# --- administrator's pages -------------------------------------------------------------------


@dataclass(slots=True)
class InstrumentRow:
    stored: SurveyInstrument
    parsed: Instrument
    check: MappingCheck


def period_page(period: Period) -> dict[str, Any]:
    """Instruments (with whether each fits the period), and the period's imports."""
    versions = period_versions(period)
    rows = []
    for stored in SurveyInstrument.objects.all():
        parsed = instrument_of(stored)
        rows.append(InstrumentRow(stored, parsed, mapping_check(parsed, versions)))
    imports = (
        SurveyImport.objects.filter(period=period)
        .select_related("instrument", "created_by", "applied_by")
        .defer("preview", "overall", "findings", "instrument__text")
    )
    return {
        "period": period,
        "versions": versions,
        "instruments": rows,
        "usable": [r for r in rows if r.check.usable],
        "imports": list(imports),
        "participants": Assessment.objects.filter(period=period).count(),
        "shipped": shipped_names(),
    }


@dataclass(frozen=True, slots=True)
class CountRow:
    code: str
    name: str
    n: int
    population: int | None
    required: int | None

    @property
    def short(self) -> bool:
        return self.required is not None and self.n < self.required


def import_page(survey_import: SurveyImport) -> dict[str, Any]:
    """The preview of an import: the first rows, the count per unit, warnings, the mapping."""
    parsed = instrument_of(survey_import.instrument)
    check = mapping_check(parsed, period_versions(survey_import.period))
    preview = survey_import.preview or {}
    counts = preview.get("counts", [])
    names = dict(Unit.objects.filter(code__in=[c for c, _ in counts]).values_list("code", "name"))
    margin = survey_import.margin
    rows = []
    for code, n in counts:
        population = survey_import.populations.get(code)
        required = required_sample_size(population, margin) if population else None
        rows.append(CountRow(code, names.get(code, code), n, population, required))
    refusal = importable_refusal(survey_import.period)
    return {
        "si": survey_import,
        "instrument": parsed,
        "check": check,
        "preview": preview,
        "counts": rows,
        "without": [r for r in rows if not r.n],
        "refusal": refusal,
        "may_apply": survey_import.state == "preview" and check.usable and not refusal,
    }


# --- ranking ---------------------------------------------------------------------------------


@dataclass(slots=True)
class RankRow:
    result: SurveyUnitResult
    change: Change | None
    may_open: bool


@dataclass(slots=True)
class RankTable:
    group: UnitGroup
    rows: list[RankRow] = field(default_factory=list)


@dataclass(slots=True)
class Ranking:
    si: SurveyImport
    instrument: Instrument
    previous: SurveyImport | None
    groups: list[RankTable]

    @property
    def measure(self) -> str:
        return str(self.si.overall.get("measure", "share"))

    @property
    def through_lineage(self) -> bool:
        return any(row.change and row.change.via for t in self.groups for row in t.rows)

    @property
    def small_samples(self) -> bool:
        return any(not row.result.rankable for t in self.groups for row in t.rows)


def ranking(user: User, survey_import: SurveyImport) -> Ranking:
    """Units by index within each ranking group; small samples listed after, not ranked."""
    results = list(
        SurveyUnitResult.objects.filter(survey_import=survey_import)
        .select_related("unit", "group")
        .defer("questions")
    )
    previous = previous_import(user, survey_import)
    earlier, predecessors = (
        earlier_results(previous, [r.unit_id for r in results]) if previous else ({}, {})
    )
    tables: dict[int, RankTable] = {}
    for r in results:
        table = tables.setdefault(r.group_id, RankTable(r.group))
        change = change_of(r, earlier, predecessors)[0] if previous else None
        may_open = policy.may_see_unit(user, survey_import.period, r.unit_id)
        table.rows.append(RankRow(r, change, may_open))
    parsed = instrument_of(survey_import.instrument)
    return Ranking(survey_import, parsed, previous, list(tables.values()))


# --- one unit --------------------------------------------------------------------------------


def unit_result_or_404(user: User, survey_import: SurveyImport, code: str) -> SurveyUnitResult:
    result = (
        SurveyUnitResult.objects.filter(survey_import=survey_import, unit__code=code)
        .select_related("unit", "group")
        .first()
    )
    if result is None or not policy.may_see_unit(user, survey_import.period, result.unit_id):
        not_found()
    return result


@dataclass(frozen=True, slots=True)
class Line:
    """One group or question of a unit: index, 95 % interval, answers, last year's index."""

    code: str
    title: str
    kind: str
    depth: int
    index: Decimal | None
    low: Decimal | None
    high: Decimal | None
    n: int | None
    previous: Decimal | None = None

    @property
    def delta_text(self) -> str:
        if self.index is None or self.previous is None:
            return ""
        return signed(self.index - self.previous)


@dataclass(frozen=True, slots=True)
class LeafLine:
    code: str
    title: str
    index: Decimal
    points: Decimal | None
    max: Decimal


@dataclass(slots=True)
class UnitSurvey:
    si: SurveyImport
    result: SurveyUnitResult
    instrument: Instrument
    previous: SurveyImport | None
    change: Change | None
    groups: list[Line]
    questions: list[Line]
    leaves: list[LeafLine]
    chart: str


def unit_survey(user: User, survey_import: SurveyImport, result: SurveyUnitResult) -> UnitSurvey:
    from .charts import groups_chart

    parsed = instrument_of(survey_import.instrument)
    previous = previous_import(user, survey_import)
    change, before = None, {}
    if previous is not None:
        earlier, predecessors = earlier_results(previous, [result.unit_id])
        change, before = change_of(result, earlier, predecessors)
    groups = [
        _line(g.code, g.title, g.kind, _depth(parsed, g.code), result.groups.get(g.code), before)
        for g in parsed.walk_groups()
    ]
    questions = [
        _line(q.code, q.text, "question", 0, result.questions.get(q.code), {})
        for q in parsed.questions
        if q.code in result.questions
    ]
    leaves = _leaves(survey_import, result)
    chart = groups_chart(groups, previous.period.year if previous else None)
    return UnitSurvey(
        survey_import, result, parsed, previous, change, groups, questions, leaves, chart
    )


def _depth(instrument: Instrument, code: str) -> int:
    depth, group = 0, instrument.group(code)
    while group.parent is not None:
        depth, group = depth + 1, instrument.group(group.parent)
    return depth


def _line(code: str, title: str, kind: str, depth: int, cell: Any, before: dict[str, Any]) -> Line:
    value, low, high, n = cell if cell else (None, None, None, None)
    earlier = before.get(code)
    return Line(
        code,
        title,
        kind,
        depth,
        dec(value),
        dec(low),
        dec(high),
        n,
        dec(earlier[0]) if earlier else None,
    )


def _leaves(survey_import: SurveyImport, result: SurveyUnitResult) -> list[LeafLine]:
    """The survey leaves this unit's index was written to, with the points they now have."""
    if not result.leaves:
        return []
    assessment = (
        Assessment.objects.filter(period_id=survey_import.period_id, unit_id=result.unit_id)
        .select_related("methodology")
        .first()
    )
    if assessment is None:
        return []
    m = methodology_of(assessment.methodology)
    points = dict(
        LeafScore.objects.filter(
            assessment=assessment, node_code__in=list(result.leaves)
        ).values_list("node_code", "self_points")
    )
    out = []
    for code, value in result.leaves.items():
        node = m.nodes.get(code)
        if node is not None:
            out.append(LeafLine(code, node.title, Decimal(value), points.get(code), node.max))
    return out


# --- everybody's index -----------------------------------------------------------------------


def index_page(user: User) -> dict[str, Any]:
    """The applied surveys ``user`` may read, and those with a result of the user's unit."""
    imports = list(
        policy.readable_imports(user)
        .select_related("period", "instrument")
        .defer("preview", "findings", "instrument__text")
        .order_by("-period__year", "period__name", "instrument__code", "-pk")
    )
    own: set[int] = set()
    if user.is_unit_user:
        own = set(
            SurveyUnitResult.objects.filter(
                survey_import__in=[si.pk for si in imports], unit_id=user.unit_id
            ).values_list("survey_import_id", flat=True)
        )
    return {"imports": imports, "own": own, "manage": policy.may_manage(user)}
