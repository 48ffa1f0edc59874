from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.period_new, name="period-new"),
    path("methodologies/", views.methodology_list, name="methodologies"),
    path("<int:pk>/", views.period_detail, name="period"),
    path("<int:pk>/progress.xlsx", views.progress_export, name="period-progress-export"),
    path("<int:pk>/action/", views.period_action, name="period-action"),
    path("<int:pk>/reopen/", views.leaf_reopen, name="period-reopen"),
]
