"""Evidence use cases: upload a file, cite a document, give a URL, link to leaves.

Files are checked by their content (not their name or the browser's claim), capped in size,
stored once per SHA-256, and their names sanitized.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import date
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from parindex.web.accounts.models import User
from parindex.web.assessments.models import Assessment, Event, LeafScore, Stage
from parindex.web.assessments.services import self_edit_refusal
from parindex.web.common import ServiceError, bounded, not_found
from parindex.web.periods.models import PeriodState

from . import policy
from .models import Evidence, EvidenceKind, EvidenceLink, StoredFile

ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
ALLOWED_TEXT = "PDF, DOCX, XLSX, ODT, PNG, JPEG"


def sniff(stream: IO[bytes]) -> str | None:
    """The kind of a file from its content (a key of ``ALLOWED``), or ``None``."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(stream)
    return None


def _sniff_zip(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.read("mimetype").strip() == ALLOWED["odt"].encode():
                return "odt"
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    finally:
        stream.seek(0)
    return None


def sanitize_filename(name: str, kind: str) -> str:
    """A safe file name: no path, no control or shell characters, the extension of its kind."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"[^\w\s().,-]", "_", stem, flags=re.UNICODE).strip(" ._") or "tai-lieu"
    ext = {"jpg": "jpg"}.get(kind, kind)
    return f"{stem[:120]}.{ext}"


def _require_unit_editing(actor: User, assessment: Assessment) -> None:
    if not policy.may_add(actor, assessment.unit_id):
        not_found()
    if assessment.period.state_at_least(PeriodState.FINAL):
        raise ServiceError(_("Kỳ đánh giá đã chốt điểm: không thêm tài liệu được nữa."))


@transaction.atomic
def evidence_upload(
    *,
    actor: User,
    assessment: Assessment,
    upload: File,
    title: str = "",
    leaves: Iterable[LeafScore] = (),
) -> Evidence:
    _require_unit_editing(actor, assessment)
    title = bounded(title, 500, _("Tên tài liệu"), "title")
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ServiceError(
            _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": limit // 1_000_000}, field="file"
        )
    kind = sniff(upload.file)
    if kind is None:
        raise ServiceError(
            _("Loại tệp không được chấp nhận (kiểm tra theo nội dung tệp); chỉ nhận %(kinds)s.")
            % {"kinds": ALLOWED_TEXT},
            field="file",
        )
    stored = _store(upload, kind)
    filename = sanitize_filename(upload.name or "", kind)
    ev = Evidence.objects.create(
        assessment=assessment,
        kind=EvidenceKind.FILE,
        title=(title or filename)[:500],
        stored=stored,
        filename=filename,
        uploaded_by=actor,
    )
    _link(actor, ev, leaves)
    return ev


def _store(upload: File, kind: str) -> StoredFile:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    existing = StoredFile.objects.filter(sha256=sha).first()
    if existing is not None:
        return existing
    upload.seek(0)
    stored = StoredFile(sha256=sha, size=upload.size or 0, content_type=ALLOWED[kind])
    stored.file.save(f"{sha}.{kind}", upload, save=False)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:  # the same file uploaded at the same moment by someone else
        stored.file.delete(save=False)
        return StoredFile.objects.get(sha256=sha)
    return stored


@transaction.atomic
def evidence_cite(
    *,
    actor: User,
    assessment: Assessment,
    doc_number: str,
    doc_date: date | None,
    issuer: str,
    summary: str,
    page: str = "",
    leaves: Iterable[LeafScore] = (),
) -> Evidence:
    """Cite an official document (số/ký hiệu, ngày ban hành, cơ quan ban hành, trích yếu)."""
    _require_unit_editing(actor, assessment)
    doc_number = bounded(doc_number, 100, _("Số, ký hiệu văn bản"), "doc_number")
    issuer = bounded(issuer, 255, _("Cơ quan ban hành"), "issuer")
    page = bounded(page, 50, _("Trang"), "page")
    summary = summary.strip()
    if not doc_number:
        raise ServiceError(_("Hãy ghi số, ký hiệu văn bản."), field="doc_number")
    if doc_date is None:
        raise ServiceError(_("Hãy ghi ngày ban hành (dd/mm/yyyy)."), field="doc_date")
    if not issuer:
        raise ServiceError(_("Hãy ghi cơ quan ban hành."), field="issuer")
    if not summary:
        raise ServiceError(_("Hãy ghi trích yếu văn bản."), field="summary")
    ev = Evidence.objects.create(
        assessment=assessment,
        kind=EvidenceKind.DOCUMENT,
        title=f"{doc_number} — {summary}"[:500],
        doc_number=doc_number,
        doc_date=doc_date,
        issuer=issuer,
        summary=summary,
        page=page,
        uploaded_by=actor,
    )
    _link(actor, ev, leaves)
    return ev


@transaction.atomic
def evidence_url(
    *, actor: User, assessment: Assessment, url: str, title: str, leaves: Iterable[LeafScore] = ()
) -> Evidence:
    _require_unit_editing(actor, assessment)
    url = bounded(url, 1000, _("Đường dẫn"), "url")
    title = bounded(title, 500, _("Tên tài liệu"), "title")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ServiceError(
            _("Đường dẫn không hợp lệ (cần http:// hoặc https://)."), field="url"
        ) from None
    ev = Evidence.objects.create(
        assessment=assessment,
        kind=EvidenceKind.URL,
        title=(title or url)[:500],
        url=url,
        uploaded_by=actor,
    )
    _link(actor, ev, leaves)
    return ev


def _link(actor: User, ev: Evidence, leaves: Iterable[LeafScore]) -> None:
    for leaf in leaves:
        if leaf.assessment_id != ev.assessment_id:
            not_found()
        if EvidenceLink.objects.filter(evidence=ev, leaf=leaf).exists():
            continue
        refusal = self_edit_refusal(ev.assessment, leaf)
        if refusal and not _has_open_request(leaf):
            raise ServiceError(refusal)
        EvidenceLink.objects.create(evidence=ev, leaf=leaf)
        Event.objects.create(
            assessment=ev.assessment,
            node_code=leaf.node_code,
            stage=Stage.SELF,
            action="link_evidence",
            actor=actor,
            new={"evidence": ev.pk, "title": ev.title},
        )


def _has_open_request(leaf: LeafScore) -> bool:
    from parindex.web.appraisal.models import ExplanationRequest, RequestState

    return ExplanationRequest.objects.filter(leaf=leaf).exclude(state=RequestState.DECIDED).exists()


@transaction.atomic
def evidence_link(*, actor: User, evidence: Evidence, leaves: Iterable[LeafScore]) -> None:
    _require_unit_editing(actor, evidence.assessment)
    _link(actor, evidence, leaves)
