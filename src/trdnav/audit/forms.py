from __future__ import annotations

from typing import Any

from django import forms

from trdnav.audit.models import Action


class AuditFilterForm(forms.Form):
    user = forms.CharField(required=False, max_length=150, label="Username")
    patient = forms.CharField(required=False, max_length=40, label="Patient record number")
    action = forms.ChoiceField(required=False, choices=[("", "any"), *Action.choices])
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "the end date must not be before the start date")
        return cleaned
