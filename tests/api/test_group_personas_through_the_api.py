"""Every patient-group persona (adolescent, bipolar I, pregnancy, MAOI polypharmacy, recent heart
attack, brain haemorrhage, suicidal intent, older adult with dementia, implants, catatonia, no
history) stored through the clinical-profile API: the options API gives exactly the engine's
result and the statuses the labels require, and the chart page shows those statuses in words,
the medication warnings and what is still to check."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.chart_options import shown_status
from tests.factories import make_patient
from tests.group_expectations import EXPECTED
from tests.personas import GROUP_PERSONAS
from trdnav.accounts.models import Clinic, User
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend import parse_patient, recommend
from trdnav.demo.personas.groups import GroupPersona
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db
PROFILE_KEYS = ("facts", "absent_facts", "medications", "preferences", "history")


def _born(persona: GroupPersona) -> date:
    given = persona.patient.get("date_of_birth")
    if given is not None:
        return date.fromisoformat(given)
    # 1 January of the year that gives the persona's age on the review date.
    return date(persona.as_of.year - persona.patient["age"], 1, 1)


def _profile(persona: GroupPersona) -> dict[str, Any]:
    return {key: persona.patient[key] for key in PROFILE_KEYS if key in persona.patient}


def _stored(client: Client, clinic: Clinic, clinician: User, key: str) -> Patient:
    persona = GROUP_PERSONAS[key]
    patient = make_patient(clinic, f"G-{key}"[:30], date_of_birth=_born(persona))
    client.force_login(clinician)
    url = f"/api/v1/patients/{patient.pk}/clinical-profile"
    stored = client.patch(url, _profile(persona), content_type="application/json")
    assert stored.status_code == 200, stored.json()
    return patient


def _core(persona: GroupPersona) -> dict[str, Any]:
    knowledge = load_therapies()
    raw = {**_profile(persona), "date_of_birth": _born(persona).isoformat()}
    patient = parse_patient(raw, knowledge, as_of=persona.as_of)
    return recommend(patient, knowledge, as_of=persona.as_of).to_dict()


@pytest.mark.parametrize("key", sorted(GROUP_PERSONAS))
def test_a_group_persona_through_the_api_gets_the_engines_options_and_its_label_statuses(
    client: Client, clinic: Clinic, clinician: User, key: str
) -> None:
    persona = GROUP_PERSONAS[key]
    patient = _stored(client, clinic, clinician, key)
    url = f"/api/v1/patients/{patient.pk}/options?as_of={persona.as_of.isoformat()}"
    body = client.get(url).json()
    core = _core(persona)
    assert [(o["id"], o["status"], o["rank"]) for o in body["options"]] == [
        (o["id"], o["status"], o["rank"]) for o in core["options"]
    ]
    assert body["warnings"] == core["warnings"]
    assert body["to_check"] == core["to_check"]
    statuses = {o["id"]: o["status"] for o in body["options"]}
    assert {t: statuses[t] for t in EXPECTED[key]} == EXPECTED[key]


@pytest.mark.parametrize("key", sorted(GROUP_PERSONAS))
def test_the_chart_page_shows_a_group_persona_the_statuses_its_labels_require(
    client: Client, clinic: Clinic, clinician: User, key: str
) -> None:
    persona = GROUP_PERSONAS[key]
    patient = _stored(client, clinic, clinician, key)
    with time_machine.travel(persona.as_of, tick=False):
        html = client.get(f"/patients/{patient.pk}/").content.decode()
    for therapy, status in EXPECTED[key].items():
        assert shown_status(html, therapy) == status, therapy


def test_the_chart_page_warns_of_the_dangerous_combination_already_in_the_list(
    client: Client, clinic: Clinic, clinician: User
) -> None:
    patient = _stored(client, clinic, clinician, "maoi_polypharmacy")
    with time_machine.travel(GROUP_PERSONAS["maoi_polypharmacy"].as_of, tick=False):
        html = client.get(f"/patients/{patient.pk}/").content.decode()
    warnings = re.search(r'class="warning-list"(.*?)</ul>', html, re.S)
    assert warnings is not None
    text = warnings.group(1).lower()
    assert "tranylcypromine" in text and "sertraline" in text and "tramadol" in text


def test_the_chart_page_lists_what_to_check_when_no_history_is_recorded(
    client: Client, clinic: Clinic, clinician: User
) -> None:
    patient = _stored(client, clinic, clinician, "no_history")
    with time_machine.travel(GROUP_PERSONAS["no_history"].as_of, tick=False):
        html = client.get(f"/patients/{patient.pk}/").content.decode()
    start = html.index("To check before deciding")
    panel = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:]))
    entry = panel[panel.index("Treatment history (how many treatments failed)") :]
    # Esketamine's label needs two failed antidepressants: with no history that is unknown.
    assert "Intranasal esketamine (Spravato)" in entry.split(" — ")[1]
