"""Advanced: the whole history document pasted as JSON."""

from __future__ import annotations

from typing import Any

from django import forms

from trdnav.core.errors import InvalidInput
from trdnav.core.jsonin import load_json


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
