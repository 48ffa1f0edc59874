from django.contrib import admin

from .models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("period", "appraiser", "unit", "area_code")
    list_filter = ("period",)
    list_select_related = ("period", "appraiser", "unit")
