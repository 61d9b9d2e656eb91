"""Form fields generated from a protocol's ``FieldSpec``s: one builder for the session form,
the amendment form and the REMS monitoring form, so no protocol has a template of its own.

Every generated field is optional at the form level: a draft may be incomplete, and whether a
session can be signed is the protocol check's decision (a missing required field is a block
finding there). The form only refuses what cannot be stored: a number that is not a number, a
choice that is not offered, text too long. Numbers get a numeric keyboard on a tablet
(``inputmode``); the unit is shown next to the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from trdnav.core.errors import FieldError
from trdnav.patients.pages import errors_onto

TEXT_LENGTH = 1000
FIELD_PREFIX = "f_"
YES_NO = (("", "Not recorded"), ("yes", "Yes"), ("no", "No"))
# Words in a field's name that place it before, during or after the treatment itself (a word
# may carry minutes: ``bp_post40_systolic``).
GROUP_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("before", ("before", "pre", "predose", "baseline", "screen", "screening")),
    ("during", ("during", "intra", "peak", "observed", "monitored")),
    ("after", ("after", "post", "discharge", "escort", "observation", "leave")),
    ("after", ("reorientation", "cognitive", "transport")),
)
GROUP_LABELS = {
    "before": "Before the treatment",
    "session": "The treatment",
    "during": "During the treatment",
    "after": "After the treatment",
}
GROUP_ORDER = ("before", "session", "during", "after")


def form_name(spec_name: str) -> str:
    return f"{FIELD_PREFIX}{spec_name}"


def _marks(word: str, marker: str) -> bool:
    return word == marker or (word.startswith(marker) and word[len(marker) :].isdigit())


def group_of(spec_name: str) -> str:
    """``before``, ``during`` or ``after`` when a word of the field's name says so, else
    ``session`` (the treatment itself: dose, device, parameters)."""
    words = spec_name.lower().split("_")
    for group, markers in GROUP_WORDS:
        if any(_marks(word, marker) for word in words for marker in markers):
            return group
    return "session"


def _number_attrs(spec: Any, mode: str) -> dict[str, str]:
    attrs = {"inputmode": mode, "class": "touch", "autocomplete": "off"}
    if spec.unit:
        attrs["aria-describedby"] = f"unit-{spec.name}"
    return attrs


def field_for(spec: Any) -> forms.Field:
    """The Django form field for one ``FieldSpec`` (kind: number, integer, minutes, text,
    choice, boolean, datetime)."""
    common: dict[str, Any] = {"required": False, "label": spec.label, "help_text": spec.help}
    kind = spec.kind
    if kind == "number":
        widget = forms.TextInput(attrs=_number_attrs(spec, "decimal"))
        return forms.FloatField(widget=widget, **common)
    if kind in ("integer", "minutes"):
        widget = forms.TextInput(attrs=_number_attrs(spec, "numeric"))
        return forms.IntegerField(widget=widget, **common)
    if kind == "choice":
        choices = [("", "Not recorded"), *((c, c.replace("_", " ")) for c in spec.choices)]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == "boolean":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == "datetime":
        widget = forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "touch"}, format="%Y-%m-%dT%H:%M"
        )
        return forms.DateTimeField(widget=widget, input_formats=["%Y-%m-%dT%H:%M"], **common)
    widget = forms.TextInput(attrs={"class": "touch", "maxlength": str(TEXT_LENGTH)})
    return forms.CharField(max_length=TEXT_LENGTH, widget=widget, **common)


def add_spec_fields(form: forms.BaseForm, specs: Iterable[Any]) -> None:
    for spec in specs:
        form.fields[form_name(spec.name)] = field_for(spec)


def stored_value(spec: Any, value: Any) -> Any:
    """A cleaned form value as stored in a session's JSON values (None: not recorded)."""
    if value in (None, ""):
        return None
    if spec.kind == "boolean":
        return value == "yes"
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value


def initial_value(spec: Any, value: Any) -> Any:
    """A stored JSON value as the form shows it."""
    if value is None:
        return None
    if spec.kind == "boolean":
        return "yes" if value is True else "no" if value is False else None
    if spec.kind == "datetime" and isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
    return value


def values_from(form: forms.BaseForm, specs: Sequence[Any]) -> dict[str, Any]:
    """The recorded values of a valid form, by field name; unrecorded fields are left out."""
    data = form.cleaned_data
    found = {spec.name: stored_value(spec, data.get(form_name(spec.name))) for spec in specs}
    return {name: value for name, value in found.items() if value is not None}


def initial_from(values: Mapping[str, Any], specs: Sequence[Any]) -> dict[str, Any]:
    return {form_name(spec.name): initial_value(spec, values.get(spec.name)) for spec in specs}


def groups(
    form: forms.BaseForm,
    specs: Sequence[Any],
    number: int | None = None,
    flagged: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The form's fields in fieldsets (before, the treatment, during, after), each field with
    its spec (unit) and whether it is required to sign session ``number`` (some fields are
    required only at given sessions, such as a motor threshold re-measurement). ``flagged``:
    field name → the most serious level of the findings that name it (highlighted)."""
    by_group: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUP_ORDER}
    for spec in specs:
        bound = form[form_name(spec.name)]
        at = tuple(getattr(spec, "required_at_sessions", ()))
        required = bool(spec.required) or (number is not None and number in at)
        row = {"field": bound, "spec": spec, "required": required}
        row["flag"] = (flagged or {}).get(spec.name, "")
        by_group[group_of(spec.name)].append(row)
    return [
        {"id": group, "label": GROUP_LABELS[group], "rows": rows}
        for group, rows in by_group.items()
        if rows
    ]


def put_field_errors(form: forms.BaseForm, errors: Iterable[FieldError]) -> None:
    """A service's or the core's ``FieldError``s next to the fields they name (a name outside
    the form goes above it, with the name)."""

    def place(error: FieldError) -> tuple[str | None, str]:
        name = form_name(str(error.field).removeprefix("values.").removeprefix("fields."))
        if name in form.fields:
            return name, error.message
        return None, f"{error.field}: {error.message}"

    errors_onto(form, errors, place=place)
