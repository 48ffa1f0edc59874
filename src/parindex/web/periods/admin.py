from django.contrib import admin

from .models import MethodologyVersion, Period, PeriodGroup


class PeriodGroupInline(admin.TabularInline):
    model = PeriodGroup
    extra = 0


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "state", "self_assessment_deadline", "finalization_deadline")
    inlines = [PeriodGroupInline]
    # the state moves only through the period page (services check each step)
    readonly_fields = ("state", "finalized_at", "published_at")


@admin.register(MethodologyVersion)
class MethodologyVersionAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "year", "status", "source_name", "created_at")
    readonly_fields = ("sha256", "code", "title", "year", "status", "source_name", "text")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # methodologies are added through the validating page/service
