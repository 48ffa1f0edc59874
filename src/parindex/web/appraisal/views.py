"""Appraisal pages: the queue, a unit's appraisal page, a leaf's actions, the unit's inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parindex.web.assessments import policy as assessment_policy
from parindex.web.assessments import progress, selectors
from parindex.web.assessments.models import Assessment, LeafScore
from parindex.web.assessments.views import _assessment, _inputs, _leaf, _open_area
from parindex.web.common import ServiceError, StaleEdit, not_found, unsaved
from parindex.web.evidence.models import Evidence
from parindex.web.periods.services import methodology_of

from . import policy, services
from .models import ExplanationRequest


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """What waits for this appraiser: assigned, submitted assessments with their counts.

    ``?todo=appraise`` keeps the units not fully appraised, ``?todo=conclude`` those with
    answers awaiting a conclusion; ``?q=`` a unit's name or code, diacritics optional. The
    filters work on the rows already read (one query whatever they are)."""
    if not policy.may_use_queue(request.user):  # type: ignore[arg-type]
        not_found()
    rows = list(
        progress.with_progress(assessment_policy.visible_assessments(request.user))  # type: ignore[arg-type]
        .filter(period__state__in=["open", "appraisal", "explanation"])
        .order_by("period__year", "unit__group__code", "unit__code")
    )
    todo, q = request.GET.get("todo", ""), request.GET.get("q", "").strip()
    shown = [
        a
        for a in progress.narrowed(rows, q=q)
        if (todo != "appraise" or a.n_appraised < a.n_leaves)
        and (todo != "conclude" or a.n_answered > 0)
    ]
    ctx = {"rows": shown, "total": len(rows), "todo": todo, "q": q, "filtered": bool(todo or q)}
    return render(request, "appraisal/queue.html", ctx)


def _appraisal_assessment(request: HttpRequest, pk: int) -> Assessment:
    a = _assessment(request, pk)
    if not policy.may_open_appraisal_page(request.user):  # type: ignore[arg-type]
        not_found()
    return a


def _appraisal_ctx(request: HttpRequest, a: Assessment, area: str) -> dict[str, object]:
    ctx = selectors.assessment_page(request.user, a, editable_for_user=False, area=area)  # type: ignore[arg-type]
    assigned = policy.assigned_areas(request.user, a)  # type: ignore[arg-type]
    for av in ctx["areas"]:
        av.appraisable = a.submitted and (assigned is None or av.node.code in assigned)
    ctx["a"] = a
    return ctx


@login_required
@require_safe
def appraise_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's appraisal page: one area's leaves (asked for, else the appraiser's first
    assigned area); the other areas load when opened (:func:`appraise_area`)."""
    a = _appraisal_assessment(request, pk)
    assigned = policy.assigned_areas(request.user, a)  # type: ignore[arg-type]
    area = _open_area(a, request.GET.get("area"), assigned)
    return render(request, "appraisal/page.html", _appraisal_ctx(request, a, area))


