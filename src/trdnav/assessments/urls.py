"""Included under ``patients/<int:pk>/assessments/``."""

from django.urls import path

from trdnav.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.choose_instrument, name="choose"),
    path("new/<slug:code>/", views.record, name="record"),
    path("<int:assessment_id>/void/", views.void, name="void"),
]
