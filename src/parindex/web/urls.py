"""URL configuration of the parindex web project."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from parindex.web import views
from parindex.web.accounts.views import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("assessments/", include("parindex.web.assessments.urls")),
    path("evidence/", include("parindex.web.evidence.urls")),
    path("appraisal/", include("parindex.web.appraisal.urls")),
    path("periods/", include("parindex.web.periods.urls")),
    path("units/", include("parindex.web.units.urls")),
    path("results/", include("parindex.web.results.urls")),
    path("surveys/", include("parindex.web.surveys.urls")),
    path("api/v1/", include("parindex.web.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
