"""Administrator pages of a period: progress dashboard, state changes, reopening a leaf."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from parindex.web.assessments import progress
from parindex.web.assessments.models import Assessment, AssessmentState, LeafScore
from parindex.web.common import ServiceError, not_found
from parindex.web.results.exports import xlsx_response
from parindex.web.units.models import UnitGroup

from . import policy, services
from .exports import progress_workbook
from .models import MethodologyVersion, Period


def _period(request: HttpRequest, pk: int) -> Period:
    if not policy.may_manage(request.user):  # type: ignore[arg-type]
        not_found()
    period = Period.objects.filter(pk=pk).first()
    if period is None:
        not_found()
    return period


@login_required
@require_safe
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has submitted, what is appraised, which explanations wait — one query for all.

    The list can be narrowed to a group, a state (who has not submitted yet: whom to chase) or
    what the user types of a unit's name or code, with or without diacritics ("tan lap" finds
    "Xã Tân Lập"). The figures above the list are always the whole period's.
    """
    period = _period(request, pk)
    rows, shown, chosen = _progress_rows(request, period)
    summary = {
        "units": len(rows),
        "submitted": sum(1 for r in rows if r.submitted),
        "open_requests": sum(r.n_open for r in rows),
        "answered": sum(r.n_answered for r in rows),
    }
    ctx = {
        "period": period,
        "rows": shown,
        "summary": summary,
        "groups": list({r.unit.group.code: r.unit.group for r in rows}.values()),
        "states": AssessmentState.choices,
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "query": request.GET.urlencode(),
    }
    return render(request, "periods/detail.html", ctx)


@login_required
@require_safe
def progress_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress list as XLSX, with the page's filters (e.g. the units still to submit)."""
    period = _period(request, pk)
    _rows, shown, _chosen = _progress_rows(request, period)
    name = _("Tiến độ %(period)s") % {"period": period.name}
    return xlsx_response(progress_workbook(period, shown), name)


def _progress_rows(
    request: HttpRequest, period: Period
) -> tuple[list[Assessment], list[Assessment], dict[str, str]]:
    """Every assessment of the period with its progress figures (one query), and those the
    filters of the request keep."""
    rows = list(
        progress.with_progress(Assessment.objects.filter(period=period))
        .select_related("unit", "unit__group")
        .order_by("unit__group__code", "unit__code")
    )
    chosen = {
        "group": request.GET.get("group", ""),
        "state": request.GET.get("state", ""),
        "q": request.GET.get("q", "").strip(),
    }
    return rows, progress.narrowed(rows, **chosen), chosen


