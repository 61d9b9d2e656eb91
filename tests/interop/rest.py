"""Helpers for the FHIR REST tests: a clinic with members holding API tokens, and requests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client

from tests.factories import make_clinic, make_member, make_patient
from trdnav.accounts.models import Role, User
from trdnav.accounts.tokens import issue_token
from trdnav.audit.services import Actor
from trdnav.core.instruments.registry import get_instrument
from trdnav.interop.base import CANONICAL
from trdnav.interop.questionnaire import option_coding
from trdnav.patients.models import Patient

FHIR = "application/fhir+json"
PHQ9 = f"{CANONICAL}/Questionnaire/phq9"


@dataclass
class World:
    patient: Patient
    sibling: Patient
    foreign: Patient
    tokens: dict[str, str]
    users: dict[str, User]


def token_for(user: User) -> str:
    return issue_token(user=user, name="fhir", by=Actor(user=user))[1]


def make_world() -> World:
    north, south = make_clinic("north"), make_clinic("south")
    users = {
        role.value: make_member(north, role, f"{role.value}-n")
        for role in (Role.CLINIC_ADMIN, Role.CLINICIAN, Role.STAFF)
    }
    users["south"] = make_member(south, Role.CLINICIAN, "doc-s")
    tokens = {name: token_for(user) for name, user in users.items()}
    return World(
        patient=make_patient(north, "N-1", sex="female"),
        sibling=make_patient(north, "N-2"),
        foreign=make_patient(south, "S-1"),
        tokens=tokens,
        users=users,
    )


def auth(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def get(client: Client, url: str, token: str | None, **extra: Any) -> Any:
    headers: dict[str, Any] = auth(token) if token else {}
    return client.get(url, **headers, **extra)


def post(client: Client, url: str, body: Any, token: str | None, **extra: Any) -> Any:
    headers: dict[str, Any] = auth(token) if token else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type=extra.pop("content_type", FHIR), **headers, **extra)


def phq9_response(
    patient_id: int | str,
    items: Sequence[int | None],
    *,
    authored: date = date(2026, 11, 2),
    identifier: str | None = None,
    source_patient: bool = False,
) -> dict[str, Any]:
    definition = get_instrument("phq9").definition
    entries = [
        {"linkId": item.key, "answer": [{"valueCoding": option_coding(definition, item, value)}]}
        for item, value in zip(definition.items, items, strict=True)
        if value is not None
    ]
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": PHQ9,
        "status": "completed",
        "subject": {"reference": f"Patient/{patient_id}"},
        "authored": authored.isoformat(),
        "item": entries,
    }
    if identifier:
        response["identifier"] = {"system": "urn:example:forms", "value": identifier}
    if source_patient:
        response["source"] = {"reference": f"Patient/{patient_id}"}
    return response
