from django.urls import path

from . import views

urlpatterns = [
    path("public/", views.public_index, name="public-results"),
    path("public/<int:pk>/", views.public_ranking, name="public-ranking"),
    path("<int:pk>/", views.ranking, name="results-ranking"),
    path("<int:pk>/export.xlsx", views.export, name="results-export"),
    path("<int:pk>/unit/<str:code>/", views.unit, name="results-unit"),
    path("<int:pk>/unit/<str:code>/export.xlsx", views.unit_export, name="results-unit-export"),
    path("<int:pk>/unit/<str:code>/trace/", views.trace, name="results-trace-total"),
    path("<int:pk>/unit/<str:code>/trace/<str:node>/", views.trace, name="results-trace"),
]
