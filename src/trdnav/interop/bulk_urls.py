"""``$export`` under the FHIR base (``/fhir/R4/``); the REST resources have their own map."""

from dataclasses import dataclass

from django.urls import path

from trdnav.interop import bulk_views

_IG = "http://hl7.org/fhir/uv/bulkdata"
# The Bulk Data IG's own CapabilityStatement: what a server instantiates to say it exports.
BULK_DATA_CAPABILITY = f"{_IG}/CapabilityStatement/bulk-data"


@dataclass(frozen=True)
class ExportOperation:
    """One routed kick-off, as the CapabilityStatement lists it (Bulk Data IG)."""

    url_name: str  # the route below, as ``fhir-bulk:<url_name>``
    resource_type: str | None  # None: system level (``rest.operation``)
    definition: str  # the IG's OperationDefinition canonical


# What the CapabilityStatement says is exported; a test checks it against the routes below.
# The IG's Group-level export is not served, so it is not listed.
EXPORT_OPERATIONS = (
    ExportOperation("export", None, f"{_IG}/OperationDefinition/export"),
    ExportOperation("patient-export", "Patient", f"{_IG}/OperationDefinition/patient-export"),
)

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
