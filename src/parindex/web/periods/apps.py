from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "parindex.web.periods"
    label = "periods"
    default_auto_field = "django.db.models.BigAutoField"
