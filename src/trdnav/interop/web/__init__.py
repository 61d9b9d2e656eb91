"""The FHIR R4 REST interface under ``/fhir/R4/`` (docs/interop.md, "REST API").

- ``auth``: the bearer token, the role's capabilities and the clinic scope, shared by every
  FHIR route (bulk export and any later FHIR route use the same helpers);
- ``responses``: ``application/fhir+json`` answers and OperationOutcome errors;
- ``search``: the search parameters and the paged ``searchset`` Bundle;
- ``views``: read, search, create and ``metadata``;
- ``urls``: the routes; the CapabilityStatement is generated from them.
"""
