from django.contrib import admin

from .models import SurveyImport, SurveyInstrument


@admin.register(SurveyInstrument)
class SurveyInstrumentAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "year", "status", "source", "source_name", "created_at")
    readonly_fields = ("sha256", "code", "title", "year", "status", "source", "source_name", "text")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # instruments are added through the validating page/service


@admin.register(SurveyImport)
class SurveyImportAdmin(admin.ModelAdmin):
    list_display = ("pk", "period", "instrument", "original_name", "rows", "state", "created_at")
    list_filter = ("state",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # imports go through preview and apply (services check each step)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
