"""Shared data for the response and index tests: the test instrument, its export files read
with the csv module (the core reads no files), and a builder for rows in memory."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from parindex.core.survey import Instrument, ResponseSet, load_instrument, read_responses

DATA = Path(__file__).parent / "data"
INSTRUMENT = DATA / "khao-sat-thu-nghiem.yaml"
KOBO = DATA / "kobo.csv"
ODK = DATA / "odk-central.csv"
KOBO_ERRORS = DATA / "kobo-loi.csv"
UNITS = ("SNV", "STP", "SYT", "SXD")

# The twelve responses of kobo.csv and odk-central.csv, by row:
# unit, P1 (1 citizen, 2 organization), P2, A1, A2, B1, B2, C1, NC1.
RESPONSES = [
    ("SNV", "1", "2", "5", "4", "4", "3", "", "1 3"),
    ("SNV", "1", "1", "4", "4", "5", "5", "", "2"),
    ("SNV", "2", "3", "3", "2", "4", "4", "5", "1"),
    ("SNV", "1", "1", "9", "5", "5", "4", "", "99"),
    ("STP", "1", "2", "2", "3", "3", "2", "", "1 2"),
    ("STP", "2", "1", "4", "5", "4", "5", "4", "4"),
    ("STP", "1", "0", "5", "5", "5", "5", "", ""),
    ("STP", "1", "4", "1", "2", "2", "3", "", "3"),
    ("SYT", "2", "2", "4", "4", "4", "9", "3", "2 4"),
    ("SYT", "1", "1", "5", "4", "5", "5", "", "1"),
    ("SYT", "1", "", "4", "3", "4", "4", "", ""),
    ("SYT", "1", "2", "3", "4", "5", "4", "", "2"),
]
QUESTIONS = ("A1", "A2", "B1", "B2", "C1")


def instrument() -> Instrument:
    return load_instrument(INSTRUMENT)


def csv_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, cells) of a CSV file (``;`` or ``,``); no quoted line breaks here."""
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > 1 else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    return rows[0], [(n, cells) for n, cells in enumerate(rows[1:], start=2)]


def read_csv(path: Path, **options: object) -> ResponseSet:
    header, rows = csv_rows(path)
    return read_responses(
        ((n, dict(zip(header, cells, strict=False))) for n, cells in rows),
        instrument(),
        source=path.name,
        **options,  # type: ignore[arg-type]
    )


def table(header: Sequence[str], *rows: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows in memory, numbered from 2 as under a header in a spreadsheet."""
    return [(n, dict(zip(header, row, strict=True))) for n, row in enumerate(rows, start=2)]
