from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="appraisal-queue"),
    path("<int:pk>/", views.appraise_page, name="appraisal-page"),
    path("<int:pk>/area/<str:code>/", views.appraise_area, name="appraisal-area"),
    path("<int:pk>/leaf/<str:code>/", views.leaf_appraise, name="appraisal-leaf"),
    path("<int:pk>/leaf/<str:code>/request/", views.leaf_request, name="appraisal-request"),
    path("<int:pk>/leaf/<str:code>/decide/", views.leaf_decide, name="appraisal-decide"),
    path("<int:pk>/explanations/", views.inbox, name="explanation-inbox"),
]
