"""The clinic's crisis help, set by its clinic admin in the app (P-PH3): the words shown with
it and up to ``MAX_NUMBERS`` telephone numbers, each shown to patients as a large tap-to-call
button. A number is accepted only when it can be dialled as a ``tel:`` link.

No number is built in: numbers differ by country and a wrong one is dangerous. Until the
clinic sets its own, patients are told to call their local emergency number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction

from trdnav.accounts.models import Clinic
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event
from trdnav.portal.models import CrisisGuidance

MAX_NUMBERS = 4
MAX_LABEL_LENGTH = 60
MAX_TEXT_LENGTH = 1000
# What people write in a phone number besides digits: a leading "+", spaces, hyphens, dots,
# brackets. Short codes (112, 988) have 3 digits; E.164 allows at most 15.
_WRITTEN = re.compile(r"^\+?[\d\s().-]+$")
MIN_DIGITS, MAX_DIGITS = 3, 15


@dataclass(frozen=True)
class CrisisNumber:
    label: str
    number: str


def tel_value(number: str) -> str:
    """The ``tel:`` form of a written number: its digits, after a "+" if it starts with one."""
    digits = re.sub(r"\D", "", number)
    return f"+{digits}" if number.strip().startswith("+") else digits


def number_problem(number: str) -> str | None:
    """Why ``number`` cannot be dialled, in plain words; None when it can."""
    written = number.strip()
    if not _WRITTEN.match(written) or "+" in written[1:]:
        return (
            "Use digits only, with an optional + at the start; spaces, hyphens and brackets "
            "are allowed."
        )
    digits = len(re.sub(r"\D", "", written))
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        return f"A phone number has {MIN_DIGITS} to {MAX_DIGITS} digits; this one has {digits}."
    return None


def label_problem(label: str) -> str | None:
    if not label.strip():
        return "Say what the number is, for example “Emergency services”."
    if ":" in label or "\n" in label:
        return "A name may not contain a colon or a line break."
    if len(label) > MAX_LABEL_LENGTH:
        return f"A name may have at most {MAX_LABEL_LENGTH} characters."
    return None


def current(clinic: Clinic) -> tuple[str, list[CrisisNumber]]:
    row = CrisisGuidance.objects.filter(clinic=clinic).first()
    if row is None:
        return "", []
    return row.text, [CrisisNumber(label, number) for label, number in row.numbers()]


@transaction.atomic
def set_crisis_help(
    *, clinic: Clinic, text: str, numbers: list[CrisisNumber], by: Actor
) -> CrisisGuidance:
    """Store the clinic's crisis help (validated by the form) and audit the change. Sending
    the same values twice stores them once: the row is updated in place."""
    lines = "\n".join(f"{n.label.strip()}: {n.number.strip()}" for n in numbers)
    row, _ = CrisisGuidance.objects.select_for_update().update_or_create(
        clinic=clinic, defaults={"text": text.strip(), "phone_numbers": lines}
    )
    record_event(
        by=by,
        action=Action.UPDATE,
        object_type="crisis_guidance",
        object_id=row.pk,
        summary=f"crisis help changed: {len(numbers)} number(s)",
    )
    return row
