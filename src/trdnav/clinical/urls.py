"""Included under ``patients/<int:pk>/clinical/``."""

from django.urls import path

from trdnav.clinical import views

app_name = "clinical"

urlpatterns = [path("", views.profile_edit, name="edit")]
