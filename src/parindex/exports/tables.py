"""Results as CSV tables: the ranking in the file named by ``--out`` and three sibling files.

``KQ.csv`` (ranking with area points), ``KQ-diem-tieu-chi.csv`` (points per node per unit),
``KQ-diem-bi-mat.csv`` (lost points) and ``KQ-canh-bao.csv`` (warnings) are written as a set:
all or none. UTF-8 with BOM (Excel reads Vietnamese correctly), comma separated, numbers as
fixed-decimal machine strings (``84.57``, ``-0.50``); formula-like text behind a ``'``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path

from ..core import LostPoints, Results, UnitResult
from .cells import csv_text
from .document import idx, pts
from .files import write_files

# Suffixes added to the stem of the ``--out`` path for the sibling tables.
SIBLINGS = ("-diem-tieu-chi", "-diem-bi-mat", "-canh-bao")

Table = Iterable[Sequence[object]]


def csv_paths(path: Path) -> list[Path]:
    """The ranking file ``path`` followed by its sibling tables, as written by ``write_csv``."""
    return [path] + [path.with_name(f"{path.stem}{tail}{path.suffix}") for tail in SIBLINGS]


def write_csv(results: Results, path: Path) -> None:
    """Write the four CSV tables; on any failure none of the four files is changed."""
    tables: list[Callable[[Results], Table]] = [
        ranking_table,
        nodes_table,
        lost_table,
        warnings_table,
    ]
    write_files(
        [
            (p, partial(_write_table, table(results)))
            for p, table in zip(csv_paths(path), tables, strict=True)
        ]
    )


def _write_table(rows: Table, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def _num(value: str | None) -> str:
    return "" if value is None else value


def ranking_table(results: Results) -> Iterator[Sequence[object]]:
    m = results.methodology
    areas = [a.code for a in m.areas]
    header = ["group", "rank", "code", "name", "total", "max", "index", "class"]
    yield header + [f"area_{code}" for code in areas]
    for r in results.ranking():
        klass = r.klass.code if r.klass else None
        row: list[object] = [csv_text(r.unit.group), r.rank or "", csv_text(r.unit.code)]
        row += [csv_text(r.unit.name), _num(pts(m, r.total)), _num(pts(m, r.max))]
        row += [_num(idx(m, r.index)), csv_text(klass)]
        row += [_num(pts(m, r.points[code])) for code in areas]
        yield row


def nodes_table(results: Results) -> Iterator[Sequence[object]]:
    """Every unit × every node, in input and methodology order; ``max`` is the unit's applicable
    maximum, empty cells mean the node does not apply (or the unit is exempt)."""
    m = results.methodology
    nodes = list(m.walk())
    yield ["unit", "unit_name", "node", "node_title", "points", "max", "percent"]
    for r in results.units:
        unit = [csv_text(r.unit.code), csv_text(r.unit.name)]
        for n in nodes:
            percent = r.percent(n.code) if n.kind == "standard" else None
            yield [
                *unit,
                csv_text(n.code),
                csv_text(n.title),
                _num(pts(m, r.points[n.code])),
                _num(pts(m, r.maxima[n.code])),
                _num(idx(m, percent)),
            ]


def lost_points(results: Results) -> Iterator[tuple[UnitResult, LostPoints]]:
    """Lost points of every unit: units by code, then the largest loss first."""
    for r in sorted(results.units, key=lambda u: u.unit.code):
        for lost in r.lost_points():
            yield r, lost


def lost_table(results: Results) -> Iterator[Sequence[object]]:
    m = results.methodology
    yield ["unit", "unit_name", "node", "node_title", "max", "points", "lost"]
    for r, lost in lost_points(results):
        yield [
            csv_text(r.unit.code),
            csv_text(r.unit.name),
            csv_text(lost.code),
            csv_text(lost.title),
            _num(pts(m, lost.max)),
            _num(pts(m, lost.points)),
            _num(pts(m, lost.lost)),
        ]


def warnings_table(results: Results) -> Iterator[Sequence[object]]:
    yield ["code", "unit", "node", "message"]
    for f in results.findings:
        yield [csv_text(f.code), csv_text(f.unit), csv_text(f.node), csv_text(f.message)]
