"""Official documents the sample units cite as evidence, and small PDF files to upload."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from parindex.core import Node
from parindex.web.units.models import Unit

from .catalog import ascii_fold

KINDS = {"Kế hoạch": "KH", "Báo cáo": "BC", "Chương trình": "CTr"}  # what a unit issues itself


@dataclass(frozen=True)
class Document:
    """An official document: số/ký hiệu, ngày ban hành, cơ quan ban hành, trích yếu."""

    number: str
    day: date
    issuer: str
    summary: str

    @property
    def title(self) -> str:
        return f"{self.number} — {self.summary}"

    def pdf(self) -> bytes:
        return pdf_bytes(
            [
                self.issuer.upper(),
                f"So: {self.number}",
                f"Ngay ban hanh: {self.day:%d/%m/%Y}",
                self.summary,
                "Tai lieu mau do parindex tao ra (du lieu demo).",
            ]
        )

    def filename(self) -> str:
        return f"{self.number.replace('/', '-')} {ascii_fold(self.summary)[:60]}.pdf"


class Registry:
    """Numbers each unit's documents in order, like its records office (văn thư) does."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.last: dict[str, int] = {}
        self.issued: dict[tuple[str, str], Document] = {}

    def for_leaf(self, unit: Unit, node: Node, year: int) -> Document | None:
        """The document the unit issued that a leaf expects as evidence (one per title)."""
        wanted = node.evidence[0] if node.evidence else ""
        kind = next((k for k in KINDS if wanted.startswith(k)), None)
        if kind is None:
            return None
        summary = wanted.split(" (")[0].split(";")[0]
        summary = summary.replace(" của đơn vị", "").replace(" của UBND xã", "")
        if (unit.code, summary) not in self.issued:
            month = 1 if kind == "Kế hoạch" else self.rng.randint(3, 10)
            day = date(year, month, self.rng.randint(2, 27))
            self.issued[unit.code, summary] = self._issue(unit, KINDS[kind], day, summary)
        return self.issued[unit.code, summary]

    def explanation(self, unit: Unit, node_code: str) -> Document:
        """The report a unit sends with its answer to an explanation request."""
        day = timezone.localdate() - timedelta(days=self.rng.randint(0, 3))
        summary = f"Báo cáo giải trình, bổ sung tài liệu kiểm chứng tiêu chí {node_code}"
        return self._issue(unit, "BC", day, summary)

    def _issue(self, unit: Unit, kind: str, day: date, summary: str) -> Document:
        local = unit.type in ("commune", "ward", "special_zone")
        self.last[unit.code] = self.last.get(unit.code, 0) + self.rng.randint(3, 40)
        sign = "UBND" if local else unit.code.replace("VPUBND", "VP")
        issuer = f"UBND {unit.name[0].lower()}{unit.name[1:]}" if local else unit.name
        number = f"{self.last[unit.code]}/{kind}-{sign}"
        return Document(number, min(day, timezone.localdate()), issuer, summary)


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF (Helvetica, ASCII text), written by hand."""
    shown = " ".join(f"({_pdf_text(line)}) '" for line in lines)
    content = f"BT /F1 12 Tf 16 TL 60 800 Td {shown} ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_text(line: str) -> str:
    text = ascii_fold(line).encode("ascii", "replace").decode()
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
