"""The site's URLs plus two views that fail on purpose, for the no-patient-data-in-logs test."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from trdnav.patients.models import Patient
from trdnav.site.urls import urlpatterns as site_urlpatterns

CANARY = "Zyxwvut-Canary-4471"


def fails_with_patient_data(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"could not process patient {CANARY} born 1970-01-01")


def breaks_a_database_constraint(request: HttpRequest) -> HttpResponse:
    existing = Patient.objects.first()
    assert existing is not None
    with transaction.atomic():
        # Same clinic and record number as an existing record: the unique constraint refuses
        # it, and the database's message quotes the values.
        Patient.objects.create(
            clinic=existing.clinic,
            record_number=existing.record_number,
            given_name=CANARY,
            family_name=CANARY,
            date_of_birth=existing.date_of_birth,
        )
    return HttpResponse("unreachable")


urlpatterns = [
    path("failing/value/", fails_with_patient_data),
    path("failing/integrity/", breaks_a_database_constraint),
    *site_urlpatterns,
]
