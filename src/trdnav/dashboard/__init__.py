"""The clinician dashboard: the clinic's patients, those needing attention first."""
