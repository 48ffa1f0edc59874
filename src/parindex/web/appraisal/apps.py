from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "parindex.web.appraisal"
    label = "appraisal"
    default_auto_field = "django.db.models.BigAutoField"
