"""Routes under ``/fhir/R4/`` (mounted in ``trdnav.site.urls``).

Order matters: the fixed names (``metadata``, operations such as ``$export``) come before the
generic ``<Type>`` routes. An operation is one more ``path(...)`` line in ``OPERATIONS``; the
CapabilityStatement lists every type in ``types.TYPES``.
"""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from trdnav.interop.web import views

app_name = "fhir"

# Operations at the server or type level (``$export`` and the like) go here, one line each.
OPERATIONS: list[URLPattern] = []

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    *OPERATIONS,
    re_path(r"^(?P<resource_type>[A-Z][A-Za-z]{0,63})$", views.type_level, name="type"),
    re_path(
        r"^(?P<resource_type>[A-Z][A-Za-z]{0,63})/(?P<resource_id>[A-Za-z0-9\-.]{1,64})$",
        views.instance,
        name="instance",
    ),
]
