"""The progress list of a period as XLSX: what the administrator sends to the leadership or
uses to chase the units that have not submitted yet."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.exports.workbook import append_row, book_bytes, empty_book, new_sheet
from parindex.web.assessments.models import Assessment

from .models import Period

WHEN = "dd/mm/yyyy hh:mm"


def progress_workbook(period: Period, rows: Sequence[Assessment]) -> bytes:
    """One row per unit, as on the page; ``rows`` carry the figures of
    :func:`parindex.web.assessments.progress.with_progress`."""
    book = empty_book(_("Tiến độ %(period)s") % {"period": period.name})
    ws = new_sheet(
        book,
        _("Tiến độ"),
        [
            (_("Khối"), 36),
            (_("Mã đơn vị"), 18),
            (_("Tên đơn vị"), 46),
            (_("Bản tự đánh giá"), 16),
            (_("Gửi lúc"), 16),
            (_("Đã chấm"), 9),
            (_("Số tiêu chí"), 9),
            (_("Đã thẩm định"), 10),
            (_("Chờ giải trình"), 10),
            (_("Chờ kết luận"), 10),
        ],
    )
    for r in rows:
        # spreadsheets have no time zones: the local time, as on the page
        sent = timezone.localtime(r.submitted_at).replace(tzinfo=None) if r.submitted_at else None
        values: list[object] = [r.unit.group.name, r.unit.code, r.unit.name]
        values += [r.get_state_display(), sent, r.n_done, r.n_leaves]  # type: ignore[attr-defined]
        values += [r.n_appraised, r.n_open, r.n_answered]  # type: ignore[attr-defined]
        append_row(ws, values, {5: WHEN})
    ws.auto_filter.ref = ws.dimensions
    return book_bytes(book)
