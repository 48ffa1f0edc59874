"""Survey pages: management per period (administrators), import with preview and error
report, results per unit with intervals, ranking, XLSX exports.

Every view parses, asks :mod:`.policy` for the object (404 when the reader may not see it),
calls one service or selector and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parindex.web.accounts.models import User
from parindex.web.common import ServiceError
from parindex.web.results.exports import xlsx_response

from . import exports, policy, selectors, services
from .models import SurveyInstrument

INSTRUMENT_MAX_BYTES = 2_000_000


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The applied surveys the reader may read."""
    return render(request, "surveys/index.html", selectors.index_page(_user(request)))


@login_required
@require_safe
def period(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.managed_period_or_404(_user(request), pk)
    return render(request, "surveys/period.html", selectors.period_page(found))


@login_required
@require_POST
def instrument_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload an instrument YAML (validated by the core loader) or add a shipped sample."""
    user = _user(request)
    found = policy.managed_period_or_404(user, pk)
    try:
        upload = request.FILES.get("file")
        shipped = request.POST.get("shipped", "")
        if upload is not None:
            if (upload.size or 0) > INSTRUMENT_MAX_BYTES:
                raise ServiceError(_("Tệp công cụ khảo sát quá lớn (tối đa 2 MB)."))
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise ServiceError(_("Tệp công cụ khảo sát phải là văn bản UTF-8.")) from None
            name = (upload.name or "cong-cu.yaml").replace("\\", "/").rsplit("/", 1)[-1][:200]
            stored = services.instrument_register(actor=user, text=text, source_name=name)
        elif shipped:
            stored = services.instrument_register_shipped(actor=user, name=shipped)
        else:
            raise ServiceError(_("Hãy chọn tệp YAML hoặc một công cụ khảo sát mẫu."))
    except services.ImportRejected as exc:
        ctx = selectors.period_page(found)
        ctx.update(report=exc.lines, report_title=exc.message)
        return render(request, "surveys/period.html", ctx)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lưu công cụ khảo sát: %(name)s.") % {"name": stored})
    return redirect("survey-period", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a responses file: valid → the preview page; invalid → the error report here."""
    user = _user(request)
    found = policy.managed_period_or_404(user, pk)
    ctx: dict[str, Any] = selectors.period_page(found)
    ctx.update(post=request.POST, refusal=services.importable_refusal(found))
    if request.method == "POST":
        try:
            survey_import = services.survey_import_preview(
                actor=user,
                period=found,
                instrument=_chosen_instrument(request),
                upload=_upload(request),
                populations=request.POST.get("populations", ""),
                margin=request.POST.get("margin", ""),
            )
        except services.ImportRejected as exc:
            ctx.update(report=exc.lines, report_title=exc.message, read=exc.preview)
        except ServiceError as exc:
            ctx.update(error=exc.message)
        else:
            return redirect("survey-import", pk=survey_import.pk)
    return render(request, "surveys/import_new.html", ctx)


def _chosen_instrument(request: HttpRequest) -> SurveyInstrument:
    choice = request.POST.get("instrument", "")
    found = SurveyInstrument.objects.filter(pk=int(choice)).first() if choice.isdigit() else None
    if found is None:
        raise ServiceError(_("Hãy chọn công cụ khảo sát."))
    return found


def _upload(request: HttpRequest) -> Any:
    upload = request.FILES.get("file")
    if upload is None:
        raise ServiceError(_("Hãy chọn tệp câu trả lời .csv (UTF-8) hoặc .xlsx."))
    return upload


@login_required
@require_safe
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey_import = policy.managed_import_or_404(_user(request), pk)
    return render(request, "surveys/import.html", selectors.import_page(survey_import))


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey_import = policy.managed_import_or_404(user, pk)
    try:
        report = services.survey_import_apply(actor=user, survey_import=survey_import)
    except services.ImportRejected as exc:
        lines = "; ".join(f"{line.code}: {line.message}" for line in exc.lines[:5])
        messages.error(request, f"{exc.message} {lines}")
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã áp dụng: chỉ số của %(units)s đơn vị, %(leaves)s tiêu chí được chấm lại.")
            % {"units": report.units, "leaves": report.leaves},
        )
        return redirect("survey-ranking", pk=survey_import.pk)
    return redirect("survey-import", pk=survey_import.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey_import = policy.managed_import_or_404(user, pk)
    try:
        services.survey_import_discard(actor=user, survey_import=survey_import)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("survey-import", pk=survey_import.pk)
    messages.success(request, _("Đã hủy lần nhập #%(id)s.") % {"id": survey_import.pk})
    return redirect("survey-period", pk=survey_import.period_id)


@login_required
@require_safe
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey_import = policy.readable_import_or_404(user, pk)
    data = selectors.ranking(user, survey_import)
    return render(request, "surveys/ranking.html", {"r": data})


@login_required
@require_safe
def ranking_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey_import = policy.readable_import_or_404(user, pk)
    data = selectors.ranking(user, survey_import)
    name = _("Điều tra %(instrument)s %(year)s") % {
        "instrument": survey_import.instrument.code,
        "year": survey_import.period.year,
    }
    return xlsx_response(exports.ranking_workbook(data), name)


@login_required
@require_safe
def unit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    user = _user(request)
    survey_import = policy.readable_import_or_404(user, pk)
    result = selectors.unit_result_or_404(user, survey_import, code)
    data = selectors.unit_survey(user, survey_import, result)
    return render(request, "surveys/unit.html", {"u": data})


@login_required
@require_safe
def unit_export(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    user = _user(request)
    survey_import = policy.readable_import_or_404(user, pk)
    result = selectors.unit_result_or_404(user, survey_import, code)
    data = selectors.unit_survey(user, survey_import, result)
    name = _("Điều tra %(instrument)s %(unit)s %(year)s") % {
        "instrument": survey_import.instrument.code,
        "unit": result.unit.code,
        "year": survey_import.period.year,
    }
    return xlsx_response(exports.unit_workbook(data), name)
