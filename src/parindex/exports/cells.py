"""Text cells that a spreadsheet must never take for a formula (formula or CSV injection).

A unit name, a criterion title or a message that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return could be run as a formula by Excel or LibreOffice when the file is opened
or the cell edited. Such text is written as a string cell with Excel's quote prefix in XLSX,
and behind a single quote (``'``) in CSV. Numbers are never touched: a negative number such as
``-1.50`` in a numeric column stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """True if ``text`` could be read as a formula by a spreadsheet."""
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str | None) -> str:
    """A text cell for CSV: ``None`` is empty; formula-like text gets a leading ``'``."""
    if text is None:
        return ""
    return "'" + text if formula_like(text) else text


def guard_row(ws: Worksheet, row: int, values: Sequence[object]) -> None:
    """Make the formula-like texts of ``values`` (just written to ``row``) plain string cells.

    openpyxl stores a string that starts with ``=`` as a formula; forcing the data type to
    ``s`` stores it as text, and the quote prefix keeps it text when a person edits the cell.
    """
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and formula_like(value):
            cell = ws.cell(row=row, column=column)
            cell.data_type = "s"
            cell.quotePrefix = True


def without_control_characters(value: object) -> object:
    """Text without the control characters an XLSX file cannot hold (a name pasted from
    another program may carry them); other values unchanged."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
