"""The clinical-profile form: facts and preferences from the vocabulary, medications one per
line; and the advanced import of a whole treatment history as JSON (the structured editor is
in ``history_forms``)."""

from __future__ import annotations

from typing import Any

from django import forms

from trdnav.core.errors import InvalidInput
from trdnav.core.jsonin import load_json
from trdnav.core.knowledge import load_therapies
from trdnav.core.limits import MAX_CODE_LENGTH, MAX_LIST_ITEMS


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
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_LIST_ITEMS:
            raise forms.ValidationError(f"At most {MAX_LIST_ITEMS} medications.")
        if any(len(line) > MAX_CODE_LENGTH for line in lines):
            raise forms.ValidationError(f"Each line at most {MAX_CODE_LENGTH} characters.")
        return lines

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
            return load_json(text, field="history")
        except InvalidInput as exc:
            # Messages read "history: is nested more than 32 levels deep", "treatments[0].notes:
            # must not contain a NUL character"; never the submitted text itself.
            raise forms.ValidationError(
                [f"{error.field}: {error.message}" for error in exc.errors]
            ) from None
