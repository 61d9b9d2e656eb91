"""The JSON API (``/api/v1/``): thin handlers over the same services, permissions and audit
as the pages. OpenAPI schema at ``/api/v1/openapi.json``."""
