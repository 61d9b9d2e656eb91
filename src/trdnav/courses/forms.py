"""The course pages' forms. Session, amendment and REMS forms are generated from the
protocol's field specs (``trdnav.courses.fields``); each carries a submission token so that a
form sent twice is stored once (the token becomes the service's idempotency key)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms

from trdnav.courses.fields import add_spec_fields
from trdnav.web.widgets import IsoDateField

REASON_LENGTH = 1000
REASON_HINT = "Required; at most 1000 characters."
MAX_SESSIONS = 60


def _reason_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_LENGTH,
        help_text=help_text or REASON_HINT,
        widget=forms.Textarea(attrs={"rows": 3, "class": "touch"}),
    )


class TokenForm(forms.Form):
    submission_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def key(self, prefix: str) -> str | None:
        token = getattr(self, "cleaned_data", {}).get("submission_token")
        return f"{prefix}-{token}" if token else None


class PlanForm(TokenForm):
    protocol = forms.ChoiceField(label="Protocol", widget=forms.RadioSelect)
    start = IsoDateField(label="First session on")
    sessions = forms.IntegerField(
        label="Number of sessions",
        required=False,
        min_value=1,
        max_value=MAX_SESSIONS,
        help_text="Leave empty for the protocol's usual course.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "touch"}),
    )

    def __init__(self, *args: Any, protocols: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(p.id, p.name) for p in protocols]
        self.fields["protocol"].choices = choices  # type: ignore[attr-defined]


class SessionForm(TokenForm):
    """The session's values, one field per ``FieldSpec``."""

    def __init__(self, *args: Any, specs: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specs = tuple(specs)
        add_spec_fields(self, self.specs)


class SignForm(forms.Form):
    """One written override reason per block rule the signer lifts."""

    def __init__(self, *args: Any, rules: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rule, message in rules:
            self.fields[f"override_{rule}"] = _reason_field(
                f"Reason for signing despite: {message}",
                "Required: why it is safe to sign this session with this value. Kept with "
                "the session and shown on the course summary.",
            )

    def overrides(self) -> dict[str, str]:
        return {
            name.removeprefix("override_"): str(value).strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("override_") and str(value).strip()
        }


class AmendForm(SessionForm):
    reason = _reason_field(
        "Reason for the amendment",
        "Required: what was wrong and why it is changed. The earlier values are kept.",
    )


class RemsForm(TokenForm):
    def __init__(self, *args: Any, specs: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specs = tuple(specs)
        add_spec_fields(self, self.specs)


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label="How did the course end?",
        choices=(("completed", "Completed"), ("stopped", "Stopped early")),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (required when stopped early)",
        required=False,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "touch"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == "stopped" and not str(data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason the course was stopped.")
        return data
