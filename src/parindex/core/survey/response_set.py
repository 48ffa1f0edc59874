"""Validated survey responses, tallied: what :func:`compute_indices` reads.

A :class:`ResponseSet` keeps, per unit, respondent type and counted question, how many
answers gave each answer code and the sums of their design weights (flat arrays, cut into a
:class:`Tally` per question on demand): a few numbers per question whatever the number of
rows, from which every share, mean and interval follows. It also keeps the first rows as
read (for an import preview), the number of rows per unit and type, and the warnings of the
import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from ..errors import Issue
from ._tally import Sums, Tallies, Tally
from .headers import HeaderMap
from .instrument import Instrument, Question
from .stats import ScoreAccumulator

__all__ = ["PREVIEW_ROWS", "ResponseSet", "Tally"]

PREVIEW_ROWS = 100  # rows kept for ResponseSet.preview


class ResponseSet:
    """The valid responses of one file (all rows passed every check).

    ``warnings`` are the import's warnings (``R050``–``R052``); ``weighted`` says whether a
    design-weight column was read; ``period`` is (first, last) submission time in UTC, or
    ``None`` without a time column.
    """

    def __init__(
        self,
        *,
        instrument: Instrument,
        source: str,
        header: HeaderMap,
        tallies: Tallies,
        ranges: dict[str, tuple[int, int]],
        rows: dict[str, dict[str, int]],
        warnings: list[Issue],
        preview: list[dict[str, str]],
        weighted: bool,
        period: tuple[dt.datetime, dt.datetime] | None,
    ) -> None:
        self.instrument = instrument
        self.source = source
        self.header = header
        self.warnings = warnings
        self.weighted = weighted
        self.period = period
        self._tallies = tallies
        self._ranges = ranges  # counted question with a column → its answer numbers
        self._rows = rows
        self._preview = preview
        self._scores = {q.code: _scores(q) for q in instrument.questions if q.scored}
        self._pooled: dict[str, Sums] | None = None

    def __len__(self) -> int:
        return sum(sum(kinds.values()) for kinds in self._rows.values())

    def __repr__(self) -> str:
        return f"ResponseSet({self.instrument.id}, {len(self)} phiếu, {len(self._rows)} đơn vị)"

    def units(self) -> list[str]:
        """Codes of the units with at least one response, sorted."""
        return sorted(self._rows)

    def counts_by_unit(self) -> dict[str, int]:
        """Unit → number of responses."""
        return {unit: sum(kinds.values()) for unit, kinds in self._rows.items()}

    def counts_by_type(self) -> dict[str, dict[str, int]]:
        """Unit → respondent type → number of responses (types without any left out)."""
        return {unit: dict(kinds) for unit, kinds in self._rows.items()}

    def preview(self, n: int = 20) -> list[dict[str, str]]:
        """The first ``n`` rows (at most ``PREVIEW_ROWS``) as read: header → cell text."""
        return [dict(row) for row in self._preview[:n]]

    def questions(self) -> list[str]:
        """Codes of the counted questions that have a column in the file."""
        return list(self._ranges)

    def tally(
        self,
        question: str,
        *,
        unit: str | None = None,
        respondents: Collection[str] | None = None,
    ) -> Tally | None:
        """Answers to a counted question: of one unit or of all (``None``), of the given
        respondent types or of all; ``None`` if the question has no column."""
        if question not in self._ranges:
            return None
        low, blank = self._ranges[question]
        parts = self._parts(unit, respondents)

        counts = [sum(p.counts[i] for p in parts) for i in range(low, blank + 1)]
        weights = [float(sum(p.weights[i] for p in parts)) for i in range(low, blank)]
        squares = [float(sum(p.squares[i] for p in parts)) for i in range(low, blank)]
        return Tally(tuple(counts[:-1]), tuple(weights), tuple(squares), counts[-1])

    def accumulator(
        self,
        question: str,
        *,
        unit: str | None = None,
        respondents: Collection[str] | None = None,
    ) -> ScoreAccumulator:
        """The answers of :meth:`tally` as score sums (0–100 scores of the satisfaction rule;
        missing-value codes left out)."""
        acc = ScoreAccumulator()
        if question not in self._ranges:
            return acc
        low, _ = self._ranges[question]
        scores, satisfied = self._scores[question]
        for part in self._parts(unit, respondents):
            counts, weights, squares = part.counts, part.weights, part.squares
            for i, x in enumerate(scores, start=low):
                n = counts[i]
                if x is None or not n:
                    continue
                w = weights[i]
                acc.n += n
                acc.sum_w += w
                acc.sum_wx += w * x
                acc.sum_wx2 += w * x * x
                acc.sum_w2 += squares[i]
                if satisfied[i - low]:
                    acc.sum_w_satisfied += w
        return acc

    def _parts(self, unit: str | None, respondents: Collection[str] | None) -> list[Sums]:
        """The sums to add up: of one unit, or pooled per respondent type over all units
        (computed once)."""
        if unit is None:
            if self._pooled is None:
                self._pooled = _pool(self._tallies)
            per_kind = self._pooled
        else:
            per_kind = self._tallies.get(unit, {})
        return [s for kind, s in per_kind.items() if respondents is None or kind in respondents]


def _pool(tallies: Tallies) -> dict[str, Sums]:
    """Respondent type → the sums of every unit added up."""
    kinds: dict[str, list[Sums]] = {}
    for per_kind in tallies.values():
        for kind, sums in per_kind.items():
            kinds.setdefault(kind, []).append(sums)
    return {kind: Sums.pooled(parts) for kind, parts in kinds.items()}


def _scores(q: Question) -> tuple[list[float | None], list[bool]]:
    """Per answer code of a counted question: its 0–100 score (``None`` for missing-value
    codes) and whether it counts as satisfied."""
    assert q.scale is not None  # counted questions are scale questions
    scale = q.scale
    codes = [o.code for o in scale.options + scale.missing]
    scores = [None if (s := scale.score(c)) is None else float(s) for c in codes]
    return scores, [scale.is_satisfied(c) for c in codes]
