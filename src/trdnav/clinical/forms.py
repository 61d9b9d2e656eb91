"""The clinical-profile form: facts and preferences from the vocabulary, medications one per
line; and the advanced import of a whole treatment history as JSON (the structured editor is
in ``history_forms``)."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from trdnav.core.knowledge import load_therapies


def _choices(codes: Any) -> list[tuple[str, str]]:
    return [(code, f"{code.replace('_', ' ')} — {entry.meaning}") for code, entry in codes.items()]


class ClinicalProfileForm(forms.Form):
    facts = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Clinical facts (true now)"
    )
    preferences = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Patient preferences"
    )
    medications = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Current medications",
        help_text="Generic names, one per line.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vocabulary = load_therapies().vocabulary
        self.fields["facts"].choices = _choices(vocabulary.facts)  # type: ignore[attr-defined]
        self.fields["preferences"].choices = _choices(vocabulary.preferences)  # type: ignore[attr-defined]

    def clean_medications(self) -> list[str]:
        text: str = self.cleaned_data["medications"]
        return [line.strip() for line in text.splitlines() if line.strip()]

    @staticmethod
    def initial_for(profile: Any) -> dict[str, Any]:
        return {
            "facts": list(profile.facts),
            "preferences": list(profile.preferences),
            "medications": "\n".join(profile.medications),
        }


class HistoryImportForm(forms.Form):
    """Advanced: paste a whole history document."""

    revision = forms.CharField(widget=forms.HiddenInput, required=False)
    history = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "class": "code", "spellcheck": "false"}),
        label="Treatment history (JSON)",
        help_text="The whole history as JSON (docs/history-schema.md); it replaces the stored "
        "one. Leave empty to remove the history.",
    )

    def clean_history(self) -> Any:
        text: str = self.cleaned_data["history"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
