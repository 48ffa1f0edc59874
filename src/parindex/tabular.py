"""Reading the tables people fill in (units, inputs) from CSV or XLSX files.

Rows come out as ``(row number, {column: value})`` pairs, the form the core parsers take, with
row numbers as a spreadsheet shows them. Header names are case-insensitive and stripped.
Problems with the file itself (missing, not UTF-8, wrong columns) raise the core's
:class:`~parindex.core.InputError` with codes ``T001``…``T008``, listed in ``docs/cli.md``.
"""

from __future__ import annotations

import csv
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path

from .core import InputError, Issue

Row = dict[str, object]
Rows = list[tuple[int, Row]]

UNIT_COLUMNS = ("code", "name", "type", "group")
UNIT_OPTIONAL = ("exempt",)
UNIT_SHEETS = ("đơn vị", "don vi", "units")

INPUT_COLUMNS = ("unit", "node", "value")
INPUT_OPTIONAL = ("input",)
PUBLISHED_COLUMNS = ("code", "total")
PUBLISHED_OPTIONAL = ("name", "group", "max", "index", "rank", "class")
PUBLISHED_PREFIXES = ("area_",)
PUBLISHED_SHEETS = ("xếp hạng", "xep hang", "ranking", "kết quả", "ket qua")

INPUT_SHEETS = ("nhập liệu", "nhap lieu", "inputs", "đầu vào")
# Read-only helper columns of the input template (``parindex template``): read back and ignored.
INPUT_HELPERS = (
    "tên đơn vị",
    "tiêu chí",
    "điểm tối đa",
    "giá trị hợp lệ",
    "nhãn đầu vào",
    "tài liệu kiểm chứng",
)

EXTENSIONS = (".csv", ".xlsx")


def read_table(
    path: str | Path,
    required_columns: Sequence[str],
    optional_columns: Sequence[str] = (),
    *,
    ignored_columns: Sequence[str] = (),
    sheets: Sequence[str] = (),
    prefixed_columns: Sequence[str] = (),
) -> Rows:
    """Data rows of a CSV or XLSX table with the given columns.

    ``ignored_columns`` are accepted in the header and dropped from the rows; columns whose
    name starts with one of ``prefixed_columns`` (e.g. ``area_``) are accepted and kept. For
    XLSX the first sheet whose name is one of ``sheets`` (case-insensitive) is read, else the
    first sheet. Blank rows are skipped. Raises :class:`InputError` if the file cannot be used.
    """
    source = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise _error(
            "T003",
            f"định dạng '{suffix or '(không có)'}' không hỗ trợ; dùng .csv hoặc .xlsx",
            source,
        )
    raw = (
        _read_csv(Path(path), source)
        if suffix == ".csv"
        else _read_xlsx(Path(path), source, sheets)
    )
    return _rows(raw, source, required_columns, optional_columns, ignored_columns, prefixed_columns)


def os_reason(exc: OSError) -> str:
    """A short Vietnamese reason for a failed file operation."""
    if isinstance(exc, FileNotFoundError):
        return "không tìm thấy tệp hoặc thư mục"
    if isinstance(exc, PermissionError):
        return "không có quyền truy cập"
    if isinstance(exc, IsADirectoryError):
        return "đây là thư mục, không phải tệp"
    return exc.strerror or str(exc)


def _error(code: str, message: str, source: str, line: int | None = None) -> InputError:
    return InputError([Issue(code, message, source, line)])


def _read_csv(path: Path, source: str) -> list[tuple[int, list[object]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _error("T001", f"không đọc được tệp: {os_reason(exc)}", source) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = "tệp không phải UTF-8; hãy lưu lại dạng 'CSV UTF-8 (phân cách bằng dấu phẩy)'"
        raise _error("T002", msg, source, line) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    out: list[tuple[int, list[object]]] = []
    start = 1
    for cells in reader:
        out.append((start, list(cells)))
        start = reader.line_num + 1
    return out


def _read_xlsx(path: Path, source: str, sheets: Sequence[str]) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise _error("T001", f"không đọc được tệp: {os_reason(exc)}", source) from None
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise _error("T001", "không đọc được tệp: không phải tệp .xlsx hợp lệ", source) from None
    try:
        wanted = {s.casefold() for s in sheets}
        sheet = next((ws for ws in book.worksheets if ws.title.strip().casefold() in wanted), None)
        sheet = sheet or book.worksheets[0]
        sheet.reset_dimensions()  # some tools write a wrong size; read every row there is
        rows = sheet.iter_rows(values_only=True)
        return [(n, [_cell(v) for v in cells]) for n, cells in enumerate(rows, start=1)]
    finally:
        book.close()


def _cell(value: object) -> object:
    """Excel numbers become exact ``Decimal`` (via their shortest text), blanks become ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def _blank(cells: Iterable[object]) -> bool:
    return all(str(c).strip() == "" for c in cells)


def _rows(
    raw: list[tuple[int, list[object]]],
    source: str,
    required: Sequence[str],
    optional: Sequence[str],
    ignored: Sequence[str],
    prefixed: Sequence[str] = (),
) -> Rows:
    content = [(n, cells) for n, cells in raw if not _blank(cells)]
    if not content:
        raise _error("T004", "tệp rỗng: thiếu dòng tiêu đề (tên cột) ở dòng 1", source)
    header_line, header = content[0]
    names = _header(header, header_line, source, required, optional, ignored, prefixed)
    keep = {
        i: name
        for i, name in enumerate(names)
        if name in required or name in optional or _prefixed(name, prefixed)
    }
    out: Rows = []
    issues: list[Issue] = []
    for line, cells in content[1:]:
        extra = [c for i, c in enumerate(cells) if i >= len(names) or names[i] == ""]
        if not _blank(extra):
            msg = (
                "có giá trị ở cột không có tên "
                "(dòng tiêu đề để trống ô này hoặc thừa dấu phân cách)"
            )
            issues.append(Issue("T008", msg, source, line))
            continue
        row: Row = {name: "" for name in keep.values()}
        row.update({keep[i]: c for i, c in enumerate(cells) if i in keep})
        out.append((line, row))
    if issues:
        raise InputError(issues)
    return out


def _header(
    cells: list[object],
    line: int,
    source: str,
    required: Sequence[str],
    optional: Sequence[str],
    ignored: Sequence[str],
    prefixed: Sequence[str] = (),
) -> list[str]:
    names = [unicodedata.normalize("NFC", str(c)).strip().casefold() for c in cells]
    while names and names[-1] == "":
        names.pop()
    valid = [*required, *optional, *ignored, *(f"{p}…" for p in prefixed)]
    issues = list(_duplicates(names, line, source))
    unknown = [n for n in names if n and n not in valid and not _prefixed(n, prefixed)]
    if unknown:
        msg = f"cột không hợp lệ: {', '.join(unknown)}; các cột hợp lệ: {', '.join(valid)}"
        issues.append(Issue("T006", msg, source, line))
    missing = [c for c in required if c not in names]
    if missing:
        msg = f"thiếu cột bắt buộc: {', '.join(missing)} (cần có: {', '.join(required)})"
        issues.append(Issue("T005", msg, source, line))
    if issues:
        raise InputError(issues)
    return names


def _prefixed(name: str, prefixes: Sequence[str]) -> bool:
    return any(name.startswith(p) and len(name) > len(p) for p in prefixes)


def _duplicates(names: list[str], line: int, source: str) -> Iterator[Issue]:
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            yield Issue("T007", f"cột '{name}' bị lặp trong dòng tiêu đề", source, line, name)
        seen.add(name)
