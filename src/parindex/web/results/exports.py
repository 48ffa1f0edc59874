"""Results as XLSX: the ranking of a period and one unit's score sheet.

Numbers are real numeric cells (``Decimal``) with the methodology's decimals as the number
format; text that a spreadsheet could take for a formula stays text. The sheet helpers are the
CLI's (:mod:`parindex.exports.workbook`), so both kinds of workbook look and print alike.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from parindex.exports.workbook import (
    append_row,
    book_bytes,
    empty_book,
    new_sheet,
    number_formats,
    sheet_title,
)

from .scorecard import Scorecard
from .selectors import Ranking

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RANK_CHANGE = "+0;-0;0"
_FILE_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;]')


def ranking_workbook(r: Ranking) -> bytes:
    """One sheet per ranking group: rank, unit, total, max, index, class, the change since
    the previous period and the points of each area."""
    book = empty_book(_("Kết quả %(period)s") % {"period": r.period.name})
    used: set[str] = set()
    for table in r.groups:
        m = table.methodology
        pts, idx = number_formats(m)
        prev = str(r.previous.year) if r.previous else _("năm trước")
        columns = [
            (_("Hạng"), 7),
            (_("Mã đơn vị"), 12),
            (_("Tên đơn vị"), 36),
            (_("Tổng điểm"), 11),
            (_("Điểm tối đa"), 11),
            (_("Chỉ số (%)"), 11),
            (_("Xếp loại"), 14),
            (_("Hạng %(year)s") % {"year": prev}, 9),
            (_("Thay đổi hạng"), 9),
            (_("Chỉ số %(year)s (%%)") % {"year": prev}, 11),
            (_("Thay đổi chỉ số"), 11),
        ]
        columns += [(f"{a.code}. {a.title}", 14) for a in m.areas]
        ws = new_sheet(book, sheet_title(table.group.name, used), columns)
        formats = {4: pts, 5: pts, 6: idx, 9: RANK_CHANGE, 10: idx, 11: _signed(idx)}
        formats |= {i: pts for i in range(12, 12 + len(m.areas))}
        for row in table.rows:
            rec, ch = row.record, row.change
            klass = f"{rec.class_code} — {rec.class_label}" if rec.class_code else None
            values: list[object] = [rec.rank, rec.unit.code, rec.unit.name, rec.total, rec.max]
            values += [rec.index, klass]
            if ch is None:
                values += [None] * 4
            else:
                values += [ch.previous_rank, ch.rank_delta, ch.previous_index, ch.index_delta]
            values += [_points(rec.nodes.get(a.code)) for a in m.areas]
            append_row(ws, values, formats)
        ws.auto_filter.ref = ws.dimensions
    return book_bytes(book)


def scorecard_workbook(card: Scorecard) -> bytes:
    """A unit's score sheet: a summary, every node, and the points lost by sub-criterion."""
    rec, m = card.record, card.methodology
    pts, idx = number_formats(m)
    title = _("Phiếu điểm %(unit)s — %(period)s")
    book = empty_book(title % {"unit": rec.unit.name, "period": rec.period.name})
    ws = new_sheet(book, _("Tổng hợp"), [(_("Mục"), 26), (_("Giá trị"), 60)])
    summary: list[tuple[str, object, str | None]] = [
        (_("Kỳ đánh giá"), rec.period.name, None),
        (_("Đơn vị"), f"{rec.unit.code} — {rec.unit.name}", None),
        (_("Khối"), rec.group.name, None),
        (_("Bộ tiêu chí"), f"{m.title} ({m.year})", None),
        (_("Tổng điểm"), rec.total, pts),
        (_("Điểm tối đa"), rec.max, pts),
        (_("Chỉ số (%)"), rec.index, idx),
        (_("Hạng trong khối"), rec.rank, None),
        (_("Xếp loại"), f"{rec.class_code} — {rec.class_label}" if rec.class_code else None, None),
    ]
    for label, value, fmt in summary:
        append_row(ws, [label, value], {2: fmt} if fmt else None)
        ws.cell(row=ws.max_row, column=2).alignment = Alignment(horizontal="left")
    _nodes_sheet(book, card, pts, idx)
    _lost_sheet(book, card, pts)
    return book_bytes(book)


def _nodes_sheet(book: Workbook, card: Scorecard, pts: str, idx: str) -> None:
    ws = new_sheet(
        book,
        _("Phiếu điểm"),
        [
            (_("Mã tiêu chí"), 11),
            (_("Tiêu chí"), 60),
            (_("Điểm tối đa"), 11),
            (_("Điểm đạt"), 10),
            (_("Tỷ lệ đạt (%)"), 11),
            (_("Điểm bị mất"), 11),
            (_("Ghi chú"), 16),
        ],
    )
    for line in card.lines:
        node = line.node
        top = line.max if line.max is not None else node.max
        values = [node.code, node.title, top, line.points, line.percent, line.lost, line.note]
        append_row(ws, values, {3: pts, 4: pts, 5: idx, 6: pts})
        title = ws.cell(row=ws.max_row, column=2)
        title.alignment = Alignment(indent=node.depth, wrap_text=True, vertical="top")
        if not node.is_leaf:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    ws.auto_filter.ref = ws.dimensions


def _lost_sheet(book: Workbook, card: Scorecard, pts: str) -> None:
    ws = new_sheet(
        book,
        _("Điểm bị mất"),
        [
            (_("Mã tiêu chí"), 11),
            (_("Tiêu chí thành phần"), 60),
            (_("Điểm tối đa"), 11),
            (_("Điểm đạt"), 10),
            (_("Điểm bị mất"), 11),
        ],
    )
    formats = {3: pts, 4: pts, 5: pts}
    for lost in card.lost:
        append_row(ws, [lost.code, lost.title, lost.max, lost.points, lost.lost], formats)


def _points(pair: list[str] | None) -> Decimal | None:
    return Decimal(pair[0]) if pair else None


def _signed(fmt: str) -> str:
    return f"+{fmt};-{fmt};{fmt}"


# --- the HTTP answer ------------------------------------------------------------------------


def ascii_name(text: str) -> str:
    """``Phiếu điểm Sở Tư pháp 2026`` → ``Phieu-diem-So-Tu-phap-2026`` (for old browsers)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9._]+", "-", text).strip("-.") or "ket-qua"


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    """An attachment named ``name``.xlsx: an ASCII ``filename`` and the Vietnamese name as
    RFC 5987 ``filename*``."""
    name = _FILE_FORBIDDEN.sub(" ", name).strip() or "ket-qua"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_name(name)}.xlsx"; '
        f"filename*=UTF-8''{quote(name + '.xlsx', safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
