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

from trdnav.clinical import words as named
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


def _needed(message: str) -> dict[str, str]:
    """Error messages of a field the history cannot do without, in plain words naming it."""
    return {"required": message, "invalid_choice": message}


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
    # The fields a clinician fills in first, in that order; the dose timeline follows them.
    lead: ClassVar[tuple[str, ...]] = ()

    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    def lead_fields(self) -> list[Any]:
        return [self[name] for name in self.lead if name in self.fields]

    def more_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if f.name not in self.lead]

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

    start = IsoDateField(
        label="Start date",
        error_messages={"required": "Enter the date the episode started."},
    )
    end = IsoDateField(
        required=False,
        label="End date",
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
    lead: ClassVar[tuple[str, ...]] = ("episode", "start", "end")

    episode = forms.ChoiceField(
        label="Episode",
        error_messages=_needed("Choose the episode this treatment belongs to."),
    )
    start = IsoDateField(
        label="Start date",
        error_messages={"required": "Enter the date the treatment started."},
    )
    end = IsoDateField(
        required=False,
        label="End date",
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
        self.fields["episode"].choices = episode_choices(doc)  # type: ignore[attr-defined]
        if len(episodes) == 1 and not self.is_bound:
            self.initial.setdefault("episode", episodes[0])

    def antidepressant_choices(self, exclude: str | None) -> list[tuple[str, str]]:
        """The other antidepressant trials, named by drug and dates (the id is the value)."""
        trials = [
            t
            for t in (self.doc or {}).get("treatments") or []
            if t.get("kind") == TreatmentKind.ANTIDEPRESSANT and t.get("id") != exclude
        ]
        named_trials = [(str(t.get("id")), named.treatment_name(t)) for t in trials]
        return [("", "— choose —"), *named_trials]

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), **super().to_json()}


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def episode_choices(doc: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Episodes by their dates, latest first ("Jan 2024 – ongoing"); the id is the value."""
    episodes = [e for e in (doc or {}).get("episodes") or [] if isinstance(e, Mapping)]
    episodes.sort(key=lambda e: str(e.get("start") or ""), reverse=True)
    shown = [(str(e.get("id")), _first_upper(named.episode_name(e))) for e in episodes]
    return [("", "— choose —"), *shown]


class DrugTrialForm(TreatmentForm):
    json_keys: ClassVar[tuple[str, ...]] = (*DRUG, "notes")

    adherence_pct = forms.FloatField(
        required=False,
        label="Adherence (%)",
        help_text="0–100. If left empty, adherence is assumed adequate and the trial is "
        "marked as such.",
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

    lead: ClassVar[tuple[str, ...]] = ("drug", "episode", "start", "end")

    drug = forms.CharField(
        label="Drug",
        widget=forms.TextInput(attrs={"list": "drug-codes", "autocomplete": "off"}),
        help_text="Start typing and choose from the list (e.g. sertraline). For a drug not on "
        "the list, also give its minimum adequate dose and its class below.",
        error_messages={"required": "Enter the antidepressant, for example sertraline."},
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
    dose_optimised = forms.BooleanField(
        required=False,
        label="Dose was optimised",
        help_text="Adds to the MGH-S score, as that model counts an optimised dose.",
    )
    duration_optimised = forms.BooleanField(
        required=False,
        label="Duration was optimised",
        help_text="Adds to the MGH-S score, as that model counts an optimised duration.",
    )

    def __init__(self, *args: Any, own_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["with_trial"].choices = self.antidepressant_choices(own_id)  # type: ignore[attr-defined]
        self.fields["drug_class"].choices = _choices(drug_classes())  # type: ignore[attr-defined]


class AugmentationForm(DrugTrialForm):
    kind = TreatmentKind.AUGMENTATION
    json_keys: ClassVar[tuple[str, ...]] = ("agent", "augments", *DRUG, "notes")
    lead: ClassVar[tuple[str, ...]] = ("agent", "augments", "episode", "start", "end")

    agent = forms.ChoiceField(
        label="Added medicine",
        error_messages=_needed("Choose the medicine that was added, from the list."),
    )
    augments = forms.ChoiceField(
        label="Added to the trial",
        help_text="The antidepressant trial it was added to; it must start during that trial.",
        error_messages=_needed("Choose the antidepressant trial it was added to."),
    )

    def __init__(self, *args: Any, own_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agents = [("", "— choose —"), *((c, named.drug_name(c)) for c in agent_codes())]
        self.fields["agent"].choices = agents  # type: ignore[attr-defined]
        self.fields["augments"].choices = self.antidepressant_choices(own_id)  # type: ignore[attr-defined]


class CourseForm(TreatmentForm):
    json_keys: ClassVar[tuple[str, ...]] = (*COMMON, "sessions", "notes")

    sessions = forms.IntegerField(required=False, label="Sessions")

    def __init__(self, *args: Any, own_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class EctForm(CourseForm):
    kind = TreatmentKind.ECT
    json_keys: ClassVar[tuple[str, ...]] = ("laterality", *CourseForm.json_keys)
    lead: ClassVar[tuple[str, ...]] = ("laterality", *TreatmentForm.lead)
    laterality = forms.ChoiceField(required=False, choices=_choices(EctLaterality))


class TmsForm(CourseForm):
    kind = TreatmentKind.TMS
    json_keys: ClassVar[tuple[str, ...]] = ("protocol", *CourseForm.json_keys)
    lead: ClassVar[tuple[str, ...]] = ("protocol", *TreatmentForm.lead)
    protocol = forms.ChoiceField(required=False, choices=_choices(TmsProtocol))


class KetamineForm(CourseForm):
    kind = TreatmentKind.KETAMINE


class EsketamineForm(CourseForm):
    kind = TreatmentKind.ESKETAMINE


class PsychotherapyForm(CourseForm):
    kind = TreatmentKind.PSYCHOTHERAPY
    json_keys: ClassVar[tuple[str, ...]] = ("modality", *CourseForm.json_keys)
    lead: ClassVar[tuple[str, ...]] = ("modality", *TreatmentForm.lead)
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
