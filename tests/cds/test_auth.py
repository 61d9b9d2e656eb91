"""JWT authentication of the calling EHR (CDS Hooks 2.0, "Trusting CDS Clients")."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from tests.cds.helpers import (
    FEEDBACK_URL,
    ISS,
    SERVICE,
    bearer,
    issuers,
    key_set,
    recorded,
    stub_fhir,
    token,
)
from trdnav.accounts.models import Clinic
from trdnav.cds.auth import JWKS

URL = f"/cds-services/{SERVICE}"


def _post(client: Client, headers: dict[str, str], url: str = URL) -> Any:
    return client.post(url, recorded("patient-view-prefetch.json"),
                       content_type="application/json", headers=headers)  # fmt: skip


def test_rs384_and_es384_tokens_are_accepted(client: Client, north: Clinic) -> None:
    assert _post(client, bearer(token(alg="RS384"))).status_code == 200
    assert _post(client, bearer(token(alg="ES384", kid="ec-1"))).status_code == 200


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({}, "missing Authorization"),
        ({"Authorization": "Basic abc"}, "missing Authorization"),
        ({"Authorization": "Bearer not.a.jwt"}, "not a JWT"),
    ],
)
def test_no_token_is_401(client: Client, north: Clinic, headers: dict[str, str], why: str) -> None:
    response = _post(client, headers)
    assert response.status_code == 401
    assert why in response.json()["error"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_401(client: Client, north: Clinic) -> None:
    response = _post(client, bearer(token(lifetime=-120)))
    assert response.status_code == 401 and "expired" in response.json()["error"]


def test_a_wrong_audience_is_401(client: Client, north: Clinic) -> None:
    response = _post(client, bearer(token("https://elsewhere.example.org/cds-services/x")))
    assert response.status_code == 401 and "aud must be" in response.json()["error"]


def test_an_unknown_kid_is_401(client: Client, north: Clinic) -> None:
    response = _post(client, bearer(token(kid="nobody")))
    assert response.status_code == 401 and "unknown kid" in response.json()["error"]


def test_no_kid_is_401(client: Client, north: Clinic) -> None:
    assert _post(client, bearer(token(kid=None))).status_code == 401


def test_an_unknown_issuer_is_401(client: Client, north: Clinic) -> None:
    response = _post(client, bearer(token(iss="https://rogue.example.org")))
    assert response.status_code == 401 and "iss" in response.json()["error"]


def test_a_forged_signature_is_401(client: Client, north: Clinic) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert _post(client, bearer(token(key=other))).status_code == 401


def test_hmac_and_rs256_when_not_allowed_are_401(
    client: Client, north: Clinic, settings: Any
) -> None:
    import jwt as pyjwt

    forged = pyjwt.encode({"iss": ISS}, "shared-secret-that-is-long-enough-32b", algorithm="HS256",
                          headers={"kid": "rsa-1"})  # fmt: skip
    assert _post(client, bearer(forged)).status_code == 401
    settings.TRDNAV_CDS_ISSUERS = issuers(algorithms=["ES384"])
    response = _post(client, bearer(token(alg="RS384")))
    assert response.status_code == 401 and "alg must be" in response.json()["error"]


@pytest.mark.parametrize("claim", ["jti", "iat", "exp"])
def test_a_missing_required_claim_is_401(client: Client, north: Clinic, claim: str) -> None:
    without: dict[str, Any] = {claim: None}
    response = _post(client, bearer(token(**without)))
    assert response.status_code == 401


def test_a_replayed_token_is_401(client: Client, north: Clinic) -> None:
    once = token()
    assert _post(client, bearer(once)).status_code == 200
    response = _post(client, bearer(once))
    assert response.status_code == 401 and "replay" in response.json()["error"]


def test_a_jku_other_than_the_configured_jwks_url_is_401(client: Client, north: Clinic) -> None:
    import jwt as pyjwt

    from tests.cds.helpers import SERVICE_URL, rsa_key

    forged = pyjwt.encode(
        {"iss": ISS, "aud": SERVICE_URL, "exp": 9999999999, "iat": 1, "jti": "j"},
        rsa_key(), algorithm="RS384",
        headers={"kid": "rsa-1", "jku": "https://attacker.example.org/jwks"},
    )  # fmt: skip
    response = _post(client, bearer(forged))
    assert response.status_code == 401 and "jku" in response.json()["error"]


def test_the_jwks_is_fetched_once_and_cached(client: Client, north: Clinic, settings: Any) -> None:
    with stub_fhir({"jwks.json": key_set()}) as server:
        settings.TRDNAV_CDS_ISSUERS = issuers(jwks=None, jwks_url=f"{server.url}/jwks.json")
        assert _post(client, bearer(token())).status_code == 200
        assert _post(client, bearer(token())).status_code == 200
        assert len(server.seen) == 1
        # An unknown kid refetches only once the short gap has passed: no hammering.
        assert _post(client, bearer(token(kid="rotated"))).status_code == 401
        assert len(server.seen) == 1
    JWKS.clear()


def test_an_unreachable_jwks_is_401(client: Client, north: Clinic, settings: Any) -> None:
    settings.TRDNAV_CDS_ISSUERS = issuers(jwks=None, jwks_url="http://127.0.0.1:1/jwks.json")
    response = _post(client, bearer(token()))
    assert response.status_code == 401 and "JWK Set" in response.json()["error"]


def test_the_issuers_clinic_must_exist(client: Client, db: None) -> None:
    response = _post(client, bearer(token()))
    assert response.status_code == 403


def test_feedback_needs_a_token_for_its_own_url(client: Client, north: Clinic) -> None:
    body = recorded("feedback.json")
    url = f"{URL}/feedback"
    assert client.post(url, body, content_type="application/json").status_code == 401
    wrong = bearer(token())  # the service's audience, not the feedback endpoint's
    assert client.post(url, body, content_type="application/json", headers=wrong).status_code == 401
    right = bearer(token(FEEDBACK_URL))
    assert client.post(url, body, content_type="application/json", headers=right).status_code == 200


def test_the_settings_are_json(settings: Any) -> None:
    assert json.loads(settings.TRDNAV_CDS_ISSUERS)[0]["iss"] == ISS
