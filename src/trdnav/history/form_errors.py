"""The core's errors on a history document, put next to the editor's fields in plain words:
an error about the edited item (``treatments[2].doses[0].mg_per_day``) goes to its field or its
dose row, anything else above the form with its path.

The core's messages are written for the JSON interface ("must be at most 100; got 500",
lists of codes); ``plain_message`` says the same to a person, naming the field (P-WD4)."""

from __future__ import annotations

import re
from typing import Any

from trdnav.core.errors import InvalidInput
from trdnav.history import document as hd
from trdnav.history.forms import field_name
from trdnav.patients.pages import errors_onto, with_path

_DOSE = re.compile(r"^doses\[(\d+)\]\.(.+)$")
_LIMIT = re.compile(r"^must be at (most|least) (-?[\d.]+)")
_CONTRADICTS = re.compile(r"contradicts improvement_pct (-?[\d.]+)")
# Units after a number in a message, by the JSON key of the field.
UNITS = {"mg_per_day": " mg a day", "min_dose_mg": " mg a day", "sessions": " sessions"}
PERCENT = ("improvement_pct", "adherence_pct")
DOSE_LABELS = {"from": "The dose's start date", "mg_per_day": "The dose"}
NO_DOSES = "Enter at least one dose: the date it started and the daily dose in mg."


def _unit(key: str) -> str:
    return "%" if key in PERCENT else UNITS.get(key, "")


def plain_message(key: str, label: str, message: str) -> str:
    """The core's ``message`` about the field ``key`` (shown as ``label``), in plain words."""
    limit = _LIMIT.match(message)
    if limit:
        side = "or less" if limit[1] == "most" else "or more"
        return f"{label} must be {limit[2]}{_unit(key)} {side}."
    contradicts = _CONTRADICTS.search(message)
    if contradicts:
        return (
            f"This outcome does not agree with the improvement of {contradicts[1]}%: change "
            "one of them, or leave the outcome empty."
        )
    known = _known_key(message)
    return _KNOWN[known].format(label=label) if known else message


def _known_key(message: str) -> str:
    return next((start for start in _KNOWN if message.startswith(start)), "")


# The core's messages a person gets in other words ({label}: the field's name).
_KNOWN: dict[str, str] = {
    "is required": "{label} is needed.",
    "must be a number": "{label} must be a number.",
    "must be a whole number": "{label} must be a whole number.",
    "unknown antidepressant": (
        "Unknown antidepressant; choose one from the list. For a drug not on the list, also "
        "give its minimum adequate dose and its class."
    ),
    "unknown augmentation agent": "Unknown medicine; choose one from the list.",
    "unknown class": "Unknown drug class; choose one from the list.",
    "needs at least one": NO_DOSES,
    'only for role "combination"': (
        "Only for a combination: choose the role “combination”, or leave this empty."
    ),
    "is before start": "The end date is before the start date.",
}


def _label(form: Any, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label or name.replace("_", " ").capitalize()) if field else name


def _place(form: Any, formset: Any, rows: list[int], sub: str, message: str) -> None:
    """Put one error about the edited item next to its field (or its dose row)."""
    dose = _DOSE.match(sub)
    if dose and formset is not None and int(dose[1]) < len(rows):
        row = formset.forms[rows[int(dose[1])]]
        name = field_name(dose[2])
        plain = plain_message(dose[2], DOSE_LABELS.get(dose[2], "This value"), message)
        row.add_error(name if name in row.fields else None, plain)
    elif sub == "doses" and formset is not None and formset.forms:
        formset.forms[0].add_error("from_date", plain_message("doses", "Dose timeline", message))
    elif field_name(sub) in form.fields:
        name = field_name(sub)
        form.add_error(name, plain_message(sub, _label(form, name), message))
    else:
        form.add_error(None, plain_message(sub, sub.replace("_", " ") or "This item", message))


def require_doses(formset: Any, steps: list[dict[str, Any]]) -> None:
    """A drug trial needs a dose: said on the first dose row, with the form's other errors."""
    if not steps and formset is not None and formset.forms:
        formset.forms[0].add_error("from_date", NO_DOSES)


def put_errors(
    form: Any, exc: InvalidInput, section: str, index: int, formset: Any = None, rows: Any = ()
) -> None:
    """Put the core's errors about item ``index`` of ``section`` next to the fields (and dose
    rows) of its form; errors about anything else above the form, with their paths."""
    split = hd.split_errors(exc.errors, section, index)
    for sub, found in split.mine.items():
        for message in found:
            _place(form, formset, list(rows), sub, message)
    errors_onto(form, split.others, place=with_path(None))
