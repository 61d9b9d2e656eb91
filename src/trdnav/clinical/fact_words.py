"""Words for people: how the profile form groups the vocabulary's facts, each fact's short
name, and the options' status words. Presentation only; the codes and what they mean live in
the knowledge base (``data/recommend/vocabulary.toml``).

A fact the vocabulary gains later and that is not listed here still appears, under "Other",
named from its code: the form always offers every fact the engine reads.
"""

from __future__ import annotations

from collections.abc import Iterable

# (key, heading, codes in display order)
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "psychiatric",
        "Psychiatric",
        (
            "current_suicidal_intent",
            "high_suicide_risk",
            "psychotic_features",
            "history_of_psychosis",
            "catatonia",
            "refusing_food_or_fluids",
            "bipolar_disorder",
            "bipolar_i",
            "bipolar_ii",
            "past_mania_or_hypomania",
            "eating_disorder",
            "prior_ect_response",
        ),
    ),
    (
        "cardiovascular",
        "Cardiovascular and cerebrovascular",
        (
            "myocardial_infarction",
            "stroke",
            "intracerebral_haemorrhage",
            "history_of_intracerebral_haemorrhage",
            "recent_mi_or_stroke",
            "unstable_cardiac_disease",
            "uncontrolled_hypertension",
            "aneurysm_or_avm",
            "qt_prolongation",
        ),
    ),
    (
        "devices",
        "Implanted devices and metal",
        (
            "deep_brain_stimulator",
            "vagus_nerve_stimulator",
            "implanted_stimulator",
            "cochlear_implant",
            "cardiac_pacemaker_or_icd",
            "ferromagnetic_implant_head",
            "prior_left_cervical_vagotomy",
        ),
    ),
    (
        "neurological",
        "Neurological",
        (
            "seizure_disorder",
            "dementia",
            "cognitive_impairment",
            "raised_intracranial_pressure",
        ),
    ),
    ("pregnancy", "Pregnancy and breastfeeding", ("pregnancy", "breastfeeding")),
    (
        "substance",
        "Substance use and withdrawal",
        (
            "active_substance_use_disorder",
            "alcohol_withdrawal",
            "benzodiazepine_withdrawal",
            "seizure_threshold_lowering_state",
        ),
    ),
    (
        "organ",
        "Organ function and physical health",
        (
            "severe_renal_impairment",
            "severe_hepatic_impairment",
            "dehydration_or_sodium_depletion",
            "severe_pulmonary_disease",
            "high_anaesthetic_risk",
            "metabolic_syndrome",
            "retinal_disease",
            "severe_physical_limitation",
            "pheochromocytoma",
        ),
    ),
    (
        "medication",
        "Medication-related",
        ("maoi_current", "photosensitising_medication"),
    ),
)
OTHER = ("other", "Other")

LABELS: dict[str, str] = {
    "current_suicidal_intent": "Current suicidal intent",
    "high_suicide_risk": "High suicide risk",
    "psychotic_features": "Psychotic features (this episode)",
    "history_of_psychosis": "Past psychosis",
    "catatonia": "Catatonia",
    "refusing_food_or_fluids": "Refusing food or fluids",
    "bipolar_disorder": "Bipolar disorder (type not recorded)",
    "bipolar_i": "Bipolar I disorder",
    "bipolar_ii": "Bipolar II disorder",
    "past_mania_or_hypomania": "Past mania or hypomania",
    "eating_disorder": "Eating disorder",
    "prior_ect_response": "Responded to ECT before",
    "myocardial_infarction": "Heart attack (myocardial infarction)",
    "stroke": "Stroke",
    "intracerebral_haemorrhage": "Bleed in the brain (intracerebral haemorrhage)",
    "history_of_intracerebral_haemorrhage": "Past bleed in the brain (date not known)",
    "recent_mi_or_stroke": "Recent heart attack or stroke (date not known)",
    "unstable_cardiac_disease": "Unstable heart disease",
    "uncontrolled_hypertension": "Uncontrolled high blood pressure",
    "aneurysm_or_avm": "Aneurysm or arteriovenous malformation",
    "qt_prolongation": "Long QT interval",
    "deep_brain_stimulator": "Deep brain stimulator",
    "vagus_nerve_stimulator": "Vagus nerve stimulator",
    "implanted_stimulator": "Other implanted stimulator in head or neck",
    "cochlear_implant": "Cochlear implant",
    "cardiac_pacemaker_or_icd": "Pacemaker or implanted defibrillator",
    "ferromagnetic_implant_head": "Metal in or near the head",
    "prior_left_cervical_vagotomy": "Previous left cervical vagotomy",
    "seizure_disorder": "Epilepsy or past unprovoked seizures",
    "dementia": "Dementia",
    "cognitive_impairment": "Significant cognitive impairment",
    "raised_intracranial_pressure": "Raised pressure or a mass inside the skull",
    "pregnancy": "Pregnant",
    "breastfeeding": "Breastfeeding",
    "active_substance_use_disorder": "Current substance use disorder",
    "alcohol_withdrawal": "Alcohol withdrawal",
    "benzodiazepine_withdrawal": "Benzodiazepine withdrawal",
    "seizure_threshold_lowering_state": "Other state lowering the seizure threshold",
    "severe_renal_impairment": "Severe kidney impairment",
    "severe_hepatic_impairment": "Severe liver impairment",
    "dehydration_or_sodium_depletion": "Dehydration or low sodium",
    "severe_pulmonary_disease": "Severe lung disease",
    "high_anaesthetic_risk": "High anaesthetic risk",
    "metabolic_syndrome": "Metabolic syndrome, diabetes or marked obesity",
    "retinal_disease": "Retinal disease",
    "severe_physical_limitation": "Severe physical limitation",
    "pheochromocytoma": "Phaeochromocytoma or paraganglioma",
    "maoi_current": "Taking an MAOI now",
    "photosensitising_medication": "Taking a photosensitising medicine",
}

