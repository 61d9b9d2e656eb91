"""FHIR R4 (4.0.1) at the edge: mapping records to and from FHIR, SDC Questionnaires.

The only package that speaks FHIR. Resources are plain JSON-ready dicts built by hand and checked
in the tests against the official R4 JSON schema (docs/interop.md says why no model library is
used). Mapping modules are pure (no database): ``export`` is the one module that reads the apps.
"""
