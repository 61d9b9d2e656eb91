"""The clinic admin's crisis help form: the words, and up to four named numbers (P-PH3)."""

from __future__ import annotations

from typing import Any

from django import forms

from trdnav.portal.services.crisis_help import (
    MAX_LABEL_LENGTH,
    MAX_NUMBERS,
    MAX_TEXT_LENGTH,
    CrisisNumber,
    label_problem,
    number_problem,
)


class CrisisHelpForm(forms.Form):
    text = forms.CharField(
        required=False,
        label="What to do in a crisis",
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown above the numbers. Leave empty to show the standard words: call your "
        "local emergency number or go to the nearest emergency department.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_NUMBERS + 1):
            self.fields[f"label_{i}"] = forms.CharField(
                required=False,
                label=f"Name of number {i}",
                max_length=MAX_LABEL_LENGTH,
                help_text="For example “Emergency services” or “Clinic duty line”."
                if i == 1
                else "",
            )
            self.fields[f"number_{i}"] = forms.CharField(
                required=False,
                label=f"Number {i}",
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                help_text="Digits, with an optional + at the start, as a patient would dial it."
                if i == 1
                else "",
            )

    @classmethod
    def initial_for(cls, text: str, numbers: list[CrisisNumber]) -> dict[str, str]:
        initial = {"text": text}
        for i, n in enumerate(numbers[:MAX_NUMBERS], start=1):
            initial[f"label_{i}"], initial[f"number_{i}"] = n.label, n.number
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems: dict[str, str] = {}
        for i in range(1, MAX_NUMBERS + 1):
            problems.update(_row_problems(i, data))
        if problems:
            # A dict puts each message on its field.
            raise forms.ValidationError(problems)
        return data

    def numbers(self) -> list[CrisisNumber]:
        found = []
        for i in range(1, MAX_NUMBERS + 1):
            number = str(self.cleaned_data.get(f"number_{i}") or "").strip()
            if number:
                found.append(CrisisNumber(str(self.cleaned_data[f"label_{i}"]).strip(), number))
        return found


def _row_problems(i: int, data: dict[str, Any]) -> dict[str, str]:
    """What is wrong with the ``i``-th name and number, by field (nothing for an empty row)."""
    label = str(data.get(f"label_{i}") or "").strip()
    number = str(data.get(f"number_{i}") or "").strip()
    problems: dict[str, str] = {}
    if not label and not number:
        return problems
    if not number:
        problems[f"number_{i}"] = f"Enter number {i}, or clear its name."
    elif problem := number_problem(number):
        problems[f"number_{i}"] = f"Number {i}: {problem}"
    if number and (problem := label_problem(label)):
        problems[f"label_{i}"] = f"Name of number {i}: {problem}"
    return problems
