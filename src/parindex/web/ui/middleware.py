"""Middleware of the interface.

- The interface language: Vietnamese unless the user chose English with the switcher.
  Django's LocaleMiddleware follows the browser's Accept-Language; many officers' browsers are
  set to English, and parindex is Vietnamese first, so only the language cookie (set by the
  switcher at /i18n/setlang/) changes the language here.
- Requests carrying a NUL character are refused before any view runs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from parindex.web.api.http import error as api_error


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNullCharactersMiddleware:
    """A request whose address, query or form carries a NUL character (code 0) is refused with
    400 and a clear message before any view runs.

    No one types NUL; it comes from a damaged paste or a probe. PostgreSQL cannot store it in
    text, so it used to surface as a 500 from whichever query met it first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("Dữ liệu gửi lên có ký tự NUL (mã 0), không hợp lệ; không có gì được lưu.")
            if request.path.startswith("/api/"):
                return api_error(400, message)
            if request.headers.get("HX-Request") == "true":  # a part of a page: the message only
                return render(request, "parindex/_error.html", {"message": message}, status=400)
            return render(request, "parindex/error.html", {"message": message}, status=400)
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    forms = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in forms:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
    return False
