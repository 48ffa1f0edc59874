"""``/api/v1/``: every route here is described in :mod:`.openapi` (a test checks it)."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("periods/", views.period_list, name="period-list"),
    path("periods/<int:pk>/", views.period_detail, name="period-detail"),
    path("periods/<int:pk>/results/", views.result_list, name="result-list"),
    path("periods/<int:pk>/results/<str:code>/", views.result_detail, name="result-detail"),
    path("units/", views.unit_list, name="unit-list"),
    path("methodologies/", views.methodology_list, name="methodology-list"),
    path("methodologies/<int:pk>/", views.methodology_detail, name="methodology-detail"),
    # Last: any other path under the API answers a JSON 404 (not the HTML page).
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
