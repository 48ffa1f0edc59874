"""Survey indices as XLSX, CSV or JSON (``parindex survey indices --out``).

The same tables in every format: units (index with its 95 % interval, responses, sample
check; the province first, code ``*``), groups and questions (long form: one row per unit ×
group or question, satisfied share and mean score with intervals), the ``survey`` leaves of a
methodology (index, and in XLSX and JSON the points) and the warnings. Numbers keep the
``decimals`` of the results: numeric cells in XLSX, fixed-decimal strings in CSV and JSON.
Files are written all or none (:mod:`.files`); text that a spreadsheet could take for a
formula is kept text (:mod:`.cells`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ..core import Methodology
from ..core.survey import Estimate, SurveyResults, UnitIndices, index_value
from .cells import csv_text
from .files import write_atomic, write_files
from .workbook import append_row, new_sheet

__all__ = [
    "PROVINCE",
    "SURVEY_FORMATS",
    "survey_document",
    "survey_output_paths",
    "survey_tables",
    "write_survey_results",
]

SURVEY_FORMATS = (".xlsx", ".csv", ".json")
PROVINCE = "*"  # the code of the province row (all respondents pooled)
PROVINCE_NAME = "Toàn tỉnh (mọi phiếu gộp lại)"
# CSV: the file named by --out holds the units; these suffixes name the other tables.
SIBLINGS = {
    "groups": "-nhom",
    "questions": "-cau-hoi",
    "leaves": "-tieu-chi",
    "warnings": "-canh-bao",
}

Row = list[object]
Table = tuple[list[tuple[str, int]], list[Row]]  # ((header, XLSX width) pairs, rows)
_ESTIMATE = [
    ("n", 8),
    ("n_eff", 9),
    ("share", 9),
    ("share_low", 10),
    ("share_high", 10),
    ("mean", 9),
    ("mean_low", 10),
    ("mean_high", 10),
]


def survey_output_paths(
    path: Path, methodology: Methodology | None = None, *, leaves: bool = False
) -> list[Path]:
    """Every file :func:`write_survey_results` writes for ``path``; the leaves table (CSV)
    only with a ``methodology`` (or ``leaves``: every file it may write)."""
    if path.suffix.lower() != ".csv":
        return [path]
    names = [k for k in SIBLINGS if k != "leaves" or methodology is not None or leaves]
    return [path] + [path.with_name(f"{path.stem}{SIBLINGS[k]}{path.suffix}") for k in names]


def write_survey_results(
    results: SurveyResults,
    path: Path,
    *,
    names: Mapping[str, str] | None = None,
    methodology: Methodology | None = None,
) -> None:
    """Write in the format of ``path``'s extension; ``names``: unit code → name;
    ``methodology``: add the index (and points) of its ``survey`` leaves."""
    names = names or {}
    suffix = path.suffix.lower()
    if suffix == ".json":
        document = survey_document(results, names, methodology)
        write_atomic(path, partial(_write_json, document))
        return
    tables = survey_tables(results, names, methodology)
    if suffix == ".csv":
        if "leaves" in tables:  # without points: the file stays readable as --inputs of score
            header, rows = tables["leaves"]
            tables["leaves"] = (header[:-1], [row[:-1] for row in rows])
        paths = survey_output_paths(path, methodology)
        pairs = zip(paths, tables.values(), strict=True)
        write_files([(p, partial(_write_csv, table)) for p, table in pairs])
    elif suffix == ".xlsx":
        write_atomic(path, partial(_write_xlsx, tables, results.decimals))
    else:
        raise ValueError(f"định dạng '{suffix}' không hỗ trợ: {', '.join(SURVEY_FORMATS)}")


# --- tables -------------------------------------------------------------------------------


def survey_tables(
    results: SurveyResults, names: Mapping[str, str], methodology: Methodology | None = None
) -> dict[str, Table]:
    """The tables, by name: ``units``, ``groups``, ``questions``, [``leaves``], ``warnings``."""
    everyone = [(PROVINCE, PROVINCE_NAME, results.overall)] + [
        (code, names.get(code, ""), u) for code, u in results.units.items()
    ]
    tables = {
        "units": _units(results, everyone),
        "groups": _long(results, everyone, "groups"),
        "questions": _long(results, everyone, "questions"),
    }
    if methodology is not None:
        tables["leaves"] = _leaves(results, names, methodology)
    warnings = [*(results.responses.warnings if results.responses else []), *results.findings]
    tables["warnings"] = (
        [("code", 8), ("column", 16), ("message", 100)],
        [[w.code, w.column or "", w.message] for w in warnings],
    )
    return tables


def _units(results: SurveyResults, everyone: list[tuple[str, str, UnitIndices]]) -> Table:
    top = [g.code for g in results.instrument.groups]
    header = [("unit", 10), ("name", 30), ("responses", 9), ("index", 8)]
    header += [("index_low", 9), ("index_high", 9), ("n_eff", 9)]
    header += [(f"group_{g}", 12) for g in top]
    header += [("population", 11), ("required", 9), ("enough", 8), ("margin", 8)]
    header += [("rankable", 9), ("warning", 60)]
    rows: list[Row] = []
    for code, name, u in everyone:
        low, high = _bounds(u.index)
        s = u.sample
        row: Row = [code, name, u.n, index_value(u.index), low, high, u.index.n_eff]
        row += [index_value(u.groups[g]) for g in top]
        row += [s.population, s.required, s.enough, s.margin, u.rankable, s.warning or ""]
        rows.append(row)
    return header, rows


def _bounds(e: Estimate) -> tuple[Decimal | None, Decimal | None]:
    return (e.share_low, e.share_high) if e.share is not None else (e.mean_low, e.mean_high)


def _long(results: SurveyResults, everyone: list[tuple[str, str, UnitIndices]], what: str) -> Table:
    instrument = results.instrument
    if what == "groups":
        header = [("unit", 10), ("group", 14), ("title", 40), ("kind", 12)]
        info = {g.code: [g.title, g.kind] for g in instrument.walk_groups()}
    else:
        header = [("unit", 10), ("question", 10), ("text", 50), ("group", 14)]
        info = {}
        for q in instrument.questions:
            group = instrument.group_of(q.code)
            info[q.code] = [q.text, group.code if group else ""]
    rows: list[Row] = []
    for code, _, u in everyone:
        estimates: dict[str, Estimate] = getattr(u, what)
        for key, e in estimates.items():
            rows.append([code, key, *info[key], *_estimate(e)])
    return header + _ESTIMATE, rows


def _estimate(e: Estimate) -> Row:
    return [e.n, e.n_eff, e.share, e.share_low, e.share_high, e.mean, e.mean_low, e.mean_high]


def _leaves(results: SurveyResults, names: Mapping[str, str], m: Methodology) -> Table:
    """``unit,node,input,value`` as ``parindex score --inputs`` reads them, then the
    template's helper columns (ignored there): leaf title and maximum; points in XLSX."""
    header = [("unit", 10), ("node", 8), ("input", 8), ("value", 8)]
    header += [("tên đơn vị", 30), ("tiêu chí", 50), ("điểm tối đa", 10), ("điểm", 8)]
    indices, points = results.leaf_indices(m), results.leaf_points(m)
    rows: list[Row] = []
    for unit, leaves in indices.items():
        for leaf, value in leaves.items():
            node = m.nodes[leaf]
            rows.append(
                [
                    unit,
                    leaf,
                    "index",
                    value,
                    names.get(unit, ""),
                    node.title,
                    node.max,
                    points[unit][leaf],
                ]
            )
    return header, rows


