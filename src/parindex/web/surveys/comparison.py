"""Comparison with the previous year, as :mod:`parindex.web.results.selectors` does for the
index: the previous import is the latest applied import of the same survey source (or of the
same instrument, when it names no source) in a period of an earlier year that the reader may
read. A unit is compared with its own result there; a unit without one with its predecessor
(``UnitLineage``) when exactly one predecessor has a result. Several (a merger) give no
comparison. A rank change is shown only when both ranks are in the same group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from parindex.core import format_vn
from parindex.web.accounts.models import User
from parindex.web.units.models import UnitLineage

from . import policy
from .models import SurveyImport, SurveyUnitResult

DECIMALS = 2


def dec(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def signed(delta: Decimal | None) -> str:
    if delta is None:
        return ""
    text = format_vn(delta, DECIMALS)
    return "+" + text if delta > 0 else text


@dataclass(frozen=True, slots=True)
class Change:
    previous_index: Decimal | None
    previous_rank: int | None
    index_delta: Decimal | None
    rank_delta: int | None  # positive: climbed
    via: str = ""  # the predecessor's name
    merged_from: int = 0  # several predecessors with results: no comparison

    @property
    def index_text(self) -> str:
        return signed(self.index_delta)

    @property
    def rank_text(self) -> str:
        if self.rank_delta is None:
            return ""
        if self.rank_delta > 0:
            return f"↑{self.rank_delta}"
        return f"↓{-self.rank_delta}" if self.rank_delta < 0 else "="


def previous_import(user: User, survey_import: SurveyImport) -> SurveyImport | None:
    stored = survey_import.instrument
    same = Q(instrument__source=stored.source)
    if not stored.source:
        same = Q(instrument__source="", instrument__code=stored.code)
    return (
        policy.readable_imports(user)
        .filter(same, period__year__lt=survey_import.period.year)
        .select_related("period", "instrument")
        .order_by("-period__year", "-applied_at", "-pk")
        .first()
    )


EarlierRow = tuple[int, int | None, Decimal | None, dict[str, Any]]  # group, rank, index, groups


def earlier_results(
    previous: SurveyImport, unit_ids: list[int]
) -> tuple[dict[int, EarlierRow], dict[int, list[tuple[int, str]]]]:
    """The previous import's results of these units and of their predecessors (two queries)."""
    links = UnitLineage.objects.filter(successor_id__in=unit_ids).values_list(
        "successor_id", "predecessor_id", "predecessor__name"
    )
    predecessors: dict[int, list[tuple[int, str]]] = defaultdict(list)
    wanted = set(unit_ids)
    for successor, predecessor, name in links:
        predecessors[successor].append((predecessor, name))
        wanted.add(predecessor)
    rows = SurveyUnitResult.objects.filter(survey_import=previous, unit_id__in=wanted)
    earlier = {
        unit: (group, rank, index, groups)
        for unit, group, rank, index, groups in rows.values_list(
            "unit_id", "group_id", "rank", "index", "groups"
        )
    }
    return earlier, predecessors


def change_of(
    r: SurveyUnitResult,
    earlier: dict[int, EarlierRow],
    predecessors: dict[int, list[tuple[int, str]]],
) -> tuple[Change | None, dict[str, Any]]:
    """The change of one unit, and the earlier groups' values (for the unit page)."""
    if r.unit_id in earlier:
        return _change(r, earlier[r.unit_id]), earlier[r.unit_id][3]
    found = [(pk, name) for pk, name in predecessors.get(r.unit_id, []) if pk in earlier]
    if len(found) == 1:
        before = earlier[found[0][0]]
        return _change(r, before, via=found[0][1]), before[3]
    if found:
        return Change(None, None, None, None, merged_from=len(found)), {}
    return None, {}


def _change(r: SurveyUnitResult, before: EarlierRow, via: str = "") -> Change:
    group, rank, index, _groups = before
    delta = r.index - index if r.index is not None and index is not None else None
    rank_delta = None
    if group == r.group_id and rank is not None and r.rank is not None:
        rank_delta = rank - r.rank
    return Change(index, rank, delta, rank_delta, via=via)
