from django.urls import path

from . import views

urlpatterns = [
    path("add/<int:pk>/<str:code>/", views.evidence_add, name="evidence-add"),
    path("forms/<int:pk>/<str:code>/", views.evidence_forms, name="evidence-forms"),
    path("<int:pk>/download/", views.evidence_download, name="evidence-download"),
]
