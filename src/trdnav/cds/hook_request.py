"""Checking a CDS Hooks request body (CDS Hooks 2.0, "Calling a CDS Service").

Every problem is a ``FieldError`` naming the field (``context.patientId``,
``fhirAuthorization.token_type``…); the view answers 400 with all of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from trdnav.core.errors import FieldError, InvalidInput

HOOK = "patient-view"
BEARER = "Bearer"  # the fixed token_type
_TOP = {"hook", "hookInstance", "fhirServer", "fhirAuthorization", "context", "prefetch",
        "extension"}  # fmt: skip
_AUTH_FIELDS = {"access_token": str, "token_type": str, "expires_in": int, "scope": str,
                "subject": str}  # fmt: skip
# FHIR ids: [A-Za-z0-9-.]{1,64}; the patient id is put into URLs, so it is checked strictly.
_ID_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.")


@dataclass(frozen=True)
class HookRequest:
    hook_instance: str
    user_id: str
    patient_id: str
    fhir_server: str | None
    access_token: str | None
    prefetch: Mapping[str, Any]


def _text(body: Mapping[str, Any], key: str, path: str, errors: list[FieldError]) -> str | None:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.append(FieldError(path, "required: a non-empty string"))
        return None
    return value


def _hook_instance(body: Mapping[str, Any], errors: list[FieldError]) -> str | None:
    value = _text(body, "hookInstance", "hookInstance", errors)
    if value is None:
        return None
    try:
        uuid.UUID(value)
    except ValueError:
        errors.append(FieldError("hookInstance", "must be a UUID"))
        return None
    return value


def _context(body: Mapping[str, Any], errors: list[FieldError]) -> tuple[str, str] | None:
    context = body.get("context")
    if not isinstance(context, Mapping):
        errors.append(FieldError("context", "required: an object with userId and patientId"))
        return None
    user = _text(context, "userId", "context.userId", errors)
    patient = _text(context, "patientId", "context.patientId", errors)
    if user is not None and not user.startswith(
        ("Practitioner/", "PractitionerRole/", "Patient/", "RelatedPerson/")
    ):
        errors.append(
            FieldError(
                "context.userId",
                "must be a reference: Practitioner/, PractitionerRole/, Patient/ or "
                "RelatedPerson/ followed by the id",
            )
        )
    if patient is not None and (len(patient) > 64 or not set(patient) <= _ID_CHARS):
        errors.append(FieldError("context.patientId", "must be a FHIR id ([A-Za-z0-9-.]{1,64})"))
    return (user, patient) if user and patient else None


def _fhir_server(
    body: Mapping[str, Any], errors: list[FieldError], *, https_only: bool
) -> str | None:
    value = body.get("fhirServer")
    if value is None:
        if body.get("fhirAuthorization") is not None:
            errors.append(FieldError("fhirServer", "required when fhirAuthorization is given"))
        return None
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc:
        errors.append(FieldError("fhirServer", "must be an absolute http(s) URL"))
        return None
    if https_only and parts.scheme != "https":
        # The spec: "The scheme MUST be https when production data is exchanged."
        errors.append(FieldError("fhirServer", "must be an https URL in production"))
        return None
    return str(value).rstrip("/")


def _authorization(body: Mapping[str, Any], errors: list[FieldError]) -> str | None:
    auth = body.get("fhirAuthorization")
    if auth is None:
        return None
    if not isinstance(auth, Mapping):
        errors.append(FieldError("fhirAuthorization", "must be an object"))
        return None
    before = len(errors)
    for key, kind in _AUTH_FIELDS.items():
        value = auth.get(key)
        ok = isinstance(value, kind) and not isinstance(value, bool)
        if not ok or (isinstance(value, str) and not value.strip()):
            what = "a whole number" if kind is int else "a non-empty string"
            errors.append(FieldError(f"fhirAuthorization.{key}", f"required: {what}"))
    if isinstance(auth.get("token_type"), str) and auth["token_type"] != BEARER:
        errors.append(FieldError("fhirAuthorization.token_type", "must be Bearer"))
    return str(auth["access_token"]) if len(errors) == before else None


def parse_hook_request(
    body: Any, *, service_hook: str = HOOK, https_only: bool = False
) -> HookRequest:
    """The checked request; ``InvalidInput`` naming every wrong field. ``https_only``: refuse
    a plain-http ``fhirServer`` (production)."""
    if not isinstance(body, Mapping):
        raise InvalidInput.single("body", "must be a JSON object")
    errors: list[FieldError] = [
        FieldError(key, f"unknown field; allowed: {', '.join(sorted(_TOP))}")
        for key in sorted(set(body) - _TOP)
    ]
    hook = _text(body, "hook", "hook", errors)
    if hook is not None and hook != service_hook:
        errors.append(FieldError("hook", f"this service answers {service_hook} only"))
    instance = _hook_instance(body, errors)
    context = _context(body, errors)
    server = _fhir_server(body, errors, https_only=https_only)
    token = _authorization(body, errors)
    prefetch = body.get("prefetch", {})
    if not isinstance(prefetch, Mapping):
        errors.append(FieldError("prefetch", "must be an object of prefetch keys"))
    if errors or instance is None or context is None:
        raise InvalidInput(errors)
    return HookRequest(
        hook_instance=instance,
        user_id=context[0],
        patient_id=context[1],
        fhir_server=server,
        access_token=token,
        prefetch=prefetch,
    )
