"""The patient's current treatment in plain words, for the visit summary (P-P7).

Read from the clinic's stored treatment history (``ClinicalProfile.history``, the document of
docs/history-schema.md): the treatments of the current episode that have not ended. A history
that does not parse gives the fallback sentence rather than an error page — the summary is
still useful without it, and the clinic sees the problem on its own history page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from django.utils.dateformat import format as format_date

from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.words import DETAIL_WORDS
from trdnav.core.errors import InvalidInput
from trdnav.core.history import Course, DrugTrial, TreatmentHistory, TreatmentKind, parse_history
from trdnav.core.knowledge.loader import load_document
from trdnav.patients.models import Patient

logger = logging.getLogger(__name__)

# (name, word after the detail): "TMS (iTBS) course", "Talking therapy (CBT)".
COURSE_NAMES = {
    TreatmentKind.ECT: ("ECT", " course"),
    TreatmentKind.TMS: ("TMS", " course"),
    TreatmentKind.KETAMINE: ("Ketamine", " course"),
    TreatmentKind.ESKETAMINE: ("Esketamine", " course"),
    TreatmentKind.PSYCHOTHERAPY: ("Talking therapy", ""),
}
# The detail in words, as the clinic pages say it; "other" says nothing more.
DETAIL_NAMES = {**DETAIL_WORDS, "other": ""}
# The knowledge base's label for the patch names its dose unit; the unit is said separately.
UNIT_IN_LABEL = re.compile(r"\s*\(mg per 24 hours\)$")


def current_treatments_of(patient: Patient, *, today: date) -> tuple[str, ...]:
    """This patient's current treatments, one plain sentence each; () when none is recorded
    or the stored history does not parse."""
    profile = ClinicalProfile.objects.filter(patient=patient).first()
    raw = profile.history if profile is not None else None
    if raw is None:
        return ()
    try:
        return describe_current(raw, today=today)
    except InvalidInput:
        # No health data in the log line: the clinic's own history page shows the errors.
        logger.warning("stored treatment history of patient %s does not parse", patient.pk)
        return ()


def describe_current(raw: object, *, today: date) -> tuple[str, ...]:
    """InvalidInput when ``raw`` is not a valid history document."""
    if not isinstance(raw, Mapping):
        raise InvalidInput.single("history", "must be a JSON object")
    history = parse_history(raw)
    current = [t for t in history.treatments if _is_current(t, history, today)]
    current.sort(key=lambda t: t.start)
    return tuple(_describe(t, history, today) for t in current)


def _is_current(treatment: DrugTrial | Course, history: TreatmentHistory, today: date) -> bool:
    """In the current episode and not ended by ``today`` (a planned end still to come counts)."""
    ended = treatment.end is not None and treatment.end <= today
    return treatment.episode == history.current_episode_id and not ended


def _describe(treatment: DrugTrial | Course, history: TreatmentHistory, today: date) -> str:
    text = (
        _drug(treatment, history, today)
        if isinstance(treatment, DrugTrial)
        else _course(treatment, today)
    )
    if treatment.end is not None:
        text += f", planned until {_day(treatment.end)}"
    return text + "."


def _drug(trial: DrugTrial, history: TreatmentHistory, today: date) -> str:
    label, unit = _drug_name(trial)
    name = label[:1].upper() + label[1:]
    started = [d for d in trial.doses if d.start <= today] or list(trial.doses[:1])
    dose = started[-1]
    amount = _amount(dose.mg_per_day, unit)
    if dose.start <= trial.start or dose.start > today:
        text = f"{name} {amount} {_since(trial.start, today)}"
    else:
        text = f"{name} {_since(trial.start, today)}, {amount} since {_day(dose.start)}"
    if trial.partner:
        partner = history.treatment(trial.partner)
        joined = "added to" if trial.kind is TreatmentKind.AUGMENTATION else "together with"
        partner_name = _drug_name(partner)[0] if isinstance(partner, DrugTrial) else partner.id
        text += f", {joined} {partner_name}"
    return text


def _course(course: Course, today: date) -> str:
    detail_code = course.protocol or course.laterality or course.modality
    detail = DETAIL_NAMES.get(str(detail_code), str(detail_code or "").replace("_", " "))
    name, after = COURSE_NAMES[course.kind]
    detail = f" ({detail})" if detail else ""
    return f"{name}{detail}{after} {_since(course.start, today)}"


def _since(start: date, today: date) -> str:
    return f"since {_day(start)}" if start <= today else f"starting on {_day(start)}"


def _day(day: date) -> str:
    return format_date(day, "j F Y")


def _amount(mg_per_day: float, unit: str) -> str:
    if mg_per_day < 1:  # thyroid hormone: 0.025 mg is said as 25 micrograms
        return f"{round(mg_per_day * 1000, 3):g} micrograms {unit}"
    return f"{round(mg_per_day, 3):g} mg {unit}"


def _drug_name(trial: DrugTrial) -> tuple[str, str]:
    """The knowledge base's name and the dose unit ("a day", "per 24 hours" for a patch)."""
    table = "agents" if trial.kind is TreatmentKind.AUGMENTATION else "drugs"
    entry = _drug_tables()[table].get(trial.drug, {})
    label = str(entry.get("label") or trial.drug.replace("_", " "))
    unit = "per 24 hours" if entry.get("route") == "transdermal" else "a day"
    return UNIT_IN_LABEL.sub("", label), unit


@cache
def _drug_tables() -> dict[str, dict[str, Any]]:
    return {
        "drugs": load_document("antidepressants.toml").get("drugs", {}),
        "agents": load_document("augmentation_agents.toml").get("agents", {}),
    }
