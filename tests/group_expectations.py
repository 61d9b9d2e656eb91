"""What a clinician must see for each patient-group persona, whichever way the patient reaches
the engine (command line, API, chart page); docs/reviews/2026-11-label-rules-review.md gives the
label or guideline words behind each status."""

from __future__ import annotations

# Therapy id → status.
EXPECTED: dict[str, dict[str, str]] = {
    "adolescent_16": {"esketamine": "caution", "ketamine_iv": "caution", "vns": "caution"},
    "bipolar_i_on_lamotrigine": {
        "switch_antidepressant": "caution",
        "combo_bupropion": "caution",
        "esketamine": "caution",
    },
    "pregnant_second_trimester": {"aug_lithium": "caution", "esketamine": "caution"},
    "maoi_polypharmacy": {
        "combo_bupropion": "contraindicated",
        "combo_mirtazapine": "contraindicated",
    },
    "post_mi_3_weeks": {
        "esketamine": "contraindicated",
        "ketamine_iv": "contraindicated",
        "switch_tca": "contraindicated",
        "ect": "caution",
    },
    "post_ich": {"esketamine": "contraindicated", "ketamine_iv": "contraindicated"},
    "suicidal_intent": {"switch_tca": "caution", "aug_lithium": "caution"},
    "older_88_dementia": {"switch_tca": "caution", "aug_aripiprazole": "caution"},
    "cochlear_implant": {
        "ect": "caution",
        "rtms": "contraindicated",
        "deep_tms": "contraindicated",
    },
    "dbs_implant": {"ect": "caution", "rtms": "contraindicated", "itbs": "contraindicated"},
    "catatonia": {"aug_aripiprazole": "caution", "aug_quetiapine_xr": "caution"},
    "no_history": {"esketamine": "caution", "vns": "caution"},
}
