"""Adding evidence to a leaf and serving files through a permission check."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parindex.web.assessments import views as assessment_views
from parindex.web.assessments.models import Assessment
from parindex.web.common import ServiceError, not_found

from . import policy, services
from .models import Evidence, EvidenceKind


def _date(text: str) -> date | None:
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@login_required
@require_safe
def evidence_forms(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The forms to add evidence to one leaf, loaded when the user opens them (a page of 150
    leaves renders three times faster without them)."""
    a = assessment_views._assessment(request, pk)
    leaf = assessment_views._leaf(a, code)
    if not policy.may_add(request.user, a.unit_id):  # type: ignore[arg-type]
        not_found()
    ctx = {"a": a, "lv": {"node": {"code": leaf.node_code}}, **_forms_ctx(a)}
    return render(request, "evidence/_add.html", ctx)


def _forms_ctx(a: Assessment) -> dict[str, Any]:
    return {
        "all_evidence": list(Evidence.objects.filter(assessment=a).only("pk", "title")),
        "max_mb": settings.EVIDENCE_MAX_BYTES // 1_000_000,
    }


# what the evidence forms post, kept to fill them in again when an addition is refused
DRAFT_FIELDS = ("kind", "title", "doc_number", "doc_date", "issuer", "summary", "page", "url")


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Upload, cite, give a URL or link existing evidence; answers with the leaf again."""
    a = assessment_views._assessment(request, pk)
    leaf = assessment_views._leaf(a, code)
    kind, user, post = request.POST.get("kind"), request.user, request.POST
    try:
        if kind == EvidenceKind.FILE:
            upload = request.FILES.get("file")
            if upload is None:
                raise ServiceError(_("Hãy chọn tệp để tải lên."), field="file")
            services.evidence_upload(
                actor=user,
                assessment=a,
                upload=upload,
                title=post.get("title", ""),
                leaves=[leaf],  # type: ignore[arg-type]
            )
        elif kind == EvidenceKind.DOCUMENT:
            raw_date = post.get("doc_date", "")
            doc_date = _date(raw_date)
            if raw_date.strip() and doc_date is None:
                raise ServiceError(
                    _("Ngày ban hành '%(date)s' không đúng dạng dd/mm/yyyy.") % {"date": raw_date}
                )
            services.evidence_cite(
                actor=user,  # type: ignore[arg-type]
                assessment=a,
                doc_number=post.get("doc_number", ""),
                doc_date=doc_date,
                issuer=post.get("issuer", ""),
                summary=post.get("summary", ""),
                page=post.get("page", ""),
                leaves=[leaf],
            )
        elif kind == EvidenceKind.URL:
            services.evidence_url(
                actor=user,
                assessment=a,
                url=post.get("url", ""),
                title=post.get("title", ""),
                leaves=[leaf],  # type: ignore[arg-type]
            )
        elif kind == "link":
            ev = Evidence.objects.filter(assessment=a, pk=_int(post.get("evidence"))).first()
            if ev is None:
                not_found()
            services.evidence_link(actor=user, evidence=ev, leaves=[leaf])  # type: ignore[arg-type]
        else:
            raise ServiceError(_("Không rõ loại tài liệu kiểm chứng."))
    except ServiceError as exc:
        return assessment_views._render_leaf(
            request,
            a,
            leaf,
            status=400,
            error=exc.message,
            evidence_draft={k: post.get(k, "") for k in DRAFT_FIELDS},
            extra=_forms_ctx(a),
        )
    return assessment_views.saved(request, a, leaf, assessment_views._render_leaf(request, a, leaf))


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return -1


@login_required
@require_safe
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file, only to those who may see its assessment; never displayed inline."""
    ev = Evidence.objects.filter(pk=pk, kind=EvidenceKind.FILE).select_related("stored").first()
    if ev is None or ev.stored is None:
        not_found()
    if not policy.may_download(request.user, ev):  # type: ignore[arg-type]
        not_found()
    response = FileResponse(
        ev.stored.file.open("rb"),
        as_attachment=True,
        filename=ev.filename,
        content_type=ev.stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