# --- writers ------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int):
        return str(value)
    return csv_text(str(value))


def _write_csv(table: Table, path: Path) -> None:
    header, rows = table
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow([name for name, _ in header])
        out.writerows([_text(v) for v in row] for row in rows)


SHEETS = {
    "units": "Chỉ số",
    "groups": "Theo nhóm",
    "questions": "Theo câu hỏi",
    "leaves": "Tiêu chí khảo sát",
    "warnings": "Cảnh báo",
}


def _write_xlsx(tables: dict[str, Table], decimals: int, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    number = "0." + "0" * decimals if decimals else "0"
    for key, (header, rows) in tables.items():
        ws = new_sheet(book, SHEETS[key], header)
        for row in rows:
            formats = {i: number for i, v in enumerate(row, start=1) if isinstance(v, Decimal)}
            append_row(
                ws, [("có" if v else "không") if isinstance(v, bool) else v for v in row], formats
            )
        ws.auto_filter.ref = ws.dimensions
    book.save(path)


def _write_json(document: dict[str, Any], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=1)
        f.write("\n")


# --- JSON ---------------------------------------------------------------------------------


def survey_document(
    results: SurveyResults, names: Mapping[str, str], methodology: Methodology | None = None
) -> dict[str, Any]:
    """Results as plain data: decimal numbers as strings, missing values as ``null``."""
    i, responses = results.instrument, results.responses
    period = responses.period if responses else None
    document: dict[str, Any] = {
        "instrument": {"id": i.id, "title": i.title, "year": i.year, "status": i.status},
        "responses": {
            "file": responses.source if responses else None,
            "rows": len(responses) if responses else None,
            "weighted": responses.weighted if responses else None,
            "period": [t.isoformat() for t in period] if period else None,
        },
        "decimals": results.decimals,
        "margin": _num(results.margin),
        "province": _unit(results.overall, PROVINCE_NAME),
        "units": [_unit(u, names.get(code, "")) for code, u in results.units.items()],
        "warnings": [
            {"code": w.code, "column": w.column, "message": w.message}
            for w in [*(responses.warnings if responses else []), *results.findings]
        ],
    }
    if methodology is not None:
        document["leaves"] = {
            "methodology": methodology.id,
            "units": {
                unit: {leaf: _num(v) for leaf, v in leaves.items()}
                for unit, leaves in results.leaf_indices(methodology).items()
            },
            "points": {
                unit: {leaf: _num(v) for leaf, v in leaves.items()}
                for unit, leaves in results.leaf_points(methodology).items()
            },
            "province": {k: _num(v) for k, v in results.overall_leaf_indices(methodology).items()},
        }
    return document


def _num(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _unit(u: UnitIndices, name: str) -> dict[str, Any]:
    s = u.sample
    return {
        "code": u.unit or PROVINCE,
        "name": name,
        "responses": u.n,
        "respondents": u.respondents,
        "index": _num(index_value(u.index)),
        "estimate": _estimate_document(u.index),
        "groups": {k: _estimate_document(e) for k, e in u.groups.items()},
        "questions": {k: _estimate_document(e) for k, e in u.questions.items()},
        "sample": {
            "achieved": s.achieved,
            "population": s.population,
            "required": s.required,
            "enough": s.enough,
            "margin": _num(s.margin),
            "warning": s.warning,
        },
        "rankable": u.rankable,
    }


def _estimate_document(e: Estimate) -> dict[str, Any]:
    return {
        "n": e.n,
        **{k: _num(getattr(e, k)) for k, _ in _ESTIMATE[1:]},
    }
