"""Every shared persona, stored through the clinical-profile API, gets from the options API
exactly the engine's result, and the chart page shows each option's status in words."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.chart_options import shown_status
from tests.factories import make_patient
from tests.personas import PERSONAS, Persona
from trdnav.accounts.models import Clinic, User
from trdnav.clinical.services import options_for
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend import parse_patient, recommend

pytestmark = pytest.mark.django_db


def _profile(persona: Persona) -> dict[str, Any]:
    return {
        "facts": list(persona.facts),
        "absent_facts": list(persona.absent_facts),
        "medications": getattr(persona, "medications", []),
        "history": persona.history,
    }


@pytest.mark.parametrize("key", sorted(PERSONAS))
def test_a_persona_through_the_api_gets_the_engines_options(
    client: Client, clinic: Clinic, clinician: User, key: str
) -> None:
    persona = PERSONAS[key]
    born = date(persona.as_of.year - persona.age, 1, 1)
    patient = make_patient(clinic, f"P-{key}", date_of_birth=born)
    client.force_login(clinician)
    url = f"/api/v1/patients/{patient.pk}"
    stored = client.patch(
        f"{url}/clinical-profile", _profile(persona), content_type="application/json"
    )
    assert stored.status_code == 200, stored.json()
    body = client.get(f"{url}/options?as_of={persona.as_of.isoformat()}").json()
    knowledge = load_therapies()
    raw = {**_profile(persona), "age": persona.age}
    core = recommend(parse_patient(raw, knowledge), knowledge, as_of=persona.as_of).to_dict()
    assert body["patient"]["age"] == persona.age
    assert [(o["id"], o["status"], o["rank"]) for o in body["options"]] == [
        (o["id"], o["status"], o["rank"]) for o in core["options"]
    ]
    assert body["to_check"] == core["to_check"]
    html = client.get(f"/patients/{patient.pk}/").content.decode()
    today = options_for(patient=patient, as_of=timezone.localdate())
    for option in today.options:
        assert shown_status(html, option.id) == option.status.value, option.id
