"""The CapabilityStatement at ``/fhir/R4/metadata``, generated from what is routed
(``types.TYPES``): a type's ``read`` and ``search-type`` interactions, its search parameters,
and ``create`` where the type has a creator."""

from __future__ import annotations

from datetime import datetime

from trdnav.interop.base import Resource
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


def capability_statement(base: str, *, now: datetime) -> Resource:
    from trdnav import __version__

    resources = []
    for spec in TYPES.values():
        interactions = [{"code": "read"}, {"code": "search-type", "documentation": _SEARCH_DOC}]
        if spec.create is not None:
            interactions.append({"code": "create"})
        resources.append(
            {
                "type": spec.name,
                "interaction": interactions,
                "versioning": "no-version",
                "conditionalCreate": spec.conditional_create,
                "searchParam": [
                    {"name": name, "type": _PARAM_TYPES[name]} for name in spec.search_params
                ],
            }
        )
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": now.date().isoformat(),
        "kind": "instance",
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
            }
        ],
    }
