"""Authenticating the calling EHR: a JWT signed with a key from its issuer's JWK Set.

Checked, in this order (any failure is a 401 naming what was wrong, never the token):
the ``Authorization: Bearer`` header is there; the header names an allowed ``alg`` and a
``kid``; ``iss`` is a configured issuer; a ``jku`` header, if any, is that issuer's
``jwks_url``; ``kid`` is in the issuer's JWK Set (fetched once more when it is not, in case
the EHR rotated its keys); the signature, ``exp``, ``iat``, ``aud`` (the URL of the endpoint
called) and ``iss`` are valid; ``jti`` has not been seen before (replay).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from trdnav.cds.issuers import Issuer, configured_issuers
from trdnav.cds.models import UsedToken

REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "jti")
JWKS_TIMEOUT_SECONDS = 5
# Leeway for clocks that differ a little between the EHR and this server.
LEEWAY_SECONDS = 30


class AuthError(Exception):
    """Not authenticated; the message says why (safe to return to the caller)."""


@dataclass(frozen=True)
class Caller:
    issuer: Issuer
    claims: dict[str, Any]


class JwksCache:
    """Each issuer's JWK Set, kept for ``TRDNAV_CDS_JWKS_CACHE_SECONDS``; fetched with a
    timeout. A missing ``kid`` forces one refetch, at most once a minute per issuer."""

    REFETCH_GAP_SECONDS = 60

    def __init__(self) -> None:
        self._sets: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._sets.clear()

    def key_set(self, issuer: Issuer, *, refresh: bool = False) -> dict[str, Any]:
        if issuer.jwks is not None:
            return issuer.jwks
        url = str(issuer.jwks_url)
        now = time.monotonic()
        ttl = int(getattr(settings, "TRDNAV_CDS_JWKS_CACHE_SECONDS", 300))
        with self._lock:
            held = self._sets.get(url)
        fresh = held is not None and now - held[0] < ttl
        may_refresh = held is None or now - held[0] >= self.REFETCH_GAP_SECONDS
        if held is not None and (fresh and not (refresh and may_refresh)):
            return held[1]
        fetched = _fetch_jwks(url)
        with self._lock:
            self._sets[url] = (now, fetched)
        return fetched


JWKS = JwksCache()


def _fetch_jwks(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=JWKS_TIMEOUT_SECONDS)
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError):
        raise AuthError("the issuer's JWK Set could not be read") from None
    if not isinstance(body, dict) or not isinstance(body.get("keys"), list):
        raise AuthError("the issuer's JWK Set is not a JWK Set")
    return body


def _bearer(header: str) -> str:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("missing Authorization: Bearer <JWT> header")
    return token.strip()


def _find_key(key_set: dict[str, Any], kid: str) -> dict[str, Any] | None:
    return next((k for k in key_set["keys"] if isinstance(k, dict) and k.get("kid") == kid), None)


def _public_key(issuer: Issuer, kid: str, alg: str) -> Any:
    found = _find_key(JWKS.key_set(issuer), kid)
    if found is None and issuer.jwks_url:
        found = _find_key(JWKS.key_set(issuer, refresh=True), kid)
    if found is None:
        raise AuthError("unknown kid: no key with this id in the issuer's JWK Set")
    try:
        return jwt.PyJWK(found, algorithm=alg).key
    except (jwt.PyJWKError, jwt.InvalidKeyError):
        raise AuthError("the key named by kid is not usable for this algorithm") from None


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise AuthError("the bearer token is not a JWT") from None
    return header, claims


def _issuer(header: dict[str, Any], claims: dict[str, Any]) -> Issuer:
    issuer = configured_issuers().get(str(claims.get("iss", "")))
    if issuer is None:
        raise AuthError("iss is not a configured issuer")
    alg = header.get("alg")
    if alg not in issuer.algorithms:
        raise AuthError(f"alg must be one of {', '.join(issuer.algorithms)}")
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise AuthError("the JWT header must name a kid")
    jku = header.get("jku")
    if jku is not None and jku != issuer.jwks_url:
        raise AuthError("jku is not the issuer's configured JWK Set URL")
    return issuer


def _remember_jti(issuer: Issuer, claims: dict[str, Any]) -> None:
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 0 < len(jti) <= 200:
        raise AuthError("jti must be a string of 1–200 characters")
    now = timezone.now()
    expires = datetime.fromtimestamp(int(claims["exp"]) + LEEWAY_SECONDS, tz=UTC)
    UsedToken.objects.filter(expires_at__lt=now).delete()
    try:
        with transaction.atomic():
            UsedToken.objects.create(issuer=issuer.iss, jti=jti, expires_at=expires)
    except IntegrityError:
        raise AuthError("jti was already used (replay)") from None


def authenticate(authorization: str, *, audience: str) -> Caller:
    """The verified caller, or ``AuthError``. ``audience``: the URL of the endpoint called."""
    token = _bearer(authorization)
    header, unverified = _unverified(token)
    issuer = _issuer(header, unverified)
    key = _public_key(issuer, str(header["kid"]), str(header["alg"]))
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[str(header["alg"])],
            audience=audience,
            issuer=issuer.iss,
            leeway=LEEWAY_SECONDS,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.ExpiredSignatureError:
        raise AuthError("the JWT has expired (exp)") from None
    except jwt.InvalidAudienceError:
        raise AuthError(f"aud must be {audience}") from None
    except jwt.MissingRequiredClaimError as exc:
        raise AuthError(f"the JWT must carry {exc.claim}") from None
    except jwt.PyJWTError:
        raise AuthError("the JWT signature or claims are not valid") from None
    _remember_jti(issuer, claims)
    return Caller(issuer=issuer, claims=claims)
