from django.urls import path

from . import views

urlpatterns = [path("", views.unit_list, name="units")]
