"""Reading the tables people fill in (units, inputs) from CSV or XLSX files.

Rows come out as ``(row number, {column: value})`` pairs, the form the core parsers take, with
row numbers as a spreadsheet shows them. Header names are case-insensitive and stripped.
Problems with the file itself (missing, damaged, not UTF-8, wrong columns, a formula without
a computed value) raise the core's :class:`~parindex.core.InputError` with codes ``T001``…
``T008`` and ``T011``, listed in ``docs/cli.md``. :func:`iter_rows` streams the rows of files
too large to hold (survey responses) with the same file-level codes.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

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
# Vietnamese headers accepted for the published columns: those of the "Xếp hạng" sheet that
# ``parindex score`` writes (parindex.exports), so its own .xlsx can be checked back.
PUBLISHED_ALIASES = {
    "khối": "group",
    "hạng": "rank",
    "mã đơn vị": "code",
    "tên đơn vị": "name",
    "tổng điểm": "total",
    "điểm tối đa": "max",
    "chỉ số (%)": "index",
    "chỉ số": "index",
    "xếp loại": "class",
}

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
    aliases: Mapping[str, str] = {},
) -> Rows:
    """Data rows of a CSV or XLSX table with the given columns.

    ``ignored_columns`` are accepted in the header and dropped from the rows; columns whose
    name starts with one of ``prefixed_columns`` (e.g. ``area_``) are accepted and kept;
    ``aliases`` maps other header names (casefolded) to column names. For XLSX the first
    sheet whose name is one of ``sheets`` (case-insensitive) is read, else the first sheet.
    Blank rows are skipped. Raises :class:`InputError` if the file cannot be used.
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
    columns = _Columns(
        tuple(required_columns),
        tuple(optional_columns),
        tuple(ignored_columns),
        tuple(prefixed_columns),
        dict(aliases),
    )
    return _rows(raw, source, columns)


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


