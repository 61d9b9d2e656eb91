"""The CapabilityStatement at ``/fhir/R4/metadata``, generated from what is routed
(``types.TYPES``): a type's ``read`` and ``search-type`` interactions, its search parameters,
and ``create`` where the type has a creator; and the Bulk Data ``$export`` kick-offs routed in
``bulk_urls`` (``EXPORT_OPERATIONS``), listed as the Bulk Data IG's CapabilityStatement does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from trdnav.interop.base import Resource
from trdnav.interop.bulk_urls import BULK_DATA_CAPABILITY, EXPORT_OPERATIONS
from trdnav.interop.web.types import TYPES

_PARAM_TYPES = {
    "patient": "reference",
    "subject": "reference",
    "date": "date",
    "code": "token",
    "_id": "token",
    "identifier": "token",
    "url": "uri",
    "questionnaire": "reference",
}
_SEARCH_DOC = "_count (at most 200) pages the searchset; the next link carries _offset"
_EXPORT_DOC = (
    "Bulk Data export of the caller's clinic (Prefer: respond-async; _type, _since, "
    "_outputFormat); only a clinic administrator's API token may export."
)


def _export_operations(resource_type: str | None) -> list[dict[str, str]]:
    """The ``$export`` kick-offs at this level (a type, or None for the system level)."""
    return [
        {"name": "export", "definition": op.definition, "documentation": _EXPORT_DOC}
        for op in EXPORT_OPERATIONS
        if op.resource_type == resource_type
    ]


def capability_statement(base: str, *, now: datetime) -> Resource:
    from trdnav import __version__

    resources = []
    for spec in TYPES.values():
        interactions = [{"code": "read"}, {"code": "search-type", "documentation": _SEARCH_DOC}]
        if spec.create is not None:
            interactions.append({"code": "create"})
        resource: dict[str, Any] = {
            "type": spec.name,
            "interaction": interactions,
            "versioning": "no-version",
            "conditionalCreate": spec.conditional_create,
            "searchParam": [
                {"name": name, "type": _PARAM_TYPES[name]} for name in spec.search_params
            ],
        }
        if operations := _export_operations(spec.name):
            resource["operation"] = operations
        resources.append(resource)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": now.date().isoformat(),
        "kind": "instance",
        "instantiates": [BULK_DATA_CAPABILITY],
        "software": {"name": "TRD Navigator", "version": __version__},
        "implementation": {"description": "TRD Navigator FHIR R4 API", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Authorization: Bearer <API token> (the API tokens page).",
                "security": {
                    "description": "Bearer tokens issued on the API tokens page; the token's "
                    "owner's role and clinic apply to every request."
                },
                "resource": resources,
                "operation": _export_operations(None),
            }
        ],
    }
