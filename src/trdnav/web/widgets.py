"""Form pieces shared by every app: a date field that works in every browser locale.

A browser's ``<input type="date">`` accepts only an ISO value (``2026-11-30``) and always
submits ISO, whatever it displays; a value in the site's locale format (``30/11/2026``) is
dropped, leaving the field empty (the "First due on" bug). ``IsoDateInput`` therefore always
renders ISO, and ``IsoDateField`` parses ISO (Django accepts it besides the locale's formats,
which matter only where a browser shows a plain text box), and refuses a date outside
``trdnav.core.limits`` (no 1 January 1000).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from trdnav.core.limits import EARLIEST_DATE, LATEST_DATE

ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        bounds = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
        super().__init__(attrs={**bounds, **(attrs or {})}, format=ISO_DATE)


class IsoDateField(forms.DateField):
    widget = IsoDateInput

    def __init__(self, *, bounded: bool = True, **kwargs: Any) -> None:
        """``bounded=False`` leaves the range to a service with a stricter rule (an
        assessment date: not in the future, not before birth)."""
        kwargs.setdefault("widget", IsoDateInput)
        super().__init__(**kwargs)
        self.bounded = bounded

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        if self.bounded and day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise forms.ValidationError(
                f"Give a date between {EARLIEST_DATE:%-d %B %Y} and {LATEST_DATE:%-d %B %Y}."
            )
        return day
