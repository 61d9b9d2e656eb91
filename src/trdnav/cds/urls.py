"""No trailing slashes: the spec fixes ``{baseUrl}/cds-services``,
``{baseUrl}/cds-services/{id}`` and ``{baseUrl}/cds-services/{id}/feedback`` exactly."""

from django.urls import path

from trdnav.cds import views

app_name = "cds"
urlpatterns = [
    path("cds-services", views.discovery, name="discovery"),
    path("cds-services/<slug:service_id>", views.service, name="service"),
    path("cds-services/<slug:service_id>/feedback", views.feedback, name="feedback"),
]
