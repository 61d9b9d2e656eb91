"""The safety-review form and the clinic's safety settings form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from trdnav.safety.models import ReviewAction, WorseningChoice

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
YES_NO = (("yes", "Yes: mark high suicide risk"), ("no", "No"))


class ReviewForm(forms.Form):
    actions = forms.MultipleChoiceField(
        label="What was done", choices=ReviewAction.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Choose everything that was done.",
        error_messages={"required": "Say what was done: choose at least one."},
    )  # fmt: skip
    note = forms.CharField(
        label="Note", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was said or decided. Required when you choose 'Other'.",
    )  # fmt: skip
    done_at = forms.DateTimeField(
        label="Done at", input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text="When it was done: now, or earlier today if you are writing it up later.",
        error_messages={"invalid": "Give a date and time, e.g. 2026-11-30 14:05."},
    )  # fmt: skip
    mark_high_risk = forms.ChoiceField(
        label="Mark high suicide risk for treatment options?", choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Yes adds 'High suicide risk' to the clinical profile: the options then "
        "weigh it (for example ECT and lithium rise). Nothing is marked without your yes.",
        error_messages={"required": "Answer yes or no."},
    )  # fmt: skip

    def __init__(self, *args: Any, already_high_risk: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"done_at": timezone.localtime().replace(second=0)})
        super().__init__(*args, **kwargs)
        if already_high_risk:  # the profile says so already: nothing to ask
            del self.fields["mark_high_risk"]

    def review_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["mark_high_risk"] = data.get("mark_high_risk") == "yes"
        return data


class SettingsForm(forms.Form):
    worsening_rule = forms.ChoiceField(
        label="Which change counts as worsening on the dashboard",
        choices=WorseningChoice.choices, widget=forms.RadioSelect,
    )  # fmt: skip
