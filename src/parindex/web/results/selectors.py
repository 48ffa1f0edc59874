"""Reads for the results pages and exports, each in a fixed number of queries.

Comparison with the previous year: the previous period is the latest one with a smaller year
among the periods the reader may see (so the public pages compare with published periods
only). A unit is compared with its own record there; a unit without one is compared with its
predecessor (``UnitLineage``: renamed, split from, merged into it) when exactly one
predecessor has a record. Several predecessors with records (a merger) give no comparison: no
single earlier rank or index stands for the new unit. A rank change is shown only when the
earlier record was ranked in the same group; the index change is shown in every case.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from parindex.core import Methodology, UnitResult, format_vn
from parindex.web.accounts.models import User
from parindex.web.assessments.scoring import core_unit
from parindex.web.common import not_found
from parindex.web.periods.models import MethodologyVersion, Period
from parindex.web.periods.services import methodology_of
from parindex.web.units.models import UnitGroup, UnitLineage

from . import policy
from .models import UnitResultRecord


@dataclass(frozen=True, slots=True)
class Change:
    """How a unit's result moved since the previous period."""

    previous_rank: int | None
    previous_index: Decimal | None
    rank_delta: int | None  # positive: climbed that many places
    index_delta: Decimal | None
    index_text: str  # "+1,25" / "-0,50" / "0,00", with the index decimals
    via: str = ""  # the predecessor's name when compared through the unit's lineage
    merged_from: int = 0  # predecessors with a record when there are several (no comparison)
    other_group: bool = False  # ranked in another group then: ranks do not compare

    @property
    def rank_text(self) -> str:
        if self.rank_delta is None:
            return ""
        if self.rank_delta > 0:
            return f"↑{self.rank_delta}"
        if self.rank_delta < 0:
            return f"↓{-self.rank_delta}"
        return "="

    @property
    def note(self) -> str:
        """What the reader should know about this comparison (a tooltip)."""
        if self.merged_from:
            return _("Hợp nhất từ %(n)d đơn vị có kết quả năm trước: không so sánh.") % {
                "n": self.merged_from
            }
        parts = []
        if self.via:
            parts.append(_("So với đơn vị tiền thân: %(name)s.") % {"name": self.via})
        if self.other_group:
            parts.append(_("Năm trước xếp hạng trong khối khác."))
        return " ".join(parts)


@dataclass(slots=True)
class RankingRow:
    record: UnitResultRecord
    change: Change | None
    may_open: bool  # the reader may open this unit's scorecard


@dataclass(slots=True)
class GroupTable:
    group: UnitGroup
    methodology: Methodology
    rows: list[RankingRow] = field(default_factory=list)

    @property
    def points_decimals(self) -> int:
        return self.methodology.rounding.points

    @property
    def index_decimals(self) -> int:
        return self.methodology.rounding.index


@dataclass(slots=True)
class Ranking:
    period: Period
    previous: Period | None
    groups: list[GroupTable]

    @property
    def through_lineage(self) -> bool:
        """Some unit is compared with a predecessor (the table then explains the mark)."""
        return any(row.change and row.change.via for t in self.groups for row in t.rows)


def ranking(period: Period, *, user: User | None, with_nodes: bool = False) -> Ranking:
    """The ranking tables of ``period`` as ``user`` may read them; ``user=None`` is the public
    reader (compared with published periods only, no links to internal pages)."""
    periods = policy.results_periods(user) if user is not None else policy.public_periods()
    records = list(_records(period, with_nodes))
    versions = MethodologyVersion.objects.filter(pk__in={r.methodology_id for r in records})
    parsed = {v.pk: methodology_of(v) for v in versions}
    previous = periods.filter(year__lt=period.year).order_by("-year", "-pk").first()
    changes = _changes(period, previous, records, parsed) if previous else {}
    groups: dict[int, GroupTable] = {}
    for r in records:
        table = groups.get(r.group_id)
        if table is None:
            table = groups[r.group_id] = GroupTable(r.group, parsed[r.methodology_id])
        may_open = user is not None and policy.may_see_unit(user, period, r.unit_id)
        table.rows.append(RankingRow(r, changes.get(r.unit_id), may_open))
    return Ranking(period, previous, list(groups.values()))


