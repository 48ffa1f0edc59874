"""What comes with an uploaded responses file: the options the administrator gives
(populations, margin of error), the file's kind, a local copy for the core reader, and the
exception that carries an error report."""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from parindex.core import parse_decimal
from parindex.web.common import ServiceError

from .instruments import ReportLine


class ImportRejected(ServiceError):
    """The file (or the instrument's mapping) has errors; ``lines`` is the error report and
    ``preview`` the first rows as read (columns, cells), when the file could be read."""

    def __init__(
        self,
        message: str,
        lines: list[ReportLine],
        preview: tuple[list[str], list[list[str | None]]] | None = None,
    ) -> None:
        super().__init__(message)
        self.lines = lines
        self.preview = preview


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the administrator says about an import besides the file."""

    populations: dict[str, int]
    margin: Decimal


def parse_options(populations: str, margin: str, units: list[str]) -> ImportOptions:
    """``populations``: one ``unit code, N`` a line (comma, semicolon or tab); ``margin``: the
    margin of error in per cent (default 5). Every problem is reported with its line."""
    lines: list[ReportLine] = []
    known, found = set(units), {}
    column_unit, column_n = _("Mã đơn vị"), _("Quy mô (N)")
    for number, raw in enumerate(populations.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in re.split(r"[,;\t]", raw)]
        if len(parts) != 2:
            lines.append(ReportLine(number, None, "P001", _("Mỗi dòng ghi: mã đơn vị, N.")))
        elif parts[0] not in known:
            msg = _("Đơn vị '%(code)s' không tham gia kỳ đánh giá.") % {"code": parts[0]}
            lines.append(ReportLine(number, column_unit, "P002", msg))
        elif not parts[1].isdigit() or int(parts[1]) < 1:
            msg = _("'%(value)s' không phải số nguyên dương.") % {"value": parts[1]}
            lines.append(ReportLine(number, column_n, "P003", msg))
        else:
            found[parts[0]] = int(parts[1])
    value = _margin(margin, lines)
    if lines:
        raise ImportRejected(_("Thông tin cỡ mẫu không hợp lệ."), lines)
    return ImportOptions(found, value)


def _margin(text: str, lines: list[ReportLine]) -> Decimal:
    if not text.strip():
        return Decimal("0.05")
    try:
        percent = parse_decimal(text)
    except (ValueError, InvalidOperation):
        percent = Decimal(-1)
    if not Decimal(1) <= percent <= Decimal(20):
        msg = _("Sai số phải là số phần trăm từ 1 đến 20, không phải '%(value)s'.") % {
            "value": text
        }
        lines.append(ReportLine(None, _("Sai số (%)"), "P004", msg))
    return (percent / 100).quantize(Decimal("0.0001"))


def file_suffix(name: str, head: bytes) -> str:
    lowered = name.lower()
    is_zip = head.startswith(b"PK\x03\x04")
    if lowered.endswith(".xlsx") and is_zip:
        return ".xlsx"
    if lowered.endswith(".csv") and not is_zip:
        return ".csv"
    raise ServiceError(_("Hãy chọn tệp câu trả lời .csv (UTF-8) hoặc .xlsx."))


@contextmanager
def local_copy(stream: IO[bytes], suffix: str) -> Iterator[tuple[Path, str]]:
    """The stream in a temporary file (the core reads paths), and its SHA-256."""
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"responses{suffix}"
        with path.open("wb") as out:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
                out.write(chunk)
        yield path, digest.hexdigest()
