"""The API's HTTP plumbing: JSON answers, errors, GET-only views, authentication, pages.

Every error is JSON ``{"error": "<Vietnamese message>"}``. What a caller may not see answers
exactly like what does not exist: 404 ``Không tìm thấy.``
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from parindex.web.accounts.models import User

from .auth import Unauthorized, api_user

PAGE_SIZE = 100
NOT_FOUND = gettext_lazy("Không tìm thấy.")
REALM = 'Bearer realm="parindex"'

View = Callable[..., HttpResponse]


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_response(data: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def error(status: int, message: str) -> HttpResponse:
    return json_response({"error": message}, status=status)


def unauthorized(message: str, *, invalid_token: bool) -> HttpResponse:
    response = error(401, message)
    response["WWW-Authenticate"] = REALM + (', error="invalid_token"' if invalid_token else "")
    return response


def require_user(user: User | AnonymousUser) -> User:
    """The signed-in caller, or a 401 for an anonymous one."""
    if not isinstance(user, User):
        raise Unauthorized(
            _("Cần khóa API: gửi tiêu đề 'Authorization: Bearer <khóa>'."), invalid_token=False
        )
    return user


def api_view(view: View) -> View:
    """A read-only API view: GET and HEAD only, caller resolved, errors as JSON.

    The view is called as ``view(request, user, **kwargs)``. CSRF does not apply: nothing is
    ever written, and other methods are answered 405 before anything else happens.
    """

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        with translation.override("vi"):  # the API answers in Vietnamese whatever the cookie
            if request.method not in ("GET", "HEAD"):
                response = error(405, _("API chỉ cho phép đọc (GET)."))
                response["Allow"] = "GET, HEAD"
                return response
            try:
                user = api_user(request)
                response = view(request, user, **kwargs)
            except Unauthorized as exc:
                response = unauthorized(exc.message, invalid_token=exc.invalid_token)
            except Http404:
                response = error(404, str(NOT_FOUND))
            except ApiError as exc:
                response = error(exc.status, exc.message)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if response.status_code == 200 and not _public(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def _public(request: HttpRequest) -> bool:
    return "Authorization" not in request.headers and not request.user.is_authenticated


def paginate(request: HttpRequest, qs: QuerySet[Any]) -> tuple[dict[str, Any], list[Any]]:
    """One page of ``qs`` (``?page=``, 100 rows): the envelope without ``results``, and rows.

    Two queries whatever the size: a count and the page.
    """
    raw = request.GET.get("page", "1")
    if not re.fullmatch(r"[1-9][0-9]{0,8}", raw):
        raise ApiError(400, _("Tham số 'page' phải là số nguyên dương."))
    page = int(raw)
    count = qs.count()
    offset = (page - 1) * PAGE_SIZE
    if page > 1 and offset >= count:
        raise ApiError(404, _("Không có trang %(page)s.") % {"page": page})
    rows = list(qs[offset : offset + PAGE_SIZE])
    envelope = {
        "count": count,
        "next": _page_url(request, page + 1) if offset + PAGE_SIZE < count else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
    }
    return envelope, rows


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(request.path + "?" + urlencode(sorted(params.items())))
