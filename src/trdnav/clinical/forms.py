"""The clinical-profile form (the treatment history's forms are in the history app).

Every fact of the vocabulary is a three-way choice: *Present*, *Absent (checked)* or *Not
checked*. Not checked is the default and means unknown to the engine, which never shows an
option whose safety depends on it as suitable. Dated facts (heart attack, stroke, …) take an
optional date and pregnancy an optional trimester.

Medications: one per line, a generic name; a medicine stopped recently is written with its
stop date after a semicolon, ``fluoxetine; stopped 2026-11-01`` (it still counts inside its
washout). An empty list is *not recorded* unless "Medications reviewed: none" is ticked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

from trdnav.clinical.fact_words import fact_label, grouped
from trdnav.clinical.words import codes_as_words
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.knowledge import load_therapies
from trdnav.core.limits import MAX_CODE_LENGTH, MAX_LIST_ITEMS
from trdnav.patients.pages import errors_onto

PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"
STATE_CHOICES = ((PRESENT, "Present"), (ABSENT, "Absent (checked)"), (UNKNOWN, "Not checked"))
TRIMESTER_CHOICES = (("", "Not known"), ("1", "First"), ("2", "Second"), ("3", "Third"))
TRIMESTER_FACTS = frozenset({"pregnancy"})
STOPPED = re.compile(r"^stopped(?:\s+on)?\s+(\S+)$", re.IGNORECASE)
MEDICATION_SYNTAX = "fluoxetine; stopped 2026-11-01"
WHERE = "Current medications,"


def _choices(codes: Any) -> list[tuple[str, str]]:
    return [(code, f"{code.replace('_', ' ')} — {entry.meaning}") for code, entry in codes.items()]


def state_field(code: str) -> str:
    return f"fact__{code}"


def on_field(code: str) -> str:
    return f"fact__{code}__on"


def trimester_field(code: str) -> str:
    return f"fact__{code}__trimester"


@dataclass(frozen=True)
class FactRow:
    """One line of the facts table: the choice, and the date or trimester where it applies."""

    code: str
    label: str
    help: str
    state: forms.BoundField
    on: forms.BoundField | None
    trimester: forms.BoundField | None

    @property
    def errors(self) -> list[str]:
        parts = [self.state, self.on, self.trimester]
        return [str(e) for part in parts if part is not None for e in part.errors]


@dataclass(frozen=True)
class FactGroupRows:
    key: str
    heading: str
    rows: list[FactRow]


def _fact_entry(raw: Any) -> tuple[str, dict[str, Any]]:
    """A stored fact as (code, details): ``"x"`` or ``{"code": "x", "on": ..., ...}``."""
    if isinstance(raw, Mapping):
        return str(raw.get("code", "")), {k: v for k, v in raw.items() if k != "code"}
    return str(raw), {}


def parse_medication_lines(text: str) -> list[Any]:
    """``name`` or ``name; stopped YYYY-MM-DD`` per line; raises ValidationError naming the
    line in plain words."""
    entries: list[Any] = []
    problems: list[str] = []
    lines = [line.strip() for line in text.splitlines()]
    if sum(1 for line in lines if line) > MAX_LIST_ITEMS:
        raise forms.ValidationError(f"{WHERE}: at most {MAX_LIST_ITEMS} medicines.")
    if any(len(line) > MAX_CODE_LENGTH for line in lines):
        raise forms.ValidationError(f"{WHERE}: each line at most {MAX_CODE_LENGTH} characters.")
    for number, line in enumerate((line for line in lines if line), start=1):
        name, _, rest = (part.strip() for part in line.partition(";"))
        if not name:
            problems.append(f"{WHERE} line {number}: the medicine's name is missing before “;”.")
            continue
        if not rest:
            entries.append(name)
            continue
        match = STOPPED.match(rest)
        if match is None:
            problems.append(
                f"{WHERE} line {number} (“{line}”): after the “;” write the date it was stopped, "
                f"like “{MEDICATION_SYNTAX}”."
            )
            continue
        try:
            stopped = date.fromisoformat(match.group(1))
        except ValueError:
            problems.append(
                f"{WHERE} line {number}: “{match.group(1)}” is not a date; write it as YYYY-MM-DD."
            )
            continue
        entries.append({"name": name, "stopped_on": stopped.isoformat()})
    if problems:
        raise forms.ValidationError(problems)
    return entries


def medication_lines(medications: list[Any] | None) -> str:
    """The stored list as the text box shows it (the inverse of ``parse_medication_lines``)."""
    lines = []
    for entry in medications or []:
        if isinstance(entry, Mapping):
            stopped = entry.get("stopped_on")
            name = str(entry.get("name", ""))
            lines.append(f"{name}; stopped {stopped}" if stopped else name)
        else:
            lines.append(str(entry))
    return "\n".join(lines)


class ClinicalProfileForm(forms.Form):
    preferences = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Patient preferences"
    )
    medications = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        label="Current medications",
        help_text="Generic names, one per line. A medicine stopped recently still matters "
        f"during its washout: add its stop date after a semicolon, e.g. “{MEDICATION_SYNTAX}”.",
    )
    medications_none = forms.BooleanField(
        required=False,
        label="Medications reviewed: none",
        help_text="Tick when the patient takes no medicines. Leave it unticked and the list "
        "empty when the medications have not been recorded: interactions then count as not "
        "checked.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vocabulary = load_therapies().vocabulary
        self.fields["preferences"].choices = _choices(vocabulary.preferences)  # type: ignore[attr-defined]
        self.fact_codes: list[str] = list(vocabulary.facts)
        self.meanings = {
            code: codes_as_words(entry.meaning) for code, entry in vocabulary.facts.items()
        }
        self.dated = {code for code, entry in vocabulary.facts.items() if entry.dated}
        for code in self.fact_codes:
            self._add_fact_fields(code)
        # Index of each list the core will see, back to the form's field (for its errors).
        self.fact_at: list[str] = []
        self.absent_at: list[str] = []

    def _add_fact_fields(self, code: str) -> None:
        label = fact_label(code)
        self.fields[state_field(code)] = forms.ChoiceField(
            choices=STATE_CHOICES,
            required=False,
            initial=UNKNOWN,
            label=label,
            widget=forms.RadioSelect(attrs={"aria-describedby": f"help-{code}"}),
            error_messages={
                "invalid_choice": f"{label}: choose Present, Absent (checked) or Not checked."
            },
        )
        if code in self.dated:
            self.fields[on_field(code)] = forms.DateField(
                required=False,
                input_formats=["%Y-%m-%d"],  # 01/02/2026 could be either month
                label=f"{label}: date",
                widget=forms.DateInput(
                    attrs={"type": "date", "aria-describedby": f"help-{code}-on"}
                ),
                error_messages={"invalid": f"{label}: enter the date as YYYY-MM-DD."},
            )
        if code in TRIMESTER_FACTS:
            self.fields[trimester_field(code)] = forms.TypedChoiceField(
                choices=TRIMESTER_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                label=f"{label}: trimester",
                widget=forms.Select(attrs={"aria-describedby": f"help-{code}-trimester"}),
                error_messages={"invalid_choice": f"{label}: the trimester is 1, 2 or 3."},
            )

    @staticmethod
    def initial_for(profile: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "preferences": list(profile.preferences),
            "medications": medication_lines(profile.medications),
            "medications_none": profile.medications == [],
        }
        vocabulary = load_therapies().vocabulary
        for raw in profile.absent_facts or []:
            code = vocabulary.aliases.get(str(raw), str(raw))
            for member in vocabulary.members(code):
                initial[state_field(member)] = ABSENT
        for raw in profile.facts or []:
            code, details = _fact_entry(raw)
            code = vocabulary.aliases.get(code, code)
            initial[state_field(code)] = PRESENT
            if details.get("on"):
                initial[on_field(code)] = details["on"]
            if details.get("trimester") is not None:
                initial[trimester_field(code)] = str(details["trimester"])
        return initial

    def fact_groups(self) -> list[FactGroupRows]:
        """The facts table, grouped by kind, for the template."""
        return [
            FactGroupRows(key, heading, [self._row(code) for code in codes])
            for key, heading, codes in grouped(self.fact_codes)
        ]

    def _row(self, code: str) -> FactRow:
        return FactRow(
            code=code,
            label=fact_label(code),
            help=self.meanings.get(code, ""),
            state=self[state_field(code)],
            on=self[on_field(code)] if code in self.dated else None,
            trimester=self[trimester_field(code)] if code in TRIMESTER_FACTS else None,
        )

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("preferences", "medications", "medications_none")]

    def clean_medications(self) -> list[Any]:
        return parse_medication_lines(self.cleaned_data["medications"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        facts: list[Any] = []
        absent: list[str] = []
        self.fact_at, self.absent_at = [], []
        for code in self.fact_codes:
            state = cleaned.get(state_field(code)) or UNKNOWN
            details = self._details(code, cleaned, state)
            if state == PRESENT:
                facts.append({"code": code, **details} if details else code)
                self.fact_at.append(code)
            elif state == ABSENT:
                absent.append(code)
                self.absent_at.append(code)
        cleaned["facts"], cleaned["absent_facts"] = facts, absent
        self._clean_medication_state(cleaned)
        return cleaned

    def _details(self, code: str, cleaned: Mapping[str, Any], state: str) -> dict[str, Any]:
        details: dict[str, Any] = {}
        label = fact_label(code)
        on = cleaned.get(on_field(code))
        trimester = cleaned.get(trimester_field(code))
        if on is not None:
            details["on"] = on.isoformat()
        if trimester is not None:
            details["trimester"] = trimester
        if details and state != PRESENT:
            where = on_field(code) if on is not None else trimester_field(code)
            what = "a date" if on is not None else "a trimester"
            self.add_error(
                where,
                f"{label}: {what} is given but the fact is not marked Present. "
                "Mark it Present, or clear it.",
            )
        return details

    def _clean_medication_state(self, cleaned: dict[str, Any]) -> None:
        entries = cleaned.get("medications")
        if entries is None:  # the text itself was refused
            return
        if cleaned.get("medications_none"):
            if entries:
                self.add_error(
                    "medications_none",
                    "“Medications reviewed: none” is ticked but medicines are listed: untick it "
                    "or clear the list.",
                )
            cleaned["medications"] = []
        elif not entries:
            cleaned["medications"] = None

    def profile_data(self) -> dict[str, Any]:
        """What ``update_clinical_profile`` stores (the history is edited elsewhere)."""
        keys = ("facts", "absent_facts", "preferences", "medications")
        return {key: self.cleaned_data[key] for key in keys}

    def add_core_errors(self, exc: InvalidInput) -> None:
        """The core's field paths (``facts[2].on``, ``medications[1]``) back on the form's
        fields, in plain words."""
        errors_onto(self, exc, place=self.core_error_target)

    def core_error_target(self, error: FieldError) -> tuple[str | None, str]:
        """Where one of the core's errors goes (``patients.pages.errors_onto``), in words."""
        name, words = self._core_target(error.field)
        return name, f"{words}{error.message}"

    def _core_target(self, path: str) -> tuple[str | None, str]:
        match = re.match(r"^(facts|absent_facts|medications|preferences)(?:\[(\d+)\])?(.*)$", path)
        if match is None:
            words = "Date of birth (patient details)" if path in ("date_of_birth", "age") else path
            return None, f"{words}: "
        key, index, rest = match.group(1), match.group(2), match.group(3)
        at = int(index) if index is not None else None
        if key in ("facts", "absent_facts") and at is not None:
            codes = self.fact_at if key == "facts" else self.absent_at
            if at < len(codes):
                return self._fact_target(codes[at], rest)
        if key == "medications":
            line = "" if at is None else f" line {at + 1}"
            part = {".stopped_on": " (stop date)", ".name": " (name)"}.get(rest, "")
            return "medications", f"Current medications{line}{part}: "
        if key == "preferences":
            return "preferences", "Patient preferences: "
        return None, f"{path}: "

    def _fact_target(self, code: str, rest: str) -> tuple[str, str]:
        label = fact_label(code)
        if rest == ".on" and code in self.dated:
            return on_field(code), f"{label}, date: "
        if rest == ".trimester" and code in TRIMESTER_FACTS:
            return trimester_field(code), f"{label}, trimester: "
        return state_field(code), f"{label}: "
