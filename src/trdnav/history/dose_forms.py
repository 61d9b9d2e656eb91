"""The dose timeline of a drug trial: one row per dose step, in the editor's formset."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from trdnav.history.forms import json_value
from trdnav.web.widgets import IsoDateField


class DoseForm(forms.Form):
    """One step of the dose timeline: from this date, this daily dose."""

    from_date = IsoDateField(required=False, label="From")
    mg_per_day = forms.FloatField(required=False, label="mg/day")

    def to_json(self) -> dict[str, Any] | None:
        data = getattr(self, "cleaned_data", {})
        step = {
            "from": json_value(data.get("from_date")),
            "mg_per_day": json_value(data.get("mg_per_day")),
        }
        step = {k: v for k, v in step.items() if v is not None}
        return step or None


DoseFormSet = forms.formset_factory(DoseForm, extra=3, max_num=60)


def dose_initial(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"from_date": d.get("from"), "mg_per_day": d.get("mg_per_day")}
        for d in item.get("doses") or []
        if isinstance(d, Mapping)
    ]


def doses_json(formset: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled dose steps, and for each the row it came from (to place errors)."""
    steps, rows = [], []
    for row, form in enumerate(formset.forms):
        step = form.to_json()
        if step is not None:
            steps.append(step)
            rows.append(row)
    return steps, rows
