from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="survey-index"),
    path("period/<int:pk>/", views.period, name="survey-period"),
    path("period/<int:pk>/instruments/", views.instrument_add, name="survey-instrument-add"),
    path("period/<int:pk>/import/", views.import_new, name="survey-import-new"),
    path("imports/<int:pk>/", views.import_detail, name="survey-import"),
    path("imports/<int:pk>/apply/", views.import_apply, name="survey-import-apply"),
    path("imports/<int:pk>/discard/", views.import_discard, name="survey-import-discard"),
    path("results/<int:pk>/", views.ranking, name="survey-ranking"),
    path("results/<int:pk>/export.xlsx", views.ranking_export, name="survey-ranking-export"),
    path("results/<int:pk>/unit/<str:code>/", views.unit, name="survey-unit"),
    path(
        "results/<int:pk>/unit/<str:code>/export.xlsx",
        views.unit_export,
        name="survey-unit-export",
    ),
]
