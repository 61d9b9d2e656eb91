"""Portal forms. The questionnaire form is generated from the instrument's definition: one
fieldset per item, its label as the legend, one radio button per allowed answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from trdnav.core.instruments import Instrument
from trdnav.core.instruments.definition import Item
from trdnav.core.limits import MAX_NOTE_LENGTH
from trdnav.portal.models import ReportKind, Severity
from trdnav.portal.services.messaging import BODY_LENGTH
from trdnav.portal.services.schedules import MAX_EVERY_DAYS, patient_instruments
from trdnav.web.widgets import IsoDateField

REQUIRED_ANSWER = "Please choose an answer for this question."


def _answer_field(item: Item) -> forms.TypedChoiceField:
    choices = [(str(option.value), option.label.capitalize()) for option in item.answers.options]
    return forms.TypedChoiceField(
        label=item.label[:1].upper() + item.label[1:],
        choices=choices,
        coerce=int,
        required=True,
        widget=forms.RadioSelect,
        error_messages={"required": REQUIRED_ANSWER},
    )


class QuestionnaireForm(forms.Form):
    """Every scored item must be answered (nothing partial is stored). Unscored extra items
    (PHQ-9's item 10) are left out: their knowledge-base labels are written for clinicians.
    A double submit stores one result: the server keys it by the schedule's occurrence
    (``services.questionnaires``), so the page carries no key of its own."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.definition.items:
            self.fields[f"item{item.number}"] = _answer_field(item)

    def item_fields(self) -> list[forms.BoundField]:
        return list(self)

    def answers(self) -> dict[str, Any]:
        """The ``{"items": [...], ...extras}`` object ``score_instrument`` takes."""
        items = self.instrument.definition.items
        return {"items": [self.cleaned_data[f"item{item.number}"] for item in items]}


class InviteForm(forms.Form):
    email = forms.EmailField(help_text="The link is sent here; it works once.")


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(max_length=150, required=False)
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        widget=forms.PasswordInput, strip=False, label="Password (again)"
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data


class ScheduleForm(forms.Form):
    instrument = forms.ChoiceField(choices=())
    every_days = forms.IntegerField(
        min_value=1, max_value=MAX_EVERY_DAYS, label="Every (days)",
        help_text="7 for weekly, 28 for four-weekly.",
    )  # fmt: skip
    start = IsoDateField(label="First due on")
    end = IsoDateField(required=False, label="Last due on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (narrowing for mypy)
        field.choices = [(i.code, f"{i.abbreviation} – {i.name}") for i in patient_instruments()]


class ConcernForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ReportKind.choices, widget=forms.RadioSelect, label="What are you reporting?"
    )
    what = forms.CharField(max_length=200, label="What is it, in a few words?")
    severity = forms.ChoiceField(
        choices=Severity.choices, widget=forms.RadioSelect, label="How bad is it?"
    )
    since = IsoDateField(
        label="Since when?",
        help_text="The day it started, roughly.",
    )  # fmt: skip
    details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Anything else?",
        max_length=MAX_NOTE_LENGTH, help_text=f"Up to {MAX_NOTE_LENGTH} characters.",
    )  # fmt: skip
    self_harm_thoughts = forms.TypedChoiceField(
        choices=(("no", "No"), ("yes", "Yes")),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Have you had thoughts of harming yourself or of ending your life?",
        error_messages={"required": REQUIRED_ANSWER},
    )

    def clean_since(self) -> Any:
        since = self.cleaned_data["since"]
        if since > timezone.localdate():
            raise forms.ValidationError("This date is in the future.")
        return since


class MessageForm(forms.Form):
    subject = forms.CharField(max_length=150)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": BODY_LENGTH}), label="Message",
        help_text=f"Up to {BODY_LENGTH} characters.",
    )  # fmt: skip


class ReplyForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_LENGTH}), label="Your reply",
        help_text=f"Up to {BODY_LENGTH} characters.",
    )  # fmt: skip


class QuestionForm(forms.Form):
    text = forms.CharField(
        max_length=500, label="A question for your next visit", help_text="Up to 500 characters."
    )
