"""Reading a file of survey responses (CSV or XLSX exports of KoboToolbox, ODK Central…).

The rows stream from the file (``parindex.tabular.iter_rows``) into the core's
:class:`~parindex.core.survey.ResponseReader` one at a time, as text, so a file of a million
responses is never held in memory. Problems with the file itself are the ``T0xx`` errors of
:mod:`parindex.tabular`; problems with the header and rows are the core's ``R0xx`` errors
(docs/survey-format.md §10). Either way nothing is returned while any problem remains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from decimal import Decimal
from pathlib import Path

from .core import InputError, Issue, parse_decimal
from .core.survey import Instrument, ResponseReader, ResponseSet
from .tabular import estimate_rows, iter_rows, read_table

__all__ = [
    "POPULATION_ALIASES",
    "POPULATION_COLUMNS",
    "PROGRESS_EVERY",
    "RESPONSE_SHEETS",
    "estimated_rows",
    "read_populations",
    "read_responses_file",
    "response_rows",
]

# XLSX sheets read in preference to the first: KoboToolbox names its data sheet after the form
# (often "data" when exported by the API); a person may name it in Vietnamese.
RESPONSE_SHEETS = ("data", "dữ liệu", "du lieu", "câu trả lời", "responses", "submissions")
PROGRESS_EVERY = 10_000  # rows between two calls of ``progress``


def read_responses_file(
    path: Path,
    instrument: Instrument,
    *,
    units: Collection[str] | None = None,
    progress: Callable[[int], None] | None = None,
    unit_column: str | None = None,
    weight_column: str | None = None,
) -> ResponseSet:
    """Read, validate and tally a responses file; raise :class:`~parindex.core.InputError`
    (``T0xx``) or :class:`~parindex.core.survey.ResponseError` (``R0xx``) with every problem.

    ``units``: valid unit codes (``None``: any). ``progress`` is called with the number of
    data rows read so far, every ``PROGRESS_EVERY`` rows and once at the end.
    """
    source = str(path)
    rows = response_rows(path)
    header_line, header = next(rows, (0, []))
    if not header:
        raise InputError([Issue("T004", "tệp rỗng: thiếu dòng tiêu đề (tên cột)", source)])
    reader = ResponseReader(
        header,
        instrument,
        units=units,
        source=source,
        unit_column=unit_column,
        weight_column=weight_column,
        header_line=header_line,
    )
    add = reader.add
    count = 0
    for line, cells in rows:
        add(line, cells)
        count += 1
        if progress is not None and not count % PROGRESS_EVERY:
            progress(count)
    if progress is not None:
        progress(count)
    return reader.finish()


POPULATION_COLUMNS = ("unit", "population")
POPULATION_ALIASES = {
    "don_vi": "unit",
    "ma_don_vi": "unit",
    "đơn vị": "unit",
    "mã đơn vị": "unit",
    "code": "unit",
    "quy_mo": "population",
    "quy mô": "population",
    "quy mô tổng thể": "population",
}


def read_populations(path: Path) -> dict[str, int]:
    """Unit → population (people or organisations the unit served, N of the sample-size
    formula) from a ``unit,population`` table. A value that is not a whole number ≥ 0 is
    ``R040``, a unit given twice ``R041``; file problems are ``T0xx``."""
    source = str(path)
    rows = read_table(path, POPULATION_COLUMNS, aliases=POPULATION_ALIASES)
    out: dict[str, int] = {}
    seen: dict[str, int] = {}
    issues: list[Issue] = []
    for line, row in rows:
        unit = str(row["unit"]).strip()
        text = str(row["population"]).strip()
        try:
            value = parse_decimal(text)
        except ValueError:
            value = Decimal(-1)
        if not unit:
            issues.append(Issue("R040", "thiếu mã đơn vị", source, line, "unit"))
        elif unit in seen:
            msg = f"đơn vị '{unit}' có hai dòng (dòng {seen[unit]} và dòng này)"
            issues.append(Issue("R041", msg, source, line, "unit"))
        elif value < 0 or value != value.to_integral_value():
            msg = f"quy mô tổng thể phải là số nguyên không âm, không phải '{text}'"
            issues.append(Issue("R040", msg, source, line, "population"))
        else:
            out[unit] = int(value)
        seen.setdefault(unit, line)
    if issues:
        raise InputError(issues)
    return out


def response_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    """The non-blank rows of a responses file as ``(row number, cells as text)``; the first
    is the header."""
    xlsx = path.suffix.lower() == ".xlsx"
    for line, cells in iter_rows(path, RESPONSE_SHEETS):
        if xlsx:
            cells = [_text(c) for c in cells]
        if any(cells):
            yield line, cells


def estimated_rows(path: Path) -> int | None:
    """About how many rows a responses file has (for a progress bar), or ``None``."""
    return estimate_rows(path, RESPONSE_SHEETS)


def _text(value: object) -> object:
    """An XLSX cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)
