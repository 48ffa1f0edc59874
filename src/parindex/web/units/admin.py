from django.contrib import admin

from .models import Unit, UnitGroup, UnitLineage


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "group", "parent", "valid_from", "valid_to")
    list_filter = ("type", "group")
    list_select_related = ("group", "parent")
    search_fields = ("code", "name")


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "kind", "successor", "date")
    list_select_related = ("predecessor", "successor")
