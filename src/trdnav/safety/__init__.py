"""Safety review: one state for every safety item (docs/clinical-policies.md, P-SR)."""
