"""API tokens in the admin: listed and revoked here, created with ``api_token create`` (the
token is shown once, on the terminal)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from .models import ApiToken
from .services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "user__username"]
    fields = ["user", "name", "created", "last_used", "revoked", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Thu hồi các khóa API đã chọn"), permissions=["delete"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
        n = len(queryset)
        message = ngettext("Đã thu hồi %(n)s khóa API.", "Đã thu hồi %(n)s khóa API.", n)
        messages.success(request, message % {"n": n})
