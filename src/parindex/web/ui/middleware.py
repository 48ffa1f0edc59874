"""The interface language: Vietnamese unless the user chose English with the switcher.

Django's LocaleMiddleware follows the browser's Accept-Language; many officers' browsers are
set to English, and parindex is Vietnamese first, so only the language cookie (set by the
switcher at /i18n/setlang/) changes the language here.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