@login_required
@require_POST
def period_action(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "open":
            n = services.period_open(actor=user, period=period)  # type: ignore[arg-type]
            messages.success(
                request,
                ngettext(
                    "Đã mở kỳ đánh giá cho %(n)s đơn vị.", "Đã mở kỳ đánh giá cho %(n)s đơn vị.", n
                )
                % {"n": n},
            )
        elif action in ("appraisal", "explanation"):
            services.period_advance(actor=user, period=period, to=action)  # type: ignore[arg-type]
            messages.success(request, _("Đã chuyển giai đoạn."))
        elif action == "finalize":
            from parindex.web.results.services import period_finalize

            period_finalize(actor=user, period=period)  # type: ignore[arg-type]
            messages.success(request, _("Đã chốt điểm và tính kết quả."))
        elif action == "publish":
            from parindex.web.results.services import period_publish

            period_publish(actor=user, period=period)  # type: ignore[arg-type]
            messages.success(request, _("Đã công bố kết quả."))
        else:
            raise ServiceError(_("Thao tác không hợp lệ."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("period", pk=period.pk)


@login_required
@require_POST
def leaf_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    leaf = (
        LeafScore.objects.filter(
            assessment__period=period,
            assessment__unit__code=request.POST.get("unit", ""),
            node_code=request.POST.get("node", "").strip(),
        )
        .select_related("assessment")
        .first()
    )
    if leaf is None:
        messages.error(
            request, _("Không có tiêu chí thành phần này trong bản đánh giá của đơn vị.")
        )
        return redirect("period", pk=period.pk)
    try:
        services.leaf_reopen(actor=request.user, leaf=leaf, reason=request.POST.get("reason", ""))  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã mở lại tiêu chí %(code)s cho đơn vị.") % {"code": leaf.node_code}
        )
    return redirect("period", pk=period.pk)


@login_required
def methodology_list(request: HttpRequest) -> HttpResponse:
    """Stored methodologies; upload a YAML file (validated by the core loader) or add a sample."""
    if not policy.may_manage(request.user):  # type: ignore[arg-type]
        not_found()
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            shipped = request.POST.get("shipped", "")
            if upload is not None:
                if (upload.size or 0) > 2_000_000:
                    raise ServiceError(_("Tệp bộ tiêu chí quá lớn (tối đa 2 MB)."))
                try:
                    text = upload.read().decode("utf-8")
                except UnicodeDecodeError:
                    raise ServiceError(_("Tệp bộ tiêu chí phải là văn bản UTF-8.")) from None
                name = (upload.name or "bo-tieu-chi.yaml").rsplit("/", 1)[-1][:200]
                v = services.methodology_register(actor=request.user, text=text, source_name=name)  # type: ignore[arg-type]
            elif shipped:
                v = services.methodology_register_shipped(actor=request.user, name=shipped)  # type: ignore[arg-type]
            else:
                raise ServiceError(_("Hãy chọn tệp YAML hoặc một bộ tiêu chí mẫu."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã lưu bộ tiêu chí: %(version)s.") % {"version": v})
            return redirect("methodologies")
    ctx = {
        "versions": MethodologyVersion.objects.all(),
        "shipped": services.shipped_methodologies(),
    }
    return render(request, "periods/methodologies.html", ctx)


@login_required
def period_new(request: HttpRequest) -> HttpResponse:
    """A draft period: year, name, deadlines, and a methodology for each ranking group."""
    if not policy.may_manage(request.user):  # type: ignore[arg-type]
        not_found()
    groups = list(UnitGroup.objects.all())
    versions = list(MethodologyVersion.objects.all())
    if request.method == "POST":
        try:
            period = services.period_create(
                actor=request.user,  # type: ignore[arg-type]
                year=_year(request.POST.get("year", "")),
                name=request.POST.get("name", "").strip() or "Kỳ đánh giá",
                deadlines={k: _when(request.POST.get(k, ""), label) for k, label in DEADLINES},
                methodologies=_chosen(request, groups, versions),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("period", pk=period.pk)
    ctx = {"groups": groups, "versions": versions, "deadlines": DEADLINES, "post": request.POST}
    return render(request, "periods/new.html", ctx)


DEADLINES = [
    ("self_assessment_deadline", gettext_lazy("Hạn tự đánh giá")),
    ("appraisal_deadline", gettext_lazy("Hạn thẩm định")),
    ("explanation_deadline", gettext_lazy("Hạn giải trình")),
    ("finalization_deadline", gettext_lazy("Hạn chốt điểm")),
]


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise ServiceError(_("Năm đánh giá phải là số, VD 2026.")) from None
    if not 2000 <= year <= 2100:
        raise ServiceError(_("Năm đánh giá phải trong khoảng 2000–2100."))
    return year


def _when(text: str, label: str | Promise) -> datetime:
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            value = datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        if fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            value = value.replace(hour=23, minute=59)
        return timezone.make_aware(value)
    raise ServiceError(
        _("%(label)s: '%(text)s' không đúng dạng dd/mm/yyyy hh:mm.")
        % {"label": label, "text": text}
    )


def _chosen(
    request: HttpRequest, groups: list[UnitGroup], versions: list[MethodologyVersion]
) -> dict[UnitGroup, MethodologyVersion]:
    by_pk = {str(v.pk): v for v in versions}
    out = {}
    for g in groups:
        choice = request.POST.get(f"group_{g.pk}", "")
        if choice:
            if choice not in by_pk:
                raise ServiceError(
                    _("Bộ tiêu chí đã chọn cho khối %(group)s không tồn tại.") % {"group": g}
                )
            out[g] = by_pk[choice]
    return out
