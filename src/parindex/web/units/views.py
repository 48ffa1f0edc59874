"""Units: the list and the all-or-nothing import (administrators)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from parindex.web.common import ServiceError, not_found

from . import policy, services
from .models import Unit

MAX_BYTES = 5_000_000


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    if not policy.may_manage(request.user):  # type: ignore[arg-type]
        not_found()
    if request.method == "POST":
        upload = request.FILES.get("file")
        name = (upload.name or "").lower() if upload else ""
        try:
            if upload is None or not name.endswith((".csv", ".xlsx")):
                raise ServiceError(_("Hãy chọn tệp .csv hoặc .xlsx."))
            if (upload.size or 0) > MAX_BYTES:
                raise ServiceError(_("Tệp quá lớn (tối đa 5 MB)."))
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / ("units" + Path(name).suffix)
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                rows = services.read_units_file(path)
            report = services.units_import(actor=request.user, rows=rows)  # type: ignore[arg-type]
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Đã nhập: %(created)s đơn vị mới, %(updated)s cập nhật, "
                    "%(groups)s khối mới, %(lineage)s quan hệ sáp nhập."
                )
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "groups": report.groups,
                    "lineage": report.lineage,
                },
            )
            return redirect("units")
    units = Unit.objects.select_related("group", "parent").order_by("group__code", "code")
    return render(request, "units/list.html", {"units": units})
