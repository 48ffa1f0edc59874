"""Self-assessment pages: the tree, a leaf's live points and save, history, submission."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parindex.web.common import ServiceError, StaleEdit, not_found, unsaved

from . import policy, progress, selectors, services
from .models import Assessment, Event, LeafScore
from .scoring import clean_inputs, score_texts


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    a = policy.visible_assessments(request.user).filter(pk=pk).first()  # type: ignore[arg-type]
    if a is None:
        not_found()
    return a


def _leaf(a: Assessment, code: str) -> LeafScore:
    leaf = a.leaves.select_related("updated_by").filter(node_code=code).first()
    if leaf is None:
        not_found()
    leaf.assessment = a
    return leaf


def _inputs(request: HttpRequest) -> dict[str, str]:
    return {k[3:]: v for k, v in request.POST.items() if k.startswith("in_")}


def _open_area(a: Assessment, wanted: str | None, preferred: set[str] | None = None) -> str:
    """The area a page asks for: ``?area=``, else the first of the ``preferred`` ones (an
    appraiser's assigned areas). The selector checks it and falls back to the first area
    that has leaves for the unit."""
    from parindex.web.periods.services import methodology_of

    if wanted:
        return wanted
    areas = methodology_of(a.methodology).areas
    return next((x.code for x in areas if preferred and x.code in preferred), "")


@login_required
@require_safe
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The criteria tree with progress per area; the leaves of one area are on the page, the
    other areas load when the user opens them (:func:`assessment_area`)."""
    a = _assessment(request, pk)
    editable = policy.may_edit_self(request.user, a)  # type: ignore[arg-type]
    area = _open_area(a, request.GET.get("area"))
    ctx = selectors.assessment_page(request.user, a, editable, area=area)  # type: ignore[arg-type]
    ctx.update(a=a, may_submit=policy.may_submit(request.user, a))  # type: ignore[arg-type]
    return render(request, "assessments/detail.html", ctx)


@login_required
@require_safe
def assessment_area(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The leaves of one area, loaded when the user opens it on the page (htmx)."""
    a = _assessment(request, pk)
    editable = policy.may_edit_self(request.user, a)  # type: ignore[arg-type]
    ctx = selectors.assessment_page(request.user, a, editable, area=code)  # type: ignore[arg-type]
    if ctx["open_area"] != code:  # not an area, or none of its leaves applies to the unit
        not_found()
    area = next(av for av in ctx["areas"] if av.node.code == code)
    ctx.update(a=a, area=area)
    return render(request, "assessments/_area.html", ctx)


def _render_leaf(
    request: HttpRequest,
    a: Assessment,
    leaf: LeafScore,
    *,
    status: int = 200,
    texts: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    error: str = "",
    stale: str = "",
    drafts: dict[str, str] | None = None,
    evidence_draft: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    from parindex.web.periods.services import methodology_of

    m = methodology_of(a.methodology)
    refusal = services.self_edit_refusal(a, leaf)
    editable = policy.may_edit_self(request.user, a) and not refusal  # type: ignore[arg-type]
    lv = selectors.leaf_view(
        leaf,
        m,
        selectors.leaf_evidence(leaf),
        selectors.leaf_request(leaf),
        editable,
        refusal,
        texts,
        errors,
    )
    lv.error, lv.stale, lv.drafts = error, stale, drafts or {}
    lv.evidence_draft = evidence_draft
    ctx = {"lv": lv, "a": a, **(extra or {})}
    return render(request, "assessments/_leaf.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def leaf(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    a = _assessment(request, pk)
    if request.method == "GET":
        return _render_leaf(request, a, _leaf(a, code))
    texts = _inputs(request)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        # the service reads and locks the row by its code: no read before the transaction
        row = services.leaf_save_self(
            actor=request.user,  # type: ignore[arg-type]
            leaf=LeafScore(assessment=a, node_code=code),
            inputs=texts,
            note=request.POST.get("note", ""),
            version=version,
        )
    except StaleEdit as exc:
        note = request.POST.get("note", "")
        msg = unsaved(exc.message, texts, {_("Ghi chú"): note})
        return _render_leaf(request, a, _leaf(a, code), status=409, stale=msg)
    except ServiceError as exc:
        errors = {exc.field: exc.message} if exc.field else {}
        return _render_leaf(
            request,
            a,
            _leaf(a, code),
            status=400,
            texts=texts,
            errors=errors,
            error=exc.message,
            drafts={"note": request.POST.get("note", "")},
        )
    row.assessment = a
    return saved(request, a, row, _render_leaf(request, a, row))


def saved(
    request: HttpRequest, a: Assessment, leaf: LeafScore, response: HttpResponse
) -> HttpResponse:
    """A leaf changed: the progress figures of the page header and of the leaf's area (the
    others did not move) come along out of band: no second request to refresh them."""
    ctx = progress.progress(a)
    area = ctx["m"].node(leaf.node_code).area.code
    ctx.update(a=a, oob=True, areas=[x for x in ctx["areas"] if x.node.code == area])
    response.write(render_to_string("assessments/_progress.html", ctx, request))
    return response


@login_required
@require_POST
def leaf_preview(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Points for what is typed, computed by the core engine; nothing is saved."""
    from parindex.web.periods.services import methodology_of

    a = _assessment(request, pk)
    row = _leaf(a, code)
    m = methodology_of(a.methodology)
    node = m.node(row.node_code)
    texts = clean_inputs(node, _inputs(request), unit_editable=True)
    texts.update(
        {
            s.name: row.self_inputs[s.name]
            for s in node.inputs
            if s.survey and s.name in row.self_inputs
        }
    )
    scoring = score_texts(node, texts, m)
    ctx = {
        "scoring": scoring,
        "points": selectors.points_text(m, scoring.points),
        "max": selectors.format_vn(node.max),
        "labels": {s.name: s.label or s.name for s in node.inputs},
    }
    return render(request, "assessments/_preview.html", ctx)


@login_required
@require_safe
def leaf_history(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    a = _assessment(request, pk)
    row = _leaf(a, code)
    events = Event.objects.filter(assessment=a, node_code=row.node_code).select_related("actor")
    return render(request, "assessments/_history.html", {"events": events, "code": code})


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    if not policy.is_own_unit(request.user, a):  # type: ignore[arg-type]
        not_found()
    checklist = services.submission_checklist(a)
    if request.method == "POST":
        try:
            services.assessment_submit(
                actor=request.user,  # type: ignore[arg-type]
                assessment=a,
                acknowledge_missing=request.POST.get("acknowledge") == "1",
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã gửi bản tự đánh giá."))
            return redirect("assessment", pk=a.pk)
    from parindex.web.periods.services import methodology_of

    m = methodology_of(a.methodology)

    def where(codes: list[str]) -> list[dict[str, str]]:
        """Each missing leaf with its title and its area, to link it on the page."""
        return [{"code": c, "title": m.node(c).title, "area": m.node(c).area.code} for c in codes]

    ctx = {
        "a": a,
        "checklist": checklist,
        "incomplete": where(checklist.incomplete),
        "evidence_missing": where(checklist.evidence_missing),
        "may_submit": policy.may_submit(request.user, a),  # type: ignore[arg-type]
    }
    return render(request, "assessments/submit.html", ctx)
