"""Prefetch templates, and getting what the EHR did not prefetch from its FHIR server.

The EHR may satisfy any, all or none of the templates (CDS Hooks 2.0, "Prefetch Template"): a
key that is there holds the resource, a searchset Bundle, or ``null`` (no data); a key that is
missing was not satisfied, and the service reads it itself from ``fhirServer`` with the bearer
token of ``fhirAuthorization``. When neither gives a key, the service cannot decide and
answers 412 Precondition Failed, as the spec requires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from trdnav.cds.hook_request import HookRequest
from trdnav.core.errors import FieldError, InvalidInput

TEMPLATES: dict[str, str] = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "medications": "MedicationStatement?patient={{context.patientId}}",
    "scores": "Observation?patient={{context.patientId}}&category=survey",
}
SEARCHES = ("conditions", "medications", "scores")
EXPECTED_TYPE = {
    "patient": "Patient",
    "conditions": "Condition",
    "medications": "MedicationStatement",
    "scores": "Observation",
}
# Seconds to connect and to wait for each answer; a search follows at most MAX_PAGES pages.
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
MAX_PAGES = 10


class Unavailable(Exception):
    """Required data could not be obtained; ``missing`` maps each key to why (no patient data)."""

    def __init__(self, missing: Mapping[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in missing.items()))
        self.missing = dict(missing)


@dataclass(frozen=True)
class Gathered:
    """The patient (None: the EHR has none) and the resources of each search."""

    patient: Mapping[str, Any] | None
    resources: dict[str, list[Mapping[str, Any]]]
    fetched: tuple[str, ...] = field(default=())  # keys read from the FHIR server


def query(key: str, patient_id: str) -> str:
    return TEMPLATES[key].replace("{{context.patientId}}", patient_id)


def _entries(bundle: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The matching resources of a searchset Bundle (OperationOutcome entries are skipped)."""
    out: list[Mapping[str, Any]] = []
    for n, entry in enumerate(bundle.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping):
            raise InvalidInput.single(f"prefetch.{key}.entry[{n}]", "must hold a resource")
        if resource.get("resourceType") == EXPECTED_TYPE[key]:
            out.append(resource)
    return out


def _check_prefetched(key: str, value: Any) -> Mapping[str, Any] | None:
    if value is None:
        return None
    wanted = "Bundle" if key in SEARCHES else EXPECTED_TYPE[key]
    if not isinstance(value, Mapping) or value.get("resourceType") != wanted:
        raise InvalidInput.single(f"prefetch.{key}", f"must be a {wanted} or null")
    return value


def read_prefetch(request: HookRequest) -> dict[str, Mapping[str, Any] | None]:
    """The keys the EHR satisfied (checked); unknown keys are a 400 naming them."""
    unknown = sorted(set(request.prefetch) - set(TEMPLATES))
    if unknown:
        allowed = ", ".join(TEMPLATES)
        raise InvalidInput(
            [
                FieldError(f"prefetch.{k}", f"unknown prefetch key; allowed: {allowed}")
                for k in unknown
            ]
        )
    return {key: _check_prefetched(key, value) for key, value in request.prefetch.items()}


class FhirReader:
    """Reads from the EHR's FHIR server with the bearer token it gave. The token is only ever
    sent to URLs under ``fhirServer`` (a ``next`` link elsewhere is not followed)."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
        )

    def get(self, url: str) -> Mapping[str, Any] | None:
        """The resource, or None for 404/410 (the record is not there)."""
        response = self.session.get(url, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
        if response.status_code in (404, 410):
            return None
        response.raise_for_status()
        body = response.json()
        if not isinstance(body, Mapping):
            raise ValueError("not a JSON object")
        return body

    def search(self, relative: str, key: str) -> list[Mapping[str, Any]]:
        url: str | None = f"{self.base}/{relative}"
        found: list[Mapping[str, Any]] = []
        for _ in range(MAX_PAGES):
            if url is None:
                break
            bundle = self.get(url)
            if bundle is None or bundle.get("resourceType") != "Bundle":
                raise ValueError("a search did not answer with a Bundle")
            found += _entries(bundle, key)
            url = self._next(bundle)
        return found

    def _next(self, bundle: Mapping[str, Any]) -> str | None:
        for link in bundle.get("link") or []:
            target = link.get("url") if isinstance(link, Mapping) else None
            if link.get("relation") == "next" and isinstance(target, str):
                return target if target.startswith(self.base + "/") else None
        return None


def _fetch(reader: FhirReader, key: str, patient_id: str) -> Any:
    relative = query(key, patient_id)
    if key in SEARCHES:
        return reader.search(relative, key)
    return reader.get(f"{reader.base}/{relative}")


def gather(request: HookRequest) -> Gathered:
    """Prefetched data first, then the FHIR server for what is missing; ``Unavailable`` when a
    key can be had neither way, ``InvalidInput`` for a malformed prefetch."""
    given = read_prefetch(request)
    resources: dict[str, list[Mapping[str, Any]]] = {}
    patient = given.get("patient")
    for key in SEARCHES:
        if key in given:
            bundle = given[key]
            resources[key] = [] if bundle is None else _entries(bundle, key)
    missing = [key for key in TEMPLATES if key not in given]
    if missing and (request.fhir_server is None or request.access_token is None):
        raise Unavailable(
            {k: "not prefetched, and no fhirServer with fhirAuthorization" for k in missing}
        )
    failed: dict[str, str] = {}
    if missing:
        reader = FhirReader(str(request.fhir_server), str(request.access_token))
        for key in missing:
            try:
                value = _fetch(reader, key, request.patient_id)
            except (requests.RequestException, ValueError, InvalidInput):
                failed[key] = "the FHIR server could not be read"
                continue
            if key in SEARCHES:
                resources[key] = list(value)
            else:
                patient = value
    if failed:
        raise Unavailable(failed)
    if patient is not None and patient.get("resourceType") != "Patient":
        raise Unavailable({"patient": "the FHIR server did not answer with a Patient"})
    return Gathered(patient=patient, resources=resources, fetched=tuple(missing))
