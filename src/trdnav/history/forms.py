"""Forms of the structured history editor: one per episode and one per kind of treatment.

The forms only turn typed values (dates, numbers, choices) into the JSON of
docs/history-schema.md; whether the result is valid — required fields, dose order, references,
overlapping episodes — is decided once, by the core, on the whole document. Its errors come back
with paths such as ``treatments[2].doses[0].mg_per_day`` and are put next to the field
(``put_errors``). Empty fields are left out of the JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django import forms

from trdnav.core.history import (
    EctLaterality,
    Outcome,
    PsychotherapyModality,
    Role,
    Severity,
    TmsProtocol,
    TreatmentKind,
)
from trdnav.core.history.knowledge import drug_classes, load_agents, load_drugs
from trdnav.core.limits import MAX_NOTE_LENGTH
from trdnav.history.document import ids
from trdnav.web.widgets import IsoDateField, IsoDateInput

# JSON keys that cannot be Python names.
FIELD_NAMES = {"from": "from_date", "with": "with_trial"}
COMMON = ("episode", "start", "end", "improvement_pct", "outcome", "stopped_for_intolerance")
DRUG = (*COMMON, "adherence_pct", "min_dose_mg")


def field_name(key: str) -> str:
    return FIELD_NAMES.get(key, key)


def _words(code: str) -> str:
    return code.replace("_", " ")


def _choices(codes: Any, blank: str = "not recorded") -> list[tuple[str, str]]:
    return [("", f"— {blank} —"), *((str(c), _words(str(c))) for c in codes)]


def json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False


def drug_codes() -> list[str]:
    return sorted({info.code for info in load_drugs().values()})


def agent_codes() -> list[str]:
    return sorted({info.code for info in load_agents().values()})


class ItemForm(forms.Form):
    """Turns its fields into one JSON object (``to_json``) and back (``initial_from``)."""

    json_keys: ClassVar[tuple[str, ...]] = ()

    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    def to_json(self) -> dict[str, Any]:
        data = {}
        for key in self.json_keys:
            value = self.cleaned_data.get(field_name(key))
            if not _empty(value):
                data[key] = json_value(value)
        return data

    @classmethod
    def initial_from(cls, item: Mapping[str, Any]) -> dict[str, Any]:
        return {field_name(k): item[k] for k in cls.json_keys if item.get(k) is not None}


class EpisodeForm(ItemForm):
    json_keys: ClassVar[tuple[str, ...]] = (
        "start",
        "end",
        "severity",
        "cgi_s",
        "psychotic_features",
    )

    start = IsoDateField(required=False)
    end = IsoDateField(
        required=False,
        widget=IsoDateInput,
        help_text="Leave empty while the episode is still going on.",
    )
    severity = forms.ChoiceField(required=False, choices=_choices(Severity))
    cgi_s = forms.IntegerField(
        required=False, label="CGI-S (1–7)", help_text="Instead of severity, if that is known."
    )
    psychotic_features = forms.BooleanField(required=False)


class TreatmentForm(ItemForm):
    """The fields every kind shares."""

    kind: ClassVar[TreatmentKind]
    json_keys: ClassVar[tuple[str, ...]] = (*COMMON, "notes")

    episode = forms.ChoiceField(required=False)
    start = IsoDateField(required=False)
    end = IsoDateField(
        required=False,
        widget=IsoDateInput,
        help_text="Leave empty while the treatment continues.",
    )
    improvement_pct = forms.FloatField(
        required=False,
        label="Improvement (%)",
        help_text="Symptom improvement in %, at most 100; negative means worse.",
    )
    outcome = forms.ChoiceField(
        required=False,
        choices=_choices(Outcome),
        help_text="Used when no improvement figure is known; both together must agree.",
    )
    stopped_for_intolerance = forms.BooleanField(required=False)
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_NOTE_LENGTH
    )

    def __init__(self, *args: Any, doc: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.doc = doc
        episodes = ids(doc, "episodes")
        self.fields["episode"].choices = _choices(episodes, "choose")  # type: ignore[attr-defined]
        if len(episodes) == 1 and not self.is_bound:
            self.initial.setdefault("episode", episodes[0])

    def antidepressant_choices(self, exclude: str | None) -> list[tuple[str, str]]:
        trials = [
            str(t.get("id"))
            for t in (self.doc or {}).get("treatments") or []
            if t.get("kind") == TreatmentKind.ANTIDEPRESSANT and t.get("id") != exclude
        ]
        return [("", "— choose —"), *((t, t) for t in trials)]

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), **super().to_json()}


class DrugTrialForm(TreatmentForm):
    json_keys: ClassVar[tuple[str, ...]] = (*DRUG, "notes")

    adherence_pct = forms.FloatField(
        required=False,
        label="Adherence (%)",
        help_text="0–100. Not recorded: assumed adequate and flagged (P-B15).",
    )
    min_dose_mg = forms.FloatField(
        required=False,
        label="Minimum adequate dose (mg/day)",
        help_text="Only to override the knowledge base's minimum, or for a drug not in it.",
    )


class AntidepressantForm(DrugTrialForm):
    kind = TreatmentKind.ANTIDEPRESSANT
    json_keys: ClassVar[tuple[str, ...]] = (
        "drug",
        *DRUG,
        "role",
        "with",
        "drug_class",
        "dose_optimised",
        "duration_optimised",
        "notes",
    )

    drug = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"list": "drug-codes", "autocomplete": "off"}),
        help_text="A drug of the dose table (e.g. sertraline). For another drug, also give its "
        "minimum adequate dose and class.",
    )
    role = forms.ChoiceField(
        required=False,
        choices=[(str(r), _words(str(r))) for r in Role],
        help_text="Combination: a second antidepressant added to another one.",
    )
    with_trial = forms.ChoiceField(
        required=False, label="Combined with", help_text="For a combination only."
    )
    drug_class = forms.ChoiceField(required=False, help_text="For a drug not in the dose table.")
    dose_optimised = forms.BooleanField(required=False, help_text="MGH-S increment (P-B23).")
    duration_optimised = forms.BooleanField(required=False, help_text="MGH-S increment (P-B23).")

    def __init__(self, *args: Any, own_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["with_trial"].choices = self.antidepressant_choices(own_id)  # type: ignore[attr-defined]
        self.fields["drug_class"].choices = _choices(drug_classes())  # type: ignore[attr-defined]


class AugmentationForm(DrugTrialForm):
    kind = TreatmentKind.AUGMENTATION
    json_keys: ClassVar[tuple[str, ...]] = ("agent", "augments", *DRUG, "notes")

    agent = forms.ChoiceField(required=False)
    augments = forms.ChoiceField(
        required=False,
        label="Augments the trial",
        help_text="The antidepressant trial it was added to; it must start during that trial.",
    )

    def __init__(self, *args: Any, own_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = _choices(agent_codes(), "choose")  # type: ignore[attr-defined]
        self.fields["augments"].choices = self.antidepressant_choices(own_id)  # type: ignore[attr-defined]


class CourseForm(TreatmentForm):
    json_keys: ClassVar[tuple[str, ...]] = (*COMMON, "sessions", "notes")

    sessions = forms.IntegerField(required=False, label="Sessions")

    def __init__(self, *args: Any, own_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class EctForm(CourseForm):
    kind = TreatmentKind.ECT
    json_keys: ClassVar[tuple[str, ...]] = ("laterality", *CourseForm.json_keys)
    laterality = forms.ChoiceField(required=False, choices=_choices(EctLaterality))


class TmsForm(CourseForm):
    kind = TreatmentKind.TMS
    json_keys: ClassVar[tuple[str, ...]] = ("protocol", *CourseForm.json_keys)
    protocol = forms.ChoiceField(required=False, choices=_choices(TmsProtocol))


class KetamineForm(CourseForm):
    kind = TreatmentKind.KETAMINE


class EsketamineForm(CourseForm):
    kind = TreatmentKind.ESKETAMINE


class PsychotherapyForm(CourseForm):
    kind = TreatmentKind.PSYCHOTHERAPY
    json_keys: ClassVar[tuple[str, ...]] = ("modality", *CourseForm.json_keys)
    modality = forms.ChoiceField(required=False, choices=_choices(PsychotherapyModality))


FORMS: dict[str, type[TreatmentForm]] = {
    str(form.kind): form
    for form in (
        AntidepressantForm,
        AugmentationForm,
        EctForm,
        TmsForm,
        KetamineForm,
        EsketamineForm,
        PsychotherapyForm,
    )
}
KIND_LABELS = {
    "antidepressant": "Antidepressant trial",
    "augmentation": "Augmentation (a non-antidepressant added to an antidepressant)",
    "ect": "ECT course",
    "tms": "TMS course",
    "ketamine": "Ketamine course",
    "esketamine": "Esketamine course",
    "psychotherapy": "Psychotherapy course",
}
DRUG_KINDS = ("antidepressant", "augmentation")
