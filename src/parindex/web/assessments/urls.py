from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.assessment_detail, name="assessment"),
    path("<int:pk>/area/<str:code>/", views.assessment_area, name="assessment-area"),
    path("<int:pk>/submit/", views.submit, name="assessment-submit"),
    path("<int:pk>/leaf/<str:code>/", views.leaf, name="assessment-leaf"),
    path("<int:pk>/leaf/<str:code>/preview/", views.leaf_preview, name="assessment-leaf-preview"),
    path("<int:pk>/leaf/<str:code>/history/", views.leaf_history, name="assessment-leaf-history"),
]
