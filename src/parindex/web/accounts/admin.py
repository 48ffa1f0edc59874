from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class ParindexUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("unit",)
    search_fields = ("username", "full_name", "unit__name")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("parindex", {"fields": ("full_name", "role", "unit")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("parindex", {"fields": ("full_name", "role", "unit")}),
    )
