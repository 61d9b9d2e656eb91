"""The assessment form, generated from an instrument's definition in the knowledge base.

One radio group per item (label and answer options from the definition). An item left blank is
unanswered: the core then reports the form as incomplete, never as a lower score. The form only
parses; the service scores, refuses and stores.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from trdnav.core.errors import FieldError
from trdnav.core.instruments import InputKind, Instrument, Item
from trdnav.core.knowledge import fields
from trdnav.web.widgets import IsoDateField

YES_NO = (("yes", "yes"), ("no", "no"))
_ITEM_PATH = re.compile(r"^answers\.items\[(\d+)\]$")


def _choices(item: Item) -> list[tuple[str, str]]:
    answers = item.answers
    if answers.kind == "boolean":
        return list(YES_NO)
    choices = []
    for value in range(answers.minimum, answers.maximum + 1):
        option = answers.option(value)
        choices.append((str(value), f"{value} — {option.label}" if option else str(value)))
    return choices


def _item_field(item: Item, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=_choices(item),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "answer-options"}),
    )


class AssessmentForm(forms.Form):
    """Fields: ``administered_on``, then one per item (``item_1``…, extra keys, ``score``, or the
    C-SSRS ``q1``… and ``version``)."""

    administered_on = IsoDateField(label="Date administered", bounded=False)
    # One token per form shown: a second POST of the same form (double click, Back and send,
    # a browser retry) finds the assessment the first one stored (``views.record``).
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"administered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        definition = instrument.definition
        for item in definition.items:
            self.fields[self.field_name(item)] = _item_field(item, self._label(item))
        for item in definition.extra_items:
            self.fields[item.key] = _item_field(item, item.label)
        if definition.input_kind == InputKind.CSSRS:
            self.fields["version"] = forms.ChoiceField(
                label="Version", choices=[(v, v.replace("_", " ")) for v in self._versions()]
            )

    def _label(self, item: Item) -> str:
        if self.instrument.definition.input_kind == InputKind.ITEMS:
            return f"{item.number}. {item.label}"
        return item.label

    def _versions(self) -> tuple[str, ...]:
        where = f"instruments/{self.instrument.code}.toml [algorithm.versions]"
        spec = fields.table(self.instrument.definition.algorithm, "versions", where)
        return fields.texts(spec, "allowed", where)

    def field_name(self, item: Item) -> str:
        if self.instrument.definition.input_kind == InputKind.ITEMS:
            return f"item_{item.number}"
        return item.key

    def item_fields(self) -> list[forms.BoundField]:
        skip = ("administered_on", "submission_token")
        return [self[name] for name in self.fields if name not in skip]

    def answers(self) -> dict[str, Any]:
        """The answers object the core reads (``{"items": [...]}``, ``{"score": n}``, C-SSRS)."""
        data = self.cleaned_data
        definition = self.instrument.definition
        if definition.input_kind == InputKind.CSSRS:
            said = {item.key: _yes_no(data.get(item.key)) for item in definition.items}
            return {**said, "version": data.get("version")}
        if definition.input_kind == InputKind.SCORE:
            return {"score": _number(data.get("score"))}
        items = [_number(data.get(self.field_name(item))) for item in definition.items]
        extras = {i.key: _number(data[i.key]) for i in definition.extra_items if data.get(i.key)}
        return {"items": items, **extras}

    def service_error_target(self, error: FieldError) -> tuple[str | None, str]:
        """Where one of the service's errors goes (``patients.pages.errors_onto``): next to the
        item it names, else above the form."""
        if error.field == "idempotency_key":
            return None, "This form was already sent with other answers; open a new form."
        if error.field == "answers":
            return None, "No item is answered: an empty form is not recorded."
        return self._field_for(error.field), error.message

    def _field_for(self, path: str) -> str | None:
        match = _ITEM_PATH.match(path)
        name = f"item_{int(match.group(1)) + 1}" if match else path.removeprefix("answers.")
        return name if name in self.fields else None


def _number(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class VoidForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Why is this assessment void?",
        help_text="For example: entered for the wrong patient, or a form sent by mistake. "
        "The assessment stays in the record, marked void, and no longer counts anywhere.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
