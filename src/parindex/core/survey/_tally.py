"""From the answer-code bytes of each unit to per-code counts and weight sums.

Each answer of a counted question is stored as one number that says both the question and the
code (:class:`~._values.CodedLookup` with a base), so one ``Counter`` over a unit's array
counts every question and code at once, in C. Weights that are the same for every row of a
unit and respondent type (the design weight of a stratum) multiply the counts; other weights
are summed answer by answer. What is kept per unit and respondent type is three flat arrays
(:class:`Sums`), a few kilobytes whatever the number of rows; a :class:`Tally` of one
question is cut from them when asked for.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat

from ._plan import Plan, UnitSlots

__all__ = ["Sums", "Tallies", "Tally", "tally_units"]


@dataclass(frozen=True, slots=True)
class Tally:
    """The answers to one question (of one unit or pooled, of some respondent types). Per
    answer code (the scale's options, then its missing-value codes): the number of answers,
    the sum of their design weights and of their squared weights (both equal the count
    without weights); ``blank``: rows that left the question empty."""

    counts: tuple[int, ...]
    weights: tuple[float, ...]
    squares: tuple[float, ...]
    blank: int = 0

    @property
    def answered(self) -> int:
        """Non-blank answers, missing-value codes (9 "no answer") included."""
        return sum(self.counts)


class Sums:
    """Per answer number (every question's codes and blank, see the module docstring): the
    count, the weight sum and the squared-weight sum of the answers of one unit and
    respondent type. Without weights both sums are the counts (one array, shared)."""

    __slots__ = ("counts", "squares", "weights")

    def __init__(self, counts: array[int], weights: array[float], squares: array[float]) -> None:
        self.counts, self.weights, self.squares = counts, weights, squares

    @classmethod
    def pooled(cls, parts: list[Sums]) -> Sums:
        """The element-wise total of ``parts`` (summed column by column, in C)."""
        return cls(
            array("q", map(sum, zip(*(p.counts for p in parts), strict=True))),
            array("d", map(sum, zip(*(p.weights for p in parts), strict=True))),
            array("d", map(sum, zip(*(p.squares for p in parts), strict=True))),
        )

    def clear(self, low: int, high: int) -> None:
        """Forget the answers numbered ``low`` … ``high`` − 1 (a question not asked)."""
        for values in {id(a): a for a in (self.counts, self.weights, self.squares)}.values():
            values[low:high] = array(values.typecode, bytes(values.itemsize * (high - low)))


# unit → respondent type → sums of every counted question
Tallies = dict[str, dict[str, Sums]]


def tally_units(
    slots: UnitSlots, plan: Plan, asked: dict[str, frozenset[str]]
) -> tuple[Tallies, dict[tuple[str, str], int]]:
    """Sums of every unit and respondent type; answers from respondent types a question is
    not asked of are cleared and counted by (question, type) instead."""
    ranges = [
        (code, lookup.base, lookup.blank)
        for code, (_, lookup) in zip(plan.scored_codes, plan.scored, strict=True)
    ]
    out: Tallies = {}
    not_asked: dict[tuple[str, str], int] = {}
    for unit, data in sorted(slots.by_code.items()):
        per_kind: dict[str, Sums] = {}
        for k, kind in enumerate(plan.kinds):
            if not data.rows[k]:
                continue
            weights = data.weights[k] if data.weights is not None else None
            sums = _sums(data.codes[k], weights, len(plan.scored), plan.width_codes)
            for question, low, blank in ranges:
                if kind not in asked[question]:
                    answered = sum(sums.counts[low:blank])
                    if answered:
                        key = (question, kind)
                        not_asked[key] = not_asked.get(key, 0) + answered
                        sums.clear(low, blank)
            per_kind[kind] = sums
        out[unit] = per_kind
    return out, not_asked


def _sums(codes: array[int], weights: array[float] | None, width: int, size: int) -> Sums:
    """Count in C; add weights that differ between rows answer by answer (every row's weight
    repeated ``width`` times, once per question)."""
    found = Counter(codes)
    counts = array("q", [found.get(i, 0) for i in range(size)])
    if weights is None:
        return Sums(counts, counts, counts)  # type: ignore[arg-type]  # counts are exact sums
    if min(weights) == max(weights):
        w = weights[0]
        return Sums(
            counts, array("d", [n * w for n in counts]), array("d", [n * w * w for n in counts])
        )
    sums = [0.0] * size
    squares = [0.0] * size
    per_cell = chain.from_iterable(map(repeat, weights, repeat(width)))
    for i, w in zip(codes, per_cell, strict=True):
        sums[i] += w
        squares[i] += w * w
    return Sums(counts, array("d", sums), array("d", squares))