# Groups of facts that rules name, and the other things a rule can wait on.
LABELS.update(
    {
        "bipolar_spectrum": "Bipolar spectrum (bipolar I or II, or past mania or hypomania)",
        "intracerebral_haemorrhage_ever": "Bleed in the brain at any time",
        "implanted_head_or_neck_stimulator": "Any implanted stimulator in head or neck",
        "withdrawal_state": "Alcohol or benzodiazepine withdrawal, or another seizure risk now",
        "dementia_or_cognitive_impairment": "Dementia or cognitive impairment",
        "age": "Age (date of birth)",
        "treatment_history": "Treatment history (how many treatments failed)",
        "failed_trials": "Treatment history (how many treatments failed)",
        "medications": "Current medications (not recorded)",
        "pregnancy_trimester": "Trimester of the pregnancy",
        "unrecognised_medications": "Medications the system does not recognise",
    }
)
# Where a clinician records each kind of unknown (the rest are clinical-profile facts).
WHERE_TO_RECORD: dict[str, str] = {
    "age": "patient details",
    "treatment_history": "treatment history",
    "failed_trials": "treatment history",
    "unrecognised_medications": "clinical profile (medication names)",
}

# The options' statuses in words (the codes stay in the JSON).
STATUS_WORDS: dict[str, str] = {
    "suitable": "suitable",
    "caution": "use with caution",
    "contraindicated": "do not use (contraindicated)",
    "already_failed": "already tried without success",
    "not_offered": "not offered here",
}

SEVERITY_WORDS: dict[str, str] = {
    "contraindicated": "contraindicated combination",
    "major": "major",
    "moderate": "moderate",
    "warning": "warning",
    "info": "for information",
}
# Most serious first: the chart lists top-level warnings in this order.
SEVERITY_ORDER = ("contraindicated", "major", "moderate", "warning", "info")

WARNING_KIND_WORDS: dict[str, str] = {
    "interaction": "Interaction in the current medications",
    "unrecognised_medication": "Medication not recognised",
    "age": "Age",
    "history": "Treatment history",
    "trd": "TRD status",
}


def fact_label(code: str) -> str:
    """A fact's short name; a code not listed here is named from the code itself."""
    return LABELS.get(code) or code.replace("_", " ").capitalize()


def severity_words(severity: str | None) -> str:
    return SEVERITY_WORDS.get(severity or "", (severity or "").replace("_", " "))


def where_to_record(code: str) -> str:
    return WHERE_TO_RECORD.get(code, "clinical profile")


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status) or status.replace("_", " ")


def grouped(codes: Iterable[str]) -> list[tuple[str, str, list[str]]]:
    """``codes`` arranged in the display groups (empty groups left out; unlisted codes under
    "Other", in the order given)."""
    known = list(codes)
    placed: set[str] = set()
    groups = []
    for key, heading, members in GROUPS:
        present = [code for code in members if code in known]
        placed.update(present)
        if present:
            groups.append((key, heading, present))
    rest = [code for code in known if code not in placed]
    if rest:
        groups.append((OTHER[0], OTHER[1], rest))
    return groups
