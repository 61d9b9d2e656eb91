from __future__ import annotations

from typing import Any

from django import forms


class ReportFilterForm(forms.Form):
    since = forms.DateField(
        required=False, label="Courses started from", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "the end date must not be before the start date")
        return cleaned
