"""The EHRs allowed to call the service: one entry per JWT issuer (docs/configuration.md).

``TRDNAV_CDS_ISSUERS`` (or ``TRDNAV_CDS_ISSUERS_FILE``) holds a JSON list; each entry::

    {"iss": "https://ehr.example.org",          # the JWT's iss, exactly
     "clinic": "north",                          # the clinic whose records this EHR may reach
     "jwks_url": "https://ehr.example.org/jwks", # or "jwks": {"keys": [...]} inline
     "patient_identifier_system": "urn:oid:1.2.3",  # optional: how Patient.identifier names
                                                    # the clinic's record number
     "algorithms": ["RS384", "ES384"]}           # optional; default RS256, RS384, ES384

The spec asks services to keep an allowlist of ``iss`` (and ``jku``): an issuer not listed is
refused, and a ``jku`` header must name the configured ``jwks_url``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Asymmetric only: the spec forbids ``none`` and HMAC; ES384 and RS384 are its recommendation.
ALGORITHMS = ("RS256", "RS384", "ES384")
SETTING = "TRDNAV_CDS_ISSUERS"
_KEYS = {"iss", "clinic", "jwks_url", "jwks", "patient_identifier_system", "algorithms"}


@dataclass(frozen=True)
class Issuer:
    iss: str
    clinic: str
    jwks_url: str | None
    jwks: dict[str, Any] | None
    patient_identifier_system: str | None
    algorithms: tuple[str, ...]


def _fail(index: int, message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{SETTING}[{index}]: {message}")


def _text(entry: dict[str, Any], key: str, index: int, *, required: bool) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(index, f"{key} must be a non-empty string")
    return value


def _jwks(entry: dict[str, Any], index: int) -> tuple[str | None, dict[str, Any] | None]:
    url = _text(entry, "jwks_url", index, required=False)
    inline = entry.get("jwks")
    if (url is None) == (inline is None):
        raise _fail(index, "give exactly one of jwks_url and jwks")
    if url is not None and not url.startswith(("https://", "http://")):
        raise _fail(index, "jwks_url must be an http(s) URL")
    if inline is not None and not (
        isinstance(inline, dict) and isinstance(inline.get("keys"), list)
    ):
        raise _fail(index, 'jwks must be a JWK Set: {"keys": [...]}')
    return url, inline


def _algorithms(entry: dict[str, Any], index: int) -> tuple[str, ...]:
    chosen = entry.get("algorithms", list(ALGORITHMS))
    if not isinstance(chosen, list) or not chosen or not set(chosen) <= set(ALGORITHMS):
        raise _fail(index, f"algorithms must be a non-empty list of {', '.join(ALGORITHMS)}")
    return tuple(chosen)


def parse_issuers(raw: str) -> dict[str, Issuer]:
    """The configured issuers by ``iss``; ``ImproperlyConfigured`` naming the bad entry."""
    if not raw.strip():
        return {}
    try:
        entries = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{SETTING} is not valid JSON: {exc}") from None
    if not isinstance(entries, list):
        raise ImproperlyConfigured(f"{SETTING} must be a JSON list of issuer objects")
    issuers: dict[str, Issuer] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise _fail(index, "must be an object")
        unknown = sorted(set(entry) - _KEYS)
        if unknown:
            raise _fail(index, f"unknown keys {unknown}; allowed: {sorted(_KEYS)}")
        iss = str(_text(entry, "iss", index, required=True))
        if iss in issuers:
            raise _fail(index, f"issuer {iss!r} is listed twice")
        url, inline = _jwks(entry, index)
        issuers[iss] = Issuer(
            iss=iss,
            clinic=str(_text(entry, "clinic", index, required=True)),
            jwks_url=url,
            jwks=inline,
            patient_identifier_system=_text(
                entry, "patient_identifier_system", index, required=False
            ),
            algorithms=_algorithms(entry, index),
        )
    return issuers


@lru_cache(maxsize=4)
def _parsed(raw: str) -> dict[str, Issuer]:
    return parse_issuers(raw)


def configured_issuers() -> dict[str, Issuer]:
    return _parsed(str(getattr(settings, SETTING, "") or ""))


def service_base_url() -> str:
    """The public base URL the EHR calls (the JWT ``aud`` is built on it)."""
    base = str(getattr(settings, "TRDNAV_CDS_BASE_URL", "") or settings.TRDNAV_SITE_URL)
    return base.rstrip("/")
