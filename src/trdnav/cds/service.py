"""One ``patient-view`` call: gather the EHR's data, run the core, build the cards, audit.

Scoping: the calling EHR acts for one clinic (its issuer's ``clinic``); the EHR's patient is
matched to a record of that clinic only, by the identifier whose system the issuer configures
(``patient_identifier_system``, the value being the clinic's record number; policy P-CDS3).
The cards are computed from the EHR's data alone; a matched record adds the link to its page
and the audit event is written against it. Every call is audited, matched or not, without
patient data in the summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from trdnav.accounts.models import Clinic
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient, record_event
from trdnav.cds.cards import (
    Card,
    Links,
    invalid_history_card,
    no_history_card,
    option_cards,
    safety_cards,
    status_card,
    urgent_cards,
)
from trdnav.cds.clinical import ClinicalInput, clinical_input, latest_by_instrument
from trdnav.cds.hook_request import HookRequest
from trdnav.cds.issuers import Issuer
from trdnav.cds.prefetch import Unavailable, gather
from trdnav.core.errors import InvalidInput
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend import parse_patient, recommend
from trdnav.patients.models import Patient

SERVICE_ID = "trdnav-patient-view"
AUDIT_OBJECT = "cds_patient_view"


@dataclass(frozen=True)
class Answer:
    cards: list[Card]
    patient: Patient | None


def caller_clinic(issuer: Issuer) -> Clinic | None:
    return Clinic.objects.filter(slug=issuer.clinic).first()


def match_patient(issuer: Issuer, clinic: Clinic, resource: Mapping[str, Any]) -> Patient | None:
    """The clinic's record whose record number is the EHR Patient's identifier in the
    issuer's configured system; None without that setting or without exactly one match."""
    system = issuer.patient_identifier_system
    if system is None:
        return None
    values = {
        str(ident.get("value"))
        for ident in resource.get("identifier") or []
        if isinstance(ident, Mapping) and ident.get("system") == system and ident.get("value")
    }
    if len(values) != 1:
        return None
    found = list(Patient.objects.filter(clinic=clinic, record_number=values.pop())[:2])
    return found[0] if len(found) == 1 else None


def _cards(data: ClinicalInput, links: Links, as_of: date) -> list[Card]:
    cards = safety_cards(latest_by_instrument(data.scores), links)
    if data.history is None:
        return [*cards, no_history_card(data.skipped, links)]
    knowledge = load_therapies()
    raw: dict[str, Any] = {"history": data.history}
    if data.date_of_birth is not None and data.date_of_birth <= as_of:
        raw["date_of_birth"] = data.date_of_birth.isoformat()
    try:
        engine_patient = parse_patient(raw, knowledge, as_of=as_of)
    except InvalidInput as exc:
        return [*cards, invalid_history_card(exc.errors, links)]
    result = recommend(engine_patient, knowledge, as_of=as_of)
    return [
        *cards,
        *urgent_cards(result, links),
        status_card(result, data.skipped, links),
        *option_cards(result, links),
    ]


def patient_view(
    request: HookRequest, *, issuer: Issuer, clinic: Clinic, actor: Actor, base: str, as_of: date
) -> Answer:
    """The cards; ``Unavailable`` (412) when required data cannot be had, ``InvalidInput``
    (400) for a malformed prefetch."""
    gathered = gather(request)
    if gathered.patient is None:
        raise Unavailable({"patient": "the EHR has no such Patient"})
    patient = match_patient(issuer, clinic, gathered.patient)
    page = base + reverse("patients:detail", args=[patient.pk]) if patient else None
    links = Links(base=base, patient_page=page)
    cards = _cards(clinical_input(gathered.patient, gathered.resources), links, as_of)
    note = f"patient-view: {len(cards)} cards; read from FHIR server: {len(gathered.fetched)} keys"
    if patient is not None:
        audit_patient(actor, patient, Action.VIEW, AUDIT_OBJECT, patient, summary=note)
    else:
        record_event(by=actor, action=Action.VIEW, object_type=AUDIT_OBJECT,
                     summary=note + "; EHR patient not matched to a record")  # fmt: skip
    return Answer(cards=cards, patient=patient)
