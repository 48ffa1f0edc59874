"""Results pages: ranking, a unit's scorecard with traces, XLSX exports and public pages.

Every view parses, asks :mod:`.policy` for the period (404 when the reader may not see it),
calls one selector and renders.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from parindex.web.accounts.models import User

from . import exports, policy, scorecard, selectors


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
@require_safe
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = policy.period_or_404(user, pk)
    data = selectors.ranking(period, user=user)
    return render(request, "results/ranking.html", {"r": data})


@login_required
@require_safe
def unit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    user = _user(request)
    record = selectors.unit_record_or_404(user, policy.period_or_404(user, pk), code)
    return render(request, "results/unit.html", {"card": scorecard.scorecard(record)})


@login_required
@require_safe
@vary_on_headers("HX-Request")  # a partial and a page at one address must not share a cache
def trace(request: HttpRequest, pk: int, code: str, node: str | None = None) -> HttpResponse:
    """The trace of one number; a partial for htmx, a page when opened directly."""
    user = _user(request)
    record = selectors.unit_record_or_404(user, policy.period_or_404(user, pk), code)
    ctx = {"record": record, "trace": scorecard.trace(record, node), "node": node}
    page = "results/_trace.html" if request.htmx else "results/trace_page.html"  # type: ignore[attr-defined]
    return render(request, page, ctx)


@login_required
@require_safe
def export(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = policy.period_or_404(user, pk)
    data = selectors.ranking(period, user=user, with_nodes=True)
    name = _("Kết quả %(period)s") % {"period": period.name}
    return exports.xlsx_response(exports.ranking_workbook(data), name)


@login_required
@require_safe
def unit_export(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    user = _user(request)
    record = selectors.unit_record_or_404(user, policy.period_or_404(user, pk), code)
    content = exports.scorecard_workbook(scorecard.scorecard(record))
    name = _("Phiếu điểm %(unit)s %(year)s") % {
        "unit": record.unit.code,
        "year": record.period.year,
    }
    return exports.xlsx_response(content, name)


@require_safe
def public_index(request: HttpRequest) -> HttpResponse:
    periods = policy.public_periods().order_by("-year", "-published_at")
    return render(request, "results/public_index.html", {"periods": periods})


@require_safe
def public_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    period = policy.public_period_or_404(pk)
    data = selectors.ranking(period, user=None)
    return render(request, "results/public_ranking.html", {"r": data})
