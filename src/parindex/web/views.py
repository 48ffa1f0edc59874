"""Project-level pages: the home page and the health check."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from parindex import __version__

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The front door: a signed-in user goes to their dashboard; a visitor sees what parindex
    is, the way in, and the results published so far (public by design)."""
    from parindex.web.results.policy import public_periods

    if request.user.is_authenticated:
        return redirect("dashboard")
    published = public_periods().order_by("-year", "-published_at")[:5]
    return render(request, "parindex/home.html", {"published": published})


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Report whether the application can reach its database (for load balancers, monitors).

    Answers 200 when ``SELECT 1`` succeeds, 503 otherwise. Error details go to the log,
    never to the response.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        body = {
            "status": "error",
            "database": "error",
            "message": _("Không kết nối được cơ sở dữ liệu."),
            "version": __version__,
        }
        return JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
    body = {"status": "ok", "database": "ok", "version": __version__}
    return JsonResponse(body)


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each role's starting page: what it has to do now."""
    from parindex.web.appraisal.models import ExplanationRequest, RequestState
    from parindex.web.assessments.policy import visible_assessments
    from parindex.web.periods.policy import visible_periods

    user = request.user
    ctx: dict[str, object] = {}
    if user.is_unit_user or user.is_admin:  # type: ignore[union-attr]
        ctx["assessments"] = (
            visible_assessments(user).order_by("-period__year", "unit__code")[:200]  # type: ignore[arg-type]
            if user.is_unit_user  # type: ignore[union-attr]
            else []
        )
    if user.is_unit_user:  # type: ignore[union-attr]
        ctx["open_requests"] = ExplanationRequest.objects.filter(
            leaf__assessment__unit_id=user.unit_id,
            state=RequestState.OPEN,  # type: ignore[union-attr]
        ).count()
    from parindex.web.appraisal.policy import may_use_queue
    from parindex.web.results.policy import readable_states

    ctx["appraisal_queue"] = may_use_queue(user)  # type: ignore[arg-type]
    ctx["periods"] = visible_periods(user)  # type: ignore[arg-type]
    ctx["results_states"] = readable_states(user)  # type: ignore[arg-type]
    return render(request, "parindex/dashboard.html", ctx)
