"""``$export`` under the FHIR base (``/fhir/R4/``); the REST resources have their own map."""

from django.urls import path

from trdnav.interop import bulk_views

app_name = "fhir-bulk"

urlpatterns = [
    path("$export", bulk_views.kick_off, name="export"),
    path("Patient/$export", bulk_views.kick_off, name="patient-export"),
    path("$export-status/<uuid:job_id>", bulk_views.status, name="status"),
    path(
        "$export-file/<uuid:job_id>/<str:name>/<int:part>",
        bulk_views.output_file,
        name="file",
    ),
]
