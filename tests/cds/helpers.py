"""Keys, signed JWTs, the recorded requests and a stub FHIR server for the CDS Hooks tests."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cds"
ISS = "https://ehr.example.org"
BASE = "https://trd.example.org"
SERVICE = "trdnav-patient-view"
SERVICE_URL = f"{BASE}/cds-services/{SERVICE}"
FEEDBACK_URL = f"{SERVICE_URL}/feedback"
IDENTIFIER_SYSTEM = "urn:oid:2.16.840.1.113883.19.5"


def recorded(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


@cache
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


def public_jwk(key: Any, kid: str, alg: str) -> dict[str, Any]:
    algorithm = jwt.algorithms.RSAAlgorithm if alg.startswith("RS") else jwt.algorithms.ECAlgorithm
    jwk: dict[str, Any] = json.loads(algorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "alg": alg, "use": "sig"}


def key_set() -> dict[str, Any]:
    return {
        "keys": [public_jwk(rsa_key(), "rsa-1", "RS384"), public_jwk(ec_key(), "ec-1", "ES384")]
    }


def issuers(**overrides: Any) -> str:
    entry = {
        "iss": ISS,
        "clinic": "north",
        "jwks": key_set(),
        "patient_identifier_system": IDENTIFIER_SYSTEM,
        **overrides,
    }
    return json.dumps([{k: v for k, v in entry.items() if v is not None}])


def token(
    aud: str = SERVICE_URL,
    *,
    alg: str = "RS384",
    kid: str | None = "rsa-1",
    key: Any = None,
    lifetime: int = 300,
    **claims: Any,
) -> str:
    now = int(time.time())
    payload = {"iss": ISS, "aud": aud, "iat": now, "exp": now + lifetime,
               "jti": str(uuid.uuid4()), **claims}  # fmt: skip
    payload = {k: v for k, v in payload.items() if v is not None}
    signer = key if key is not None else (rsa_key() if alg.startswith("RS") else ec_key())
    headers = {"typ": "JWT", **({"kid": kid} if kid else {})}
    return jwt.encode(payload, signer, algorithm=alg, headers=headers)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


# --- CDS Hooks 2.0 card rules ("CDS Service Response", "Card Attributes") ------------------

CARD_KEYS = {"uuid", "summary", "detail", "indicator", "source", "suggestions",
             "selectionBehavior", "overrideReasons", "links"}  # fmt: skip
INDICATORS = ("info", "warning", "critical")


def _absolute(url: Any) -> bool:
    parts = urlsplit(url) if isinstance(url, str) else None
    return parts is not None and parts.scheme in ("https", "http") and bool(parts.netloc)


def _no_nulls_or_empties(value: Any, path: str) -> None:
    """The spec: attributes are never null; optional ones without a value are omitted, and
    JSON objects are never empty."""
    assert value is not None, f"{path} is null"
    if isinstance(value, dict):
        assert value, f"{path} is an empty object"
        for key, item in value.items():
            _no_nulls_or_empties(item, f"{path}.{key}")
    if isinstance(value, list):
        assert value, f"{path} is an empty array"
        for n, item in enumerate(value):
            _no_nulls_or_empties(item, f"{path}[{n}]")


def check_card(card: Mapping[str, Any]) -> None:
    assert set(card) <= CARD_KEYS, set(card) - CARD_KEYS
    _no_nulls_or_empties(dict(card), "card")
    assert isinstance(card["summary"], str) and card["summary"].strip()
    assert len(card["summary"]) < 140, card["summary"]
    assert card["indicator"] in INDICATORS
    source = card["source"]
    assert isinstance(source.get("label"), str) and source["label"].strip()
    assert set(source) <= {"label", "url", "icon", "topic"}
    if "url" in source:
        assert _absolute(source["url"])
    assert isinstance(card["uuid"], str)
    uuid.UUID(card["uuid"])
    if "detail" in card:
        assert isinstance(card["detail"], str)
    if "suggestions" in card:
        assert card.get("selectionBehavior") in ("at-most-one", "any")
    for reason in card.get("overrideReasons", []):
        assert reason["code"] and reason["system"] and reason["display"]
    for link in card.get("links", []):
        assert set(link) <= {"label", "url", "type", "appContext"}
        assert isinstance(link["label"], str) and link["label"].strip()
        assert _absolute(link["url"]), link["url"]
        assert link["type"] in ("absolute", "smart")
        assert "appContext" not in link or link["type"] == "smart"


def check_response(body: Mapping[str, Any]) -> None:
    assert set(body) <= {"cards", "systemActions"}
    assert isinstance(body["cards"], list)
    for card in body["cards"]:
        check_card(card)
    uuids = [c["uuid"] for c in body["cards"]]
    assert len(set(uuids)) == len(uuids)


# --- a stub FHIR server ------------------------------------------------------------------------


@dataclass
class StubFhir:
    """Serves the recorded resources; records each request's path and Authorization header."""

    resources: dict[str, Any]
    status: int = 200
    seen: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""


def _handler(stub: StubFhir) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.server_version = "stub"
            stub.seen.append((self.path, self.headers.get("Authorization", "")))
            kind = self.path.split("/fhir/", 1)[-1].split("?")[0].split("/")[0]
            body = stub.resources.get(kind)
            status = stub.status if body is not None else 404
            data = json.dumps(body if status == 200 else {"resourceType": "OperationOutcome"})
            self.send_response(status)
            self.send_header("Content-Type", "application/fhir+json")
            self.end_headers()
            self.wfile.write(data.encode())

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: nothing on the test output

    return Handler


@contextmanager
def stub_fhir(resources: dict[str, Any], status: int = 200) -> Iterator[StubFhir]:
    stub = StubFhir(resources=resources, status=status)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
