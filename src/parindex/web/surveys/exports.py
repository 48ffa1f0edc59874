"""Survey results as XLSX: the ranking of an import, and one unit's indices.

Indices are numeric cells with two decimals; every row goes through
:func:`parindex.exports.workbook.append_row`, so text that a spreadsheet could take for a
formula (a unit name, a question) stays text.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from parindex.exports.workbook import append_row, book_bytes, empty_book, new_sheet, sheet_title

from .comparison import dec
from .selectors import Line, Ranking, UnitSurvey

INDEX = "0.00"
SIGNED = "+0.00;-0.00;0.00"
RANK_CHANGE = "+0;-0;0"


def ranking_workbook(r: Ranking) -> bytes:
    """One sheet per ranking group, then every unit's index by group of questions."""
    book = empty_book(_("Kết quả điều tra %(instrument)s — %(period)s") % _names(r))
    prev = str(r.previous.period.year) if r.previous else _("năm trước")
    used: set[str] = set()
    for table in r.groups:
        ws = new_sheet(
            book,
            sheet_title(table.group.name, used),
            [
                (_("Hạng"), 7),
                (_("Mã đơn vị"), 12),
                (_("Tên đơn vị"), 36),
                (_("Số phiếu"), 9),
                (_("Chỉ số (%)"), 10),
                (_("Cận dưới 95 %"), 10),
                (_("Cận trên 95 %"), 10),
                (_("Cỡ mẫu cần có"), 10),
                (_("Ghi chú"), 40),
                (_("Chỉ số %(year)s (%%)") % {"year": prev}, 11),
                (_("Thay đổi chỉ số"), 11),
                (_("Thay đổi hạng"), 9),
            ],
        )
        formats = {5: INDEX, 6: INDEX, 7: INDEX, 10: INDEX, 11: SIGNED, 12: RANK_CHANGE}
        for row in table.rows:
            res, ch = row.result, row.change
            note = res.warning if not res.rankable else None
            values: list[object] = [res.rank, res.unit.code, res.unit.name, res.n, res.index]
            values += [res.index_low, res.index_high, res.required, note]
            if ch is None:
                values += [None, None, None]
            else:
                values += [ch.previous_index, ch.index_delta, ch.rank_delta]
            append_row(ws, values, formats)
        ws.auto_filter.ref = ws.dimensions
    _groups_sheet(book, r)
    return book_bytes(book)


def _groups_sheet(book: Workbook, r: Ranking) -> None:
    groups = list(r.instrument.walk_groups())
    fixed = [(_("Mã đơn vị"), 12), (_("Tên đơn vị"), 34), (_("Chỉ số (%)"), 10)]
    columns = fixed + [(f"{g.code}. {g.title}", 14) for g in groups]
    ws = new_sheet(book, _("Theo nhóm câu hỏi"), columns, fit_width=False)
    formats = {i: INDEX for i in range(3, len(columns) + 1)}
    for table in r.groups:
        for row in table.rows:
            res = row.result
            cells = [res.groups.get(g.code) for g in groups]
            values: list[object] = [res.unit.code, res.unit.name, res.index]
            values += [dec(c[0]) if c else None for c in cells]
            append_row(ws, values, formats)


def unit_workbook(u: UnitSurvey) -> bytes:
    res = u.result
    book = empty_book(_("Kết quả điều tra %(unit)s — %(period)s") % _unit_names(u))
    ws = new_sheet(book, _("Tổng hợp"), [(_("Mục"), 30), (_("Giá trị"), 60)])
    summary: list[tuple[str, object, str | None]] = [
        (_("Kỳ đánh giá"), u.si.period.name, None),
        (_("Đơn vị"), f"{res.unit.code} — {res.unit.name}", None),
        (_("Công cụ khảo sát"), f"{u.instrument.title} ({u.instrument.id})", None),
        (_("Số phiếu"), res.n, None),
        (_("Chỉ số (%)"), res.index, INDEX),
        (_("Cận dưới 95 %"), res.index_low, INDEX),
        (_("Cận trên 95 %"), res.index_high, INDEX),
        (_("Hạng trong khối"), res.rank, None),
        (_("Cỡ mẫu cần có"), res.required, None),
        (_("Ghi chú"), res.warning or None, None),
    ]
    for label, value, fmt in summary:
        append_row(ws, [label, value], {2: fmt} if fmt else None)
    prev = str(u.previous.period.year) if u.previous else _("năm trước")
    _lines_sheet(book, _("Theo nhóm câu hỏi"), u.groups, prev)
    _lines_sheet(book, _("Theo câu hỏi"), u.questions, None)
    ws = new_sheet(
        book,
        _("Tiêu chí được chấm"),
        [(_("Mã tiêu chí"), 11), (_("Tiêu chí"), 60), (_("Chỉ số (%)"), 10), (_("Điểm"), 10)],
    )
    for leaf in u.leaves:
        append_row(ws, [leaf.code, leaf.title, leaf.index, leaf.points], {3: INDEX, 4: INDEX})
    return book_bytes(book)


def _lines_sheet(book: Workbook, title: str, lines: list[Line], prev: str | None) -> None:
    columns = [
        (_("Mã"), 12),
        (_("Nội dung"), 60),
        (_("Số câu trả lời"), 10),
        (_("Chỉ số (%)"), 10),
        (_("Cận dưới 95 %"), 10),
        (_("Cận trên 95 %"), 10),
    ]
    if prev is not None:
        columns.append((_("Chỉ số %(year)s (%%)") % {"year": prev}, 11))
    ws = new_sheet(book, title, columns)
    formats = {4: INDEX, 5: INDEX, 6: INDEX, 7: INDEX}
    for line in lines:
        values: list[object] = ["  " * line.depth + line.code, line.title, line.n, line.index]
        values += [line.low, line.high]
        if prev is not None:
            values.append(line.previous)
        append_row(ws, values, formats)


def _names(r: Ranking) -> dict[str, str]:
    return {"instrument": r.si.instrument.code, "period": r.si.period.name}


def _unit_names(u: UnitSurvey) -> dict[str, str]:
    return {"unit": u.result.unit.name, "period": u.si.period.name}
