"""The official FHIR R4 JSON schema (``fhir.schema.json``), vendored gzipped under
tests/fixtures/fhir with its licence; every resource the interop package produces is checked
against it. The file's origin and checksum are in tests/fixtures/fhir/README.md."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMA_FILE = Path(__file__).parents[1] / "fixtures" / "fhir" / "fhir.schema.json.gz"
SCHEMA_SHA256 = "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"


@cache
def schema_text() -> bytes:
    # Missing or altered means failing, never skipping.
    data = gzip.decompress(SCHEMA_FILE.read_bytes())
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256, "fhir.schema.json was altered"
    return data


@cache
def _validator(resource_type: str) -> Any:
    schema = json.loads(schema_text())
    assert resource_type in schema["definitions"], f"{resource_type} is not an R4 resource"
    schema.pop("oneOf", None)
    schema.pop("discriminator", None)
    schema["$ref"] = f"#/definitions/{resource_type}"
    return jsonschema_rs.Draft6Validator(schema)


def schema_errors(resource: Mapping[str, Any]) -> list[str]:
    """Every R4 schema violation of ``resource`` (by its resourceType), as readable strings."""
    validator = _validator(str(resource["resourceType"]))
    return [
        f"{'/'.join(str(p) for p in error.instance_path)}: {error.message}"
        for error in validator.iter_errors(dict(resource))
    ]