# --- CSV ------------------------------------------------------------------------------------


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
    # newline="": only \n, \r\n and \r end a line (as for the csv module), so quoted cells may
    # hold line breaks and reader.line_num counts the physical lines of the file.
    first = io.StringIO(text, newline="").readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[object]]] = []
    start = 1  # physical line where the next row begins
    try:
        for cells in reader:
            out.append((start, list(cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _error("T001", _csv_reason(exc), source, start) from None
    return out


def _csv_reason(exc: csv.Error) -> str:
    if "field limit" in str(exc):
        limit = f"{csv.field_size_limit():,}".replace(",", ".")
        return (
            f"không đọc được tệp: một ô bắt đầu ở dòng này dài hơn {limit} ký tự; thường do "
            'thiếu dấu ngoặc kép (") đóng ô — kiểm tra các dấu ngoặc kép của dòng này'
        )
    return f"không đọc được tệp: dòng này không đúng định dạng CSV ({exc})"


# --- XLSX -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Uncomputed:
    """A formula cell with no computed value in the file (written by a program that did not
    calculate it): error ``T011`` where its column is read."""

    sheet: str
    address: str
    formula: str

    def __str__(self) -> str:
        return self.formula


def _read_xlsx(path: Path, source: str, sheets: Sequence[str]) -> list[tuple[int, list[object]]]:
    """Rows of the chosen sheet. One pass without ``data_only`` shows which cells hold a
    formula; only if some do, a second pass reads the values the spreadsheet program
    computed and cached for them (``None`` there: never computed)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    def formula(value: object) -> bool:
        if isinstance(value, str):
            return value.startswith("=")
        return isinstance(value, ArrayFormula | DataTableFormula)

    title, rows = _xlsx_rows(path, source, sheets, data_only=False)
    found = [(r, c) for r, cells in enumerate(rows) for c, v in enumerate(cells) if formula(v)]
    if found:
        # The second pass makes cell objects only for the block holding the formulas.
        top, left = min(r for r, _ in found), min(c for _, c in found)
        block = (top + 1, max(r for r, _ in found) + 1, left + 1, max(c for _, c in found) + 1)
        _, computed = _xlsx_rows(path, source, sheets, data_only=True, block=block)
        for r, c in found:
            i, j = r - top, c - left
            cell = computed[i][j] if i < len(computed) and j < len(computed[i]) else None
            value = getattr(cell, "value", None)
            if value is None and getattr(cell, "data_type", None) == "str":
                value = ""  # a formula whose computed result is empty text
            if value is None:
                text = rows[r][c]
                text = text if isinstance(text, str) else getattr(text, "text", None) or "=…"
                value = _Uncomputed(title, f"{get_column_letter(c + 1)}{r + 1}", text)
            rows[r][c] = value
    return [(n, [_cell(v) for v in cells]) for n, cells in enumerate(rows, start=1)]


def _xlsx_rows(
    path: Path,
    source: str,
    sheets: Sequence[str],
    *,
    data_only: bool,
    block: tuple[int, int, int, int] | None = None,
) -> tuple[str, list[list[object]]]:
    """(sheet title, rows): the cell values of the whole sheet, or the openpyxl cells of
    ``block`` (first row, last row, first column, last column; 1-based). A damaged file may
    fail on opening or only while its rows are read: both are ``T001``."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=data_only)
    except OSError as exc:
        raise _error("T001", f"không đọc được tệp: {os_reason(exc)}", source) from None
    except Exception:  # zip, XML or content errors of a damaged or non-.xlsx file
        msg = "không đọc được tệp: tệp .xlsx bị hỏng hoặc không phải tệp .xlsx"
        raise _error("T001", msg, source) from None
    title, rows = "", []
    try:
        if not book.worksheets:
            raise _error("T001", "không đọc được tệp: tệp .xlsx không có trang tính nào", source)
        wanted = {s.casefold() for s in sheets}
        sheet = next((ws for ws in book.worksheets if ws.title.strip().casefold() in wanted), None)
        sheet = sheet or book.worksheets[0]
        title = sheet.title
        sheet.reset_dimensions()  # some tools write a wrong size; read every row there is
        if block is None:
            rows.extend(list(cells) for cells in sheet.iter_rows(values_only=True))
        else:
            top, bottom, left, right = block
            cells = sheet.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right)
            rows.extend(list(row) for row in cells)
    except InputError:
        raise
    except OSError as exc:
        raise _error("T001", f"không đọc được tệp: {os_reason(exc)}", source) from None
    except Exception:  # XML, zip or content errors met while the rows are parsed
        read = len(rows) + (block[0] - 1 if block else 0)  # rows read before the damage
        after = f" sau dòng {read}" if read else ""
        msg = (
            f"không đọc được tệp: tệp .xlsx bị hỏng, trang '{title}' không đọc được{after}; "
            "hãy mở lại và lưu bằng Excel hoặc LibreOffice Calc"
        )
        raise _error("T001", msg, source) from None
    finally:
        book.close()
    return title, rows


def _cell(value: object) -> object:
    """Excel numbers become exact ``Decimal`` (via their shortest text), blanks become ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


# --- columns and rows -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Columns:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    ignored: tuple[str, ...]
    prefixed: tuple[str, ...]
    aliases: dict[str, str]

    def kept(self, name: str) -> bool:
        return name in self.required or name in self.optional or _prefixed(name, self.prefixed)


def _blank(cells: Iterable[object]) -> bool:
    return all(str(c).strip() == "" for c in cells)


def _rows(raw: list[tuple[int, list[object]]], source: str, columns: _Columns) -> Rows:
    content = [(n, cells) for n, cells in raw if not _blank(cells)]
    if not content:
        raise _error("T004", "tệp rỗng: thiếu dòng tiêu đề (tên cột) ở dòng 1", source)
    header_line, header = content[0]
    issues = [
        _uncomputed(cell, source, header_line, None)
        for cell in header
        if isinstance(cell, _Uncomputed)
    ]
    if issues:
        raise InputError(issues)
    names = _header(header, header_line, source, columns)
    keep = {i: name for i, name in enumerate(names) if columns.kept(name)}
    shown = {i: str(header[i]).strip() for i in keep}  # the header as written, for messages
    out: Rows = []
    for line, cells in content[1:]:
        found: list[Issue] = []
        extra = [c for i, c in enumerate(cells) if i >= len(names) or names[i] == ""]
        if not _blank(extra):
            msg = (
                "có giá trị ở cột không có tên "
                "(dòng tiêu đề để trống ô này hoặc thừa dấu phân cách)"
            )
            found.append(Issue("T008", msg, source, line))
        found.extend(
            _uncomputed(c, source, line, shown[i])
            for i, c in enumerate(cells)
            if i in keep and isinstance(c, _Uncomputed)
        )
        if found:
            issues.extend(found)
            continue
        row: Row = {name: "" for name in keep.values()}
        row.update({keep[i]: c for i, c in enumerate(cells) if i in keep})
        out.append((line, row))
    if issues:
        raise InputError(issues)
    return out


def _uncomputed(cell: _Uncomputed, source: str, line: int, column: str | None) -> Issue:
    formula = cell.formula if len(cell.formula) <= 60 else cell.formula[:59] + "…"
    msg = (
        f"ô {cell.address} (trang '{cell.sheet}') chứa công thức chưa có giá trị tính sẵn "
        f"({formula}): tệp được ghi bởi một chương trình không tính công thức; hãy mở tệp bằng "
        "Excel hoặc LibreOffice Calc rồi lưu lại, hoặc nhập giá trị thay cho công thức"
    )
    return Issue("T011", msg, source, line, column)


def _header(cells: list[object], line: int, source: str, columns: _Columns) -> list[str]:
    written = [unicodedata.normalize("NFC", str(c)).strip() for c in cells]
    while written and written[-1] == "":
        written.pop()
    names = [columns.aliases.get(n.casefold(), n.casefold()) for n in written]
    valid = [
        *columns.required,
        *columns.optional,
        *columns.ignored,
        *(f"{p}…" for p in columns.prefixed),
    ]
    issues = list(_duplicates(names, written, line, source))
    unknown = [w for w, n in zip(written, names, strict=True) if n and n not in valid]
    unknown = [w for w in unknown if not _prefixed(w.casefold(), columns.prefixed)]
    if unknown:
        known = ", ".join(valid)
        if columns.aliases:
            known += f" (hoặc tên tiếng Việt: {', '.join(columns.aliases)})"
        msg = f"cột không hợp lệ: {', '.join(unknown)}; các cột hợp lệ: {known}"
        issues.append(Issue("T006", msg, source, line))
    missing = [c for c in columns.required if c not in names]
    if missing:
        required = ", ".join(columns.required)
        msg = f"thiếu cột bắt buộc: {', '.join(missing)} (cần có: {required})"
        issues.append(Issue("T005", msg, source, line))
    if issues:
        raise InputError(issues)
    return names


def _prefixed(name: str, prefixes: Sequence[str]) -> bool:
    return any(name.startswith(p) and len(name) > len(p) for p in prefixes)


def _duplicates(names: list[str], written: list[str], line: int, source: str) -> Iterator[Issue]:
    seen: set[str] = set()
    for name, text in zip(names, written, strict=True):
        if name and name in seen:
            shown = f"'{name}'" if text.casefold() == name else f"'{text}' (= '{name}')"
            yield Issue("T007", f"cột {shown} bị lặp trong dòng tiêu đề", source, line, name)
        seen.add(name)


# --- streaming ------------------------------------------------------------------------------


def iter_rows(path: str | Path, sheets: Sequence[str] = ()) -> Iterator[tuple[int, list[object]]]:
    """Every row of a CSV or XLSX file as ``(row number, cells)``, one at a time, for files too
    large to hold (a million survey responses). Blank rows are included (the caller decides).

    CSV cells are text (UTF-8 with or without BOM, ``,`` or ``;`` as in :func:`read_table`);
    XLSX cells are the values the spreadsheet program computed and saved (``None`` when
    empty), of the first sheet named in ``sheets`` (case-insensitive) or else the first sheet.
    Problems with the file raise :class:`InputError` (``T001``–``T003``), also midway.
    """
    source = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        msg = f"định dạng '{suffix or '(không có)'}' không hỗ trợ; dùng .csv hoặc .xlsx"
        raise _error("T003", msg, source)
    if suffix == ".csv":
        return _iter_csv(Path(path), source)
    return _iter_xlsx(Path(path), source, sheets)


def estimate_rows(path: str | Path, sheets: Sequence[str] = ()) -> int | None:
    """About how many rows the file has (for a progress bar): the size of a CSV file over the
    mean length of its first lines, or the size an XLSX sheet declares; ``None`` if unknown."""
    try:
        if Path(path).suffix.lower() == ".csv":
            size = os.path.getsize(path)
            with open(path, "rb") as f:
                head = f.read(1 << 16)
            lines = head.count(b"\n")
            return max(1, round(size * lines / len(head))) if lines and head else None
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = _sheet(book, sheets).max_row
        finally:
            book.close()
        return rows if isinstance(rows, int) and rows > 0 else None
    except Exception:  # only a hint: a file that cannot be read is reported when it is read
        return None


def _iter_csv(path: Path, source: str) -> Iterator[tuple[int, list[object]]]:
    start = 1  # physical line where the next row begins
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            first = f.readline()
            f.seek(0)
            delimiter = ";" if first.count(";") > first.count(",") else ","
            reader = csv.reader(f, delimiter=delimiter)
            for cells in reader:
                yield start, cells  # type: ignore[misc]  # a list of str is a list of object
                start = reader.line_num + 1
    except OSError as exc:
        raise _error("T001", f"không đọc được tệp: {os_reason(exc)}", source) from None
    except UnicodeDecodeError:
        msg = "tệp không phải UTF-8; hãy lưu lại dạng 'CSV UTF-8 (phân cách bằng dấu phẩy)'"
        raise _error("T002", msg, source, _first_bad_line(path)) from None
    except csv.Error as exc:
        raise _error("T001", _csv_reason(exc), source, start) from None


def _first_bad_line(path: Path) -> int | None:
    """The line of the first byte that is not UTF-8 (the decoder reads ahead in blocks)."""
    try:
        with path.open("rb") as f:
            for number, line in enumerate(f, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return number
    except OSError:
        pass
    return None


def _sheet(book: Any, sheets: Sequence[str]) -> Any:
    wanted = {s.casefold() for s in sheets}
    found = next((ws for ws in book.worksheets if ws.title.strip().casefold() in wanted), None)
    return found or book.worksheets[0]


def _iter_xlsx(
    path: Path, source: str, sheets: Sequence[str]
) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise _error("T001", f"không đọc được tệp: {os_reason(exc)}", source) from None
    except Exception:  # zip, XML or content errors of a damaged or non-.xlsx file
        msg = "không đọc được tệp: tệp .xlsx bị hỏng hoặc không phải tệp .xlsx"
        raise _error("T001", msg, source) from None
    title, number = "", 0
    try:
        if not book.worksheets:
            raise _error("T001", "không đọc được tệp: tệp .xlsx không có trang tính nào", source)
        sheet = _sheet(book, sheets)
        title = sheet.title
        sheet.reset_dimensions()  # some tools write a wrong size; read every row there is
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except InputError:
        raise
    except OSError as exc:
        raise _error("T001", f"không đọc được tệp: {os_reason(exc)}", source) from None
    except Exception:  # XML, zip or content errors met while the rows are parsed
        after = f" sau dòng {number}" if number else ""
        msg = (
            f"không đọc được tệp: tệp .xlsx bị hỏng, trang '{title}' không đọc được{after}; "
            "hãy mở lại và lưu bằng Excel hoặc LibreOffice Calc"
        )
        raise _error("T001", msg, source) from None
    finally:
        book.close()