def _records(period: Period, with_nodes: bool) -> QuerySet[UnitResultRecord]:
    qs = (
        UnitResultRecord.objects.filter(period=period)
        .select_related("unit", "group")
        .order_by("group__code", F("rank").asc(nulls_last=True), "unit__code")
    )
    return qs.defer("inputs") if with_nodes else qs.defer("nodes", "inputs", "exempt")


def _changes(
    period: Period,
    previous: Period,
    records: list[UnitResultRecord],
    parsed: dict[int, Methodology],
) -> dict[int, Change]:
    """unit id → change since ``previous``, in two queries (lineage, earlier records)."""
    current = UnitResultRecord.objects.filter(period=period).values("unit_id")
    links = UnitLineage.objects.filter(
        successor_id__in=current, predecessor__results__period=previous
    ).values_list("successor_id", "predecessor_id", "predecessor__name")
    predecessors: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for successor, predecessor, name in links:
        predecessors[successor].append((predecessor, name))
    # subqueries, not lists of ids: a national merger has thousands of predecessors
    predecessor_ids = UnitLineage.objects.filter(successor_id__in=current).values("predecessor_id")
    earlier_units = Q(unit_id__in=current) | Q(unit_id__in=predecessor_ids)
    earlier = {
        unit: (group, rank, index)
        for unit, group, rank, index in UnitResultRecord.objects.filter(period=previous)
        .filter(earlier_units)
        .values_list("unit_id", "group_id", "rank", "index")
    }
    out: dict[int, Change] = {}
    for r in records:
        decimals = parsed[r.methodology_id].rounding.index
        if r.unit_id in earlier:
            out[r.unit_id] = _change(r, earlier[r.unit_id], decimals)
            continue
        found = predecessors.get(r.unit_id, [])
        if len(found) == 1:
            out[r.unit_id] = _change(r, earlier[found[0][0]], decimals, via=found[0][1])
        elif found:
            out[r.unit_id] = Change(None, None, None, None, "", merged_from=len(found))
    return out


def _change(
    r: UnitResultRecord,
    before: tuple[int, int | None, Decimal | None],
    decimals: int,
    via: str = "",
) -> Change:
    group, rank, index = before
    rank_delta = None
    if group == r.group_id and rank is not None and r.rank is not None:
        rank_delta = rank - r.rank
    other_group = group != r.group_id
    index_delta, index_text = None, ""
    if index is not None and r.index is not None:
        index_delta = r.index - index
        index_text = format_vn(index_delta, decimals)
        if index_delta > 0:
            index_text = "+" + index_text
    return Change(
        rank, index, rank_delta, index_delta, index_text, via=via, other_group=other_group
    )


# --- one unit ------------------------------------------------------------------------------


def unit_record_or_404(user: User, period: Period, code: str) -> UnitResultRecord:
    """The stored results of one unit, if ``user`` may see them; else 404."""
    record = (
        UnitResultRecord.objects.filter(period=period, unit__code=code)
        .select_related("unit", "unit__group", "group", "methodology")
        .first()
    )
    if record is None or not policy.may_see_unit(user, period, record.unit_id):
        not_found()
    record.period = period
    return record


def unit_result(record: UnitResultRecord) -> UnitResult:
    """The stored row as a core :class:`UnitResult`, so that component indexes, percents and
    lost points are worked out by the core engine's own code, not again here."""
    m = methodology_of(record.methodology)
    points: dict[str, Decimal | None] = dict.fromkeys(m.nodes)
    maxima: dict[str, Decimal | None] = dict.fromkeys(m.nodes)
    for code, (got, top) in record.nodes.items():
        if code in points:
            points[code], maxima[code] = Decimal(got), Decimal(top)
    return UnitResult(
        methodology=m,
        unit=core_unit(record.unit, record.exempt),
        points=points,
        maxima=maxima,
        total=record.total,
        max=record.max,
        index=record.index,
        rank=record.rank,
        klass=next((c for c in m.classes if c.code == record.class_code), None),
    )
