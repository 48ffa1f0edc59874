"""What ``parindex survey`` prints: the summary of a responses file, the columns it
recognised, a preview, the indices table and a progress bar while a large file is read."""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from .core import format_vn
from .core.survey import Instrument, ResponseSet, SurveyResults, index_value
from .survey_io import estimated_rows

__all__ = [
    "Progress",
    "columns_line",
    "num",
    "print_indices",
    "print_preview",
    "summary_line",
]


def num(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_vn(value)} %"


def summary_line(responses: ResponseSet, instrument: Instrument) -> str:
    weighted = "có trọng số thiết kế" if responses.weighted else "không có trọng số"
    period = ""
    if responses.period is not None:
        first, last = responses.period
        period = f"; nộp từ {first:%d/%m/%Y %H:%M} đến {last:%d/%m/%Y %H:%M} (UTC)"
    return (
        f"hợp lệ — {num(len(responses))} phiếu của {num(len(responses.units()))} đơn vị, "
        f"công cụ {instrument.id}; {weighted}{period}"
    )


def columns_line(responses: ResponseSet) -> str:
    h = responses.header
    counted = [q for q in responses.instrument.questions if q.scored]
    present = sum(1 for q in counted if q.code in h.questions)
    roles = [
        ("đơn vị", h.unit),
        ("mã phiếu", h.submission_id),
        ("thời gian", h.time),
        ("trọng số", h.weight),
        ("loại người trả lời", h.respondent_type),
    ]
    found = "; ".join(f"{name} = {h.header_of(i)}" for name, i in roles if i is not None)
    meta = len(h.role_of("meta"))
    unknown = sum(1 for c in h.role_of("unknown") if c.header)
    return (
        f"Cột: {found}; {present}/{len(counted)} câu hỏi tính điểm có cột; bỏ qua {meta} cột "
        f"của phần mềm khảo sát và {unknown} cột không thuộc công cụ"
    )


def print_preview(rows: Sequence[dict[str, str]], responses: ResponseSet | None) -> None:
    if not rows:
        return
    keep = None
    if responses is not None:
        h = responses.header
        wanted = [h.unit, h.submission_id, *h.questions.values()]
        keep = [h.headers[i] for i in wanted if i is not None]
    print(f"Xem trước {len(rows)} dòng đầu:")
    for row in rows:
        pairs = [f"{k}={v}" for k, v in row.items() if (keep is None or k in keep) and v]
        text = ", ".join(pairs)
        print("  " + (text if len(text) <= 150 else text[:149] + "…"))


def print_indices(results: SurveyResults, names: dict[str, str]) -> None:
    print(f"  {'Mã đơn vị':<12}{'Số phiếu':>10}{'Chỉ số':>10}  {'KTC 95 %':<20}{'Mẫu':<14}Tên")
    everyone = [("*", "Toàn tỉnh", results.overall)]
    everyone += [(c, names.get(c, ""), u) for c, u in results.units.items()]
    for code, name, u in everyone:
        e = u.index
        low, high = (
            (e.share_low, e.share_high) if e.share is not None else (e.mean_low, e.mean_high)
        )
        interval = "" if low is None or high is None else f"{format_vn(low)} – {format_vn(high)}"
        sample = "đủ" if u.sample.enough else "thiếu" if u.sample.enough is False else "—"
        if not u.rankable:
            sample += ", không xếp hạng"
        print(
            f"  {code:<12}{num(u.n):>10}{percent(index_value(e)):>10}  {interval:<20}{sample:<14}"
            f"{name}".rstrip()
        )


class Progress:
    """A one-line progress bar on stderr: rows read, per cent of the estimated total."""

    def __init__(self, path: Path, stream: TextIO) -> None:
        self.stream = stream
        self.total = estimated_rows(path)
        self.started = time.monotonic()
        self.rows = 0
        self.shown = False

    def __call__(self, rows: int) -> None:
        self.rows = rows
        self._draw(min(rows / self.total, 0.99) if self.total else None)

    def _draw(self, share: float | None) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        head = "" if share is None else f"[{'#' * int(share * 30):<30}] {share:>4.0%} "
        speed = num(int(self.rows / elapsed))
        self.stream.write(f"\rđọc câu trả lời: {head}{num(self.rows)} dòng, {speed} dòng/s ")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Redraw at 100 % (the total was an estimate) and end the line."""
        if self.shown:
            self._draw(1.0 if self.total else None)
            self.stream.write("\n")
            self.stream.flush()
