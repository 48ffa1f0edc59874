"""Writing results (XLSX, CSV, JSON) and the input template workbook.

Every file is written to a temporary file next to the target and moved into place only when
complete (the CSV results are four files moved into place together), so a failure never leaves
a partial or clobbered output. Numbers stay ``Decimal``: real numeric cells in XLSX (formatted
with the methodology's decimals) and fixed-decimal strings in CSV and JSON. Text that a
spreadsheet could take for a formula is written as text (see :mod:`.cells`).

Modules: ``files`` (atomic writing), ``cells`` (formula injection), ``document`` (JSON),
``tables`` (CSV), ``workbook`` (results XLSX), ``template`` (input template).
"""

from __future__ import annotations

from pathlib import Path

from ..core import Results
from . import document, tables, workbook
from .cells import FORMULA_STARTS, csv_text, formula_like
from .document import results_document
from .files import write_atomic, write_files
from .tables import csv_paths
from .template import STATUS_LABELS, TEMPLATE_COLUMNS, template_rows, write_template

RESULT_FORMATS = (".xlsx", ".csv", ".json")

__all__ = [
    "FORMULA_STARTS",
    "RESULT_FORMATS",
    "STATUS_LABELS",
    "TEMPLATE_COLUMNS",
    "csv_paths",
    "csv_text",
    "formula_like",
    "output_paths",
    "results_document",
    "template_rows",
    "write_atomic",
    "write_files",
    "write_results",
    "write_template",
]


def output_paths(path: Path) -> list[Path]:
    """Every file ``write_results`` writes for ``path``: the CSV format adds sibling tables."""
    return csv_paths(path) if path.suffix.lower() == ".csv" else [path]


def write_results(results: Results, path: Path) -> None:
    """Write results in the format named by the extension of ``path`` (see ``RESULT_FORMATS``).

    ``.csv`` also writes the sibling tables named by :func:`output_paths`, all or none.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        tables.write_csv(results, path)
    elif suffix == ".json":
        write_atomic(path, lambda tmp: document.write_json(results, tmp))
    elif suffix == ".xlsx":
        write_atomic(path, lambda tmp: workbook.write_xlsx(results, tmp))
    else:
        raise ValueError(f"định dạng kết quả '{suffix}' không hỗ trợ: {', '.join(RESULT_FORMATS)}")
