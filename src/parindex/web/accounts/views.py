"""Login (with lock-out) and logout."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: sai nhiều lần liên tiếp, tài khoản "
            "sẽ bị tạm khóa."
        ),
        "locked": _("Tài khoản tạm bị khóa do đăng nhập sai nhiều lần; hãy thử lại sau %(until)s."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        until = services.locked_until(username)
        if until is not None:
            raise self._locked(until)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            until = services.login_failed(username)
            if until is not None:
                raise self._locked(until) from None
            raise
        services.login_succeeded(username)
        return cleaned

    def _locked(self, until: Any) -> forms.ValidationError:
        when = timezone.localtime(until).strftime("%H:%M %d/%m/%Y")
        return forms.ValidationError(
            self.error_messages["locked"], code="locked", params={"until": when}
        )


class LoginView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
