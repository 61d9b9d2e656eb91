"""Crisis guidance and safety notices (docs/portal.md, "Safety").

The portal shows the clinic's crisis guidance at once whenever a patient answers a
suicidality item positively — or leaves it unanswered, which counts as *unknown*, never as
negative (DESIGN §6) — or reports thoughts of self-harm, and says plainly that the portal is
not monitored in real time. A ``SafetyNotice`` flags the patient on the clinician dashboard
until a clinician acknowledges it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from trdnav.accounts.models import Clinic
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.instruments import Safety
from trdnav.core.measurement.safety import NEEDS_REVIEW, needs_review
from trdnav.patients.models import Patient
from trdnav.portal.models import ConcernReport, CrisisGuidance, SafetyNotice, SafetySource

# No telephone number is given here on purpose: numbers differ by country and a wrong one is
# dangerous. Each clinic's admin sets its own on the crisis help page (services.crisis_help).
DEFAULT_GUIDANCE = (
    "If you are thinking about ending your life or harming yourself, or you are in danger now, "
    "call your local emergency number or go to the nearest emergency department straight away. "
    "If you can, tell someone you trust and ask them to stay with you."
)
NOT_MONITORED = (
    "This portal is not monitored in real time. Your care team reads what you send here during "
    "working hours only, so do not wait for a reply if you need help now."
)
# The answers that put crisis guidance on screen: those that need review (positive, and
# unknown), as the core defines them.
TRIGGERING = NEEDS_REVIEW


@dataclass(frozen=True)
class Guidance:
    text: str
    numbers: tuple[tuple[str, str], ...]
    not_monitored: str = NOT_MONITORED
    customised: bool = False


def crisis_guidance_for(clinic: Clinic | None) -> Guidance:
    row = CrisisGuidance.objects.filter(clinic=clinic).first() if clinic is not None else None
    if row is None:
        return Guidance(text=DEFAULT_GUIDANCE, numbers=())
    # A clinic may set numbers and keep the default words.
    text = row.text.strip() or DEFAULT_GUIDANCE
    return Guidance(text=text, numbers=tuple(row.numbers()), customised=True)


def triggers_guidance(safety: Safety | str | None) -> bool:
    return needs_review(safety)


def raise_notice(
    *, patient: Patient, source: SafetySource, detail: str, reference: object, by: Actor
) -> SafetyNotice:
    notice = SafetyNotice.objects.create(
        patient=patient, source=source, detail=detail[:200], reference=str(reference),
        created_at=timezone.now(),
    )  # fmt: skip
    audit_patient(
        by, patient, Action.CREATE, "safety_notice", notice, summary=f"safety notice from {source}"
    )
    return notice


@transaction.atomic
def acknowledge_notice(*, notice: SafetyNotice, by: Actor) -> SafetyNotice:
    return acknowledge_once(notice, object_type="safety_notice", by=by)


_Acknowledged = TypeVar("_Acknowledged", SafetyNotice, ConcernReport)


def acknowledge_once(row: _Acknowledged, *, object_type: str, by: Actor) -> _Acknowledged:
    """Mark a notice or report as seen by the care team (once; later calls change nothing)."""
    if row.acknowledged_at is None:
        row.acknowledged_at = timezone.now()
        row.acknowledged_by = by.user
        row.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_patient(by, row.patient_id, Action.UPDATE, object_type, row, summary="acknowledged")
    return row
