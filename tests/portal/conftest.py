"""Portal fixtures: a patient with a portal login and e-mail, and a weekly PHQ-9 schedule."""

from __future__ import annotations

from datetime import date

import pytest

from trdnav.accounts.models import Clinic, User
from trdnav.patients.models import Patient
from trdnav.portal.models import QuestionnaireSchedule

SCHEDULE_START = date(2025, 3, 3)


@pytest.fixture
def portal_user(patient_user: User) -> User:
    patient_user.email = "alex@example.org"
    patient_user.save(update_fields=["email"])
    return patient_user


@pytest.fixture
def weekly_phq9(patient: Patient, portal_user: User, clinician: User) -> QuestionnaireSchedule:
    return QuestionnaireSchedule.objects.create(
        patient=patient, instrument="phq9", every_days=7, start=SCHEDULE_START, created_by=clinician
    )


@pytest.fixture
def clinic_actor_user(clinic: Clinic, clinician: User) -> User:
    return clinician
