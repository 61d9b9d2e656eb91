"""The clinical-profile form: facts and preferences from the vocabulary, medications one per
line. The treatment history has its own editor (``history_forms``)."""

from __future__ import annotations

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
