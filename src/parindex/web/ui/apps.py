from django.apps import AppConfig


class UiConfig(AppConfig):
    """Shared template tags and the context every page gets."""

    name = "parindex.web.ui"
    label = "ui"
