"""Routes under ``/fhir/R4/`` (mounted in ``trdnav.site.urls``).

Order matters: the fixed names (``metadata``, operations such as ``$export``) come before the
generic ``<Type>`` routes. An operation is one more ``path(...)`` line in ``OPERATIONS``; the
CapabilityStatement lists every type in ``types.TYPES``.
"""

from __future__ import annotations

from django.urls import URLPattern, path, register_converter

from trdnav.interop.web import views


class ResourceType:
    """A FHIR resource type name (``Observation``); unknown ones get a 404 OperationOutcome."""

    regex = "[A-Z][A-Za-z]{0,63}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ResourceId(ResourceType):
    """A FHIR id: ``[A-Za-z0-9-.]{1,64}``."""

    regex = "[A-Za-z0-9.-]{1,64}"


register_converter(ResourceType, "fhir_type")
register_converter(ResourceId, "fhir_id")

app_name = "fhir"

# Operations at the server or type level (``$export`` and the like) go here, one line each.
OPERATIONS: list[URLPattern] = []

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    *OPERATIONS,
    path("<fhir_type:resource_type>", views.type_level, name="type"),
    path("<fhir_type:resource_type>/<fhir_id:resource_id>", views.instance, name="instance"),
]