@login_required
@require_safe
def appraise_area(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The leaves of one area of the appraisal page, loaded when it is opened (htmx)."""
    a = _appraisal_assessment(request, pk)
    ctx = _appraisal_ctx(request, a, code)
    if ctx["open_area"] != code:  # not an area, or none of its leaves applies to the unit
        not_found()
    ctx["area"] = next(av for av in ctx["areas"] if av.node.code == code)  # type: ignore[attr-defined]
    return render(request, "appraisal/_area.html", ctx)


def _render(
    request: HttpRequest,
    a: Assessment,
    leaf: LeafScore,
    status: int = 200,
    error: str = "",
    texts: dict[str, str] | None = None,
    drafts: dict[str, str] | None = None,
) -> HttpResponse:
    m = methodology_of(a.methodology)
    lv = selectors.leaf_view(
        leaf,
        m,
        selectors.leaf_evidence(leaf),
        selectors.leaf_request(leaf),
        False,
        texts=texts if texts is not None else leaf.effective_inputs(),
    )
    lv.error, lv.drafts = error, drafts or {}
    area = m.node(leaf.node_code).area.code
    ctx = {"lv": lv, "a": a, "appraisable": policy.may_appraise(request.user, a, area)}  # type: ignore[arg-type]
    return render(request, "appraisal/_leaf.html", ctx, status=status)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@login_required
@require_POST
def leaf_appraise(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    a = _appraisal_assessment(request, pk)
    leaf = _leaf(a, code)
    texts = _inputs(request)
    try:
        leaf = services.leaf_appraise(
            actor=request.user,  # type: ignore[arg-type]
            leaf=leaf,
            accept=request.POST.get("action") == "accept",
            inputs=texts,
            remark=request.POST.get("remark", ""),
            version=_version(request),
        )
    except StaleEdit as exc:
        typed = unsaved(exc.message, texts, {_("Nhận xét"): request.POST.get("remark", "")})
        return _render(request, a, _leaf(a, code), 409, typed)
    except ServiceError as exc:
        drafts = {"appraise_remark": request.POST.get("remark", "")}
        return _render(request, a, leaf, 400, exc.message, texts, drafts)
    leaf.assessment = a
    return _render(request, a, leaf)


@login_required
@require_POST
def leaf_request(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    a = _appraisal_assessment(request, pk)
    leaf = _leaf(a, code)
    try:
        services.explanation_request(
            actor=request.user,
            leaf=leaf,
            question=request.POST.get("question", ""),  # type: ignore[arg-type]
        )
    except ServiceError as exc:
        drafts = {"question": request.POST.get("question", "")}
        return _render(request, a, leaf, 400, exc.message, drafts=drafts)
    return _render(request, a, _leaf(a, code))


@login_required
@require_POST
def leaf_decide(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    a = _appraisal_assessment(request, pk)
    leaf = _leaf(a, code)
    req = ExplanationRequest.objects.filter(leaf=leaf).first()
    if req is None:
        not_found()
    texts = _inputs(request)
    try:
        services.explanation_decide(
            actor=request.user,  # type: ignore[arg-type]
            request=req,
            inputs=texts,
            keep_appraised=request.POST.get("action") == "keep",
            remark=request.POST.get("remark", ""),
            version=_version(request),
        )
    except StaleEdit as exc:
        typed = unsaved(exc.message, texts, {_("Kết luận"): request.POST.get("remark", "")})
        return _render(request, a, _leaf(a, code), 409, typed)
    except ServiceError as exc:
        drafts = {"decide_remark": request.POST.get("remark", "")}
        return _render(request, a, leaf, 400, exc.message, texts, drafts)
    return _render(request, a, _leaf(a, code))


@login_required
def inbox(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's explanation requests for one assessment, each answered in its thread."""
    a = _assessment(request, pk)
    if not policy.may_read_inbox(request.user, a):  # type: ignore[arg-type]
        not_found()
    draft: dict[str, object] = {}  # a refused answer, shown again in its card: never lost
    if request.method == "POST":
        req = ExplanationRequest.objects.filter(
            leaf__assessment=a, pk=_int(request.POST.get("request"))
        ).first()
        if req is None:
            not_found()
        text = request.POST.get("text", "")
        chosen = [_int(v) for v in request.POST.getlist("evidence")]
        try:
            services.explanation_answer(
                actor=request.user,  # type: ignore[arg-type]
                request=req,
                text=text,
                evidence_ids=chosen,
            )
        except ServiceError as exc:
            # re-rendered with its error (200, as every full-page form here)
            draft = {"request": req.pk, "text": text, "evidence": chosen, "error": exc.message}
        else:
            messages.success(request, _("Đã gửi nội dung giải trình."))
            return redirect("explanation-inbox", pk=a.pk)
    requests = services.requests_for_unit(request.user, a)  # type: ignore[arg-type]
    m = methodology_of(a.methodology)
    titles = {r.pk: m.node(r.leaf.node_code).title for r in requests}
    areas = {r.pk: m.node(r.leaf.node_code).area.code for r in requests}  # to open the leaf
    evidence = list(Evidence.objects.filter(assessment=a))
    ctx = {
        "a": a,
        "requests": requests,
        "titles": titles,
        "areas": areas,
        "evidence": evidence,
        "may_answer": assessment_policy.is_own_unit(request.user, a),  # type: ignore[arg-type]
        "draft": draft,
    }
    return render(request, "appraisal/inbox.html", ctx)


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return -1
