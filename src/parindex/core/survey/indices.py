"""Satisfaction indices of every unit and of the province, and what feeds the ``survey`` leaves.

For each unit (and for all respondents pooled, the province): per counted question the
satisfied share with its Wilson interval and the mean score with its t interval
(:func:`.stats.summarize`, design weights through Kish's effective size); per group the
weighted mean of its questions or children (:func:`.stats.combine`); the unit's index over
the top-level groups (docs/survey-format.md §7). Everything is combined in floats and rounded
once, at the end. The sample achieved is checked against the sample a unit of known size
needs for the margin of error (:func:`.sample.check_sample`).

Which number is "the index": the satisfied share (per cent) when every question below uses a
``share`` scale, otherwise the mean score on 0–100 (:func:`index_value`). For a ``share``
scale both are the same number, since a satisfied answer scores 100 and any other 0.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..decimals import HUNDRED, quantize
from ..errors import InstrumentError, Issue
from ..methodology import Methodology
from .instrument import Group, Instrument, LeafMapping
from .mapping import check_mapping
from .response_set import ResponseSet
from .sample import DEFAULT_MARGIN, SampleCheck, check_sample
from .stats import Estimate, Summary, combine, summarize

__all__ = ["OVERALL", "SurveyResults", "UnitIndices", "compute_indices", "index_value"]

OVERALL = ""  # the unit code of SurveyResults.overall (all respondents pooled)


def index_value(estimate: Estimate) -> Decimal | None:
    """The index of an estimate in per cent: the satisfied share when it has one, else the
    mean score (0–100); ``None`` without answers."""
    return estimate.share if estimate.share is not None else estimate.mean


@dataclass(frozen=True, slots=True)
class UnitIndices:
    """The indices of one unit (or of the province: ``unit`` is ``OVERALL``).

    ``n``: responses; ``index``: the unit's satisfaction index over the top-level groups;
    ``groups``: every group (elements, aspects…) by code; ``questions``: every counted
    question by code; ``sample``: the achieved sample against the required one; ``rankable``:
    there are responses and the sample is not known to be too small; ``respondents``:
    responses per respondent type.
    """

    unit: str
    n: int
    index: Estimate
    groups: dict[str, Estimate]
    questions: dict[str, Estimate]
    sample: SampleCheck
    rankable: bool
    respondents: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Tree:
    """Float summaries of one unit, before rounding."""

    questions: dict[str, Summary]
    groups: dict[str, Summary]
    index: Summary


@dataclass(frozen=True)
class SurveyResults:
    """Indices of every unit (``units``, by code, sorted) and of the province (``overall``:
    all respondents pooled), with the ``findings`` (``R060``–``R062``)."""

    instrument: Instrument
    units: dict[str, UnitIndices]
    overall: UnitIndices
    findings: list[Issue]
    decimals: int = 2
    margin: Decimal = DEFAULT_MARGIN
    responses: ResponseSet | None = field(default=None, repr=False, compare=False)
    _cache: dict[tuple[str, frozenset[str]], _Tree] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def leaf_indices(self, methodology: Methodology) -> dict[str, dict[str, Decimal]]:
        """Unit → ``survey`` leaf → index (per cent, 0–100, ``decimals`` places, rounded the
        methodology's way), by the instrument's mappings for ``methodology``; the value the
        leaf's ``index`` input takes. A leaf with no answers for a unit is left out. Raises
        :class:`InstrumentError` if the mappings do not fit the methodology."""
        mappings = self._mappings(methodology)
        mode = methodology.rounding.mode
        out: dict[str, dict[str, Decimal]] = {}
        for unit in self.units:
            values = {m.leaf: self._leaf(unit, m, mode) for m in mappings}
            out[unit] = {leaf: v for leaf, v in values.items() if v is not None}
        return out

    def overall_leaf_indices(self, methodology: Methodology) -> dict[str, Decimal]:
        """As :meth:`leaf_indices`, for all respondents pooled (the province)."""
        mode = methodology.rounding.mode
        values = {m.leaf: self._leaf(OVERALL, m, mode) for m in self._mappings(methodology)}
        return {leaf: v for leaf, v in values.items() if v is not None}

    def leaf_points(self, methodology: Methodology) -> dict[str, dict[str, Decimal]]:
        """Unit → ``survey`` leaf → points: maximum × index / 100, rounded as the methodology
        rounds points (what the scoring engine gives for that index)."""
        r = methodology.rounding
        return {
            unit: {
                leaf: quantize(methodology.nodes[leaf].max * v / HUNDRED, r.points, r.mode)
                for leaf, v in leaves.items()
            }
            for unit, leaves in self.leaf_indices(methodology).items()
        }

    def _mappings(self, methodology: Methodology) -> tuple[LeafMapping, ...]:
        issues = check_mapping(self.instrument, methodology)
        if issues:
            raise InstrumentError(issues)
        return self.instrument.mappings_for(methodology.id)

    def _leaf(self, unit: str, mapping: LeafMapping, mode: str) -> Decimal | None:
        if self.responses is None:
            raise ValueError("kết quả này không giữ câu trả lời (responses=None)")
        respondents = mapping.respondents or frozenset(
            t.code for t in self.instrument.respondent_types
        )
        key = (unit, frozenset(respondents))
        tree = self._cache.get(key)
        if tree is None:
            tree = self._cache[key] = _tree(
                self.instrument, self.responses, None if unit == OVERALL else unit, respondents
            )
        groups = [(tree.groups[g], self.instrument.group(g).weight) for g in mapping.groups]
        return index_value(_combine(groups).rounded(self.decimals, mode))


def compute_indices(
    instrument: Instrument,
    responses: ResponseSet,
    *,
    populations: Mapping[str, int] | None = None,
    margin: Decimal = DEFAULT_MARGIN,
    decimals: int = 2,
) -> SurveyResults:
    """Indices of every unit with responses (and every unit of ``populations``) and of the
    province. ``populations`` (unit → number of people or organisations served) allow the
    sample-size check: a unit whose sample is below N / (1 + N·e²) for ``margin`` e is not
    ``rankable`` and gets a finding."""
    if responses.instrument.id != instrument.id:
        used = responses.instrument.id
        raise ValueError(f"câu trả lời được đọc với công cụ {used}, không phải {instrument.id}")
    populations = dict(populations or {})
    counts = responses.counts_by_unit()
    kinds = responses.counts_by_type()
    everyone = frozenset(t.code for t in instrument.respondent_types)
    units: dict[str, UnitIndices] = {}
    findings: list[Issue] = []
    trees: dict[tuple[str, frozenset[str]], _Tree] = {}
    for unit in sorted(set(counts) | set(populations)):
        tree = trees[(unit, everyone)] = _tree(instrument, responses, unit, everyone)
        sample = check_sample(counts.get(unit, 0), populations.get(unit), margin, decimals)
        units[unit] = _indices(unit, tree, sample, kinds.get(unit, {}), decimals)
        findings.extend(_unit_findings(units[unit], tree, responses.source))
    total = sum(counts.values())
    known = all(u in populations for u in counts) and bool(populations)
    population = sum(populations.values()) if known else None
    pooled = _tree(instrument, responses, None, everyone)
    sample = check_sample(total, population, margin, decimals)
    overall = _indices(OVERALL, pooled, sample, _pooled_types(kinds), decimals)
    unknown = sorted(u for u in counts if u not in populations)
    if populations and unknown:
        msg = (
            f"chưa có quy mô tổng thể của {len(unknown)} đơn vị ({_listed(unknown)}): "
            "không kiểm tra được cỡ mẫu của các đơn vị này"
        )
        findings.append(Issue("R062", msg, responses.source))
    results = SurveyResults(instrument, units, overall, findings, decimals, margin, responses)
    results._cache.update(trees)  # leaf_indices starts from these
    results._cache[(OVERALL, everyone)] = pooled
    return results


def _tree(
    instrument: Instrument, responses: ResponseSet, unit: str | None, respondents: Collection[str]
) -> _Tree:
    def question(code: str) -> Summary:
        acc = responses.accumulator(code, unit=unit, respondents=respondents)
        summary = summarize(acc)
        scale = instrument.question(code).scale
        return (
            summary if scale is None or scale.satisfaction.method == "share" else _no_share(summary)
        )

    questions = {q.code: question(q.code) for q in instrument.questions if q.scored}
    groups: dict[str, Summary] = {}

    def visit(group: Group) -> Summary:
        if group.is_leaf:
            parts: Iterable[tuple[Summary, Decimal]] = [
                (questions[q], Decimal(1)) for q in group.questions
            ]
        else:
            parts = [(visit(child), child.weight) for child in group.children]
        groups[group.code] = _combine(parts)
        return groups[group.code]

    index = _combine([(visit(g), g.weight) for g in instrument.groups])
    return _Tree(questions, groups, index)


def _combine(parts: Iterable[tuple[Summary, Decimal]]) -> Summary:
    """:func:`combine`; without a share when a part with answers has none (a mean scale)."""
    parts = list(parts)
    summary = combine(parts)
    return _no_share(summary) if any(s.n and s.share is None for s, _ in parts) else summary


def _no_share(summary: Summary) -> Summary:
    return replace(summary, share=None, share_low=None, share_high=None)


def _indices(
    unit: str, tree: _Tree, sample: SampleCheck, kinds: dict[str, int], decimals: int
) -> UnitIndices:
    def rounded(summaries: dict[str, Summary]) -> dict[str, Estimate]:
        return {code: s.rounded(decimals) for code, s in summaries.items()}

    index = tree.index.rounded(decimals)
    rankable = sample.achieved > 0 and sample.enough is not False and index_value(index) is not None
    return UnitIndices(
        unit,
        sample.achieved,
        index,
        rounded(tree.groups),
        rounded(tree.questions),
        sample,
        rankable,
        kinds,
    )


def _unit_findings(indices: UnitIndices, tree: _Tree, source: str) -> Iterable[Issue]:
    if indices.sample.warning is not None:
        yield Issue("R060", f"đơn vị {indices.unit}: {indices.sample.warning}", source)
    empty = [code for code, s in tree.groups.items() if not s.n]
    if indices.n and empty:
        msg = (
            f"đơn vị {indices.unit}: không có câu trả lời nào cho nhóm {_listed(empty)}; chỉ số "
            "chung được tính trên các nhóm còn lại (trọng số chia lại)"
        )
        yield Issue("R061", msg, source)


def _pooled_types(kinds: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for per_type in kinds.values():
        for kind, n in per_type.items():
            out[kind] = out.get(kind, 0) + n
    return out


def _listed(codes: list[str], limit: int = 10) -> str:
    more = f" và {len(codes) - limit} mã khác" if len(codes) > limit else ""
    return ", ".join(codes[:limit]) + more
