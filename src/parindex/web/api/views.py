"""The read-only JSON API (``/api/v1/``). Thin views: find what the caller may see through
:mod:`.policy`, shape it with :mod:`.documents`. A fixed number of queries per request."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from parindex.web.common import not_found
from parindex.web.periods.models import MethodologyVersion, Period, PeriodGroup
from parindex.web.periods.services import methodology_of
from parindex.web.results import selectors
from parindex.web.results.models import UnitResultRecord
from parindex.web.units.models import Unit

from . import documents, policy
from .http import api_view, json_response, paginate, require_user
from .openapi import openapi_document

Caller = policy.Caller


def _periods(qs: QuerySet[Period]) -> QuerySet[Period]:
    groups = PeriodGroup.objects.select_related("group")
    return qs.prefetch_related(Prefetch("groups", queryset=groups)).order_by("-year", "name", "pk")


@api_view
def period_list(request: HttpRequest, user: Caller) -> HttpResponse:
    page, rows = paginate(request, _periods(policy.visible_periods(user)))
    return json_response({**page, "results": [documents.period_document(p) for p in rows]})


@api_view
def period_detail(request: HttpRequest, user: Caller, pk: int) -> HttpResponse:
    period = _periods(policy.visible_periods(user)).filter(pk=pk).first()
    if period is None:
        not_found()
    return json_response(documents.period_document(period))


@api_view
def unit_list(request: HttpRequest, user: Caller) -> HttpResponse:
    require_user(user)
    qs = Unit.objects.select_related("group", "parent").order_by("code")
    if group := request.GET.get("group"):
        qs = qs.filter(group__code=group)
    page, rows = paginate(request, qs)
    return json_response({**page, "results": [documents.unit_document(u) for u in rows]})


@api_view
def methodology_list(request: HttpRequest, user: Caller) -> HttpResponse:
    require_user(user)
    qs = MethodologyVersion.objects.defer("text").order_by("-year", "code", "pk")
    page, rows = paginate(request, qs)
    return json_response({**page, "results": [documents.methodology_summary(v) for v in rows]})


@api_view
def methodology_detail(request: HttpRequest, user: Caller, pk: int) -> HttpResponse:
    require_user(user)
    version = MethodologyVersion.objects.filter(pk=pk).first()
    if version is None:
        not_found()
    return json_response(documents.methodology_document(version, methodology_of(version)))


def _results_period(user: Caller, pk: int) -> Period:
    period = policy.results_periods(user).filter(pk=pk).first()
    if period is None:
        not_found()
    return period


@api_view
def result_list(request: HttpRequest, user: Caller, pk: int) -> HttpResponse:
    period = _results_period(user, pk)
    qs = (
        UnitResultRecord.objects.filter(period=period)
        .select_related("unit", "unit__group", "group")
        .order_by("group__code", F("rank").asc(nulls_last=True), "unit__code")
    )
    if group := request.GET.get("group"):
        qs = qs.filter(group__code=group)
    page, rows = paginate(request, qs)
    _attach_methodologies(rows)
    results = [documents.result_row(r, selectors.unit_result(r)) for r in rows]
    return json_response({**page, "period": period.pk, "results": results})


@api_view
def result_detail(request: HttpRequest, user: Caller, pk: int, code: str) -> HttpResponse:
    """A unit's scorecard is not public (results policy): anonymous callers are asked for a
    token once the period itself is known to be public."""
    period = _results_period(user, pk)
    record = selectors.unit_record_or_404(require_user(user), period, code)
    return json_response(documents.result_document(record, selectors.unit_result(record)))


def _attach_methodologies(rows: list[UnitResultRecord]) -> None:
    """Give a page of results their methodology versions in one query (not one per row, and
    not the methodology text joined to every row)."""
    ids = {r.methodology_id for r in rows}
    versions = MethodologyVersion.objects.in_bulk(ids) if ids else {}
    for r in rows:
        r.methodology = versions[r.methodology_id]


@api_view
def openapi(request: HttpRequest, user: Caller) -> HttpResponse:
    return json_response(openapi_document())


@api_view
def unknown(request: HttpRequest, user: Caller, rest: str) -> HttpResponse:
    """JSON 404 for any other path under the API; a missing final slash is redirected."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "unknown":
            query = request.META.get("QUERY_STRING", "")
            target = request.path + "/" + ("?" + query if query else "")
            return HttpResponse(status=301, headers={"Location": target})
    not_found()
