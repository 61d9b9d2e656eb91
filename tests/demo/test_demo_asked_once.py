"""The demo scenario of the doubled PHQ-9: the demo patient login with the care team's weekly
PHQ-9 schedule and a course's PHQ-9 schedule sees one PHQ-9 to start (P-P11)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.demo import load_demo_data
from trdnav.demo.courses import TMS, DemoCourse, _course
from trdnav.patients.models import Patient
from trdnav.portal.models import QuestionnaireSchedule


@pytest.mark.django_db
def test_the_demo_patient_with_a_course_is_asked_for_the_phq9_once(client: Client) -> None:
    today = timezone.localdate()
    load_demo_data(progress=lambda _: None, as_of=today)
    login = User.objects.get(username="demo-patient")
    patient = Patient.objects.get(user=login)
    clinician = QuestionnaireSchedule.objects.filter(patient=patient).first()
    assert clinician is not None
    actor = Actor(user=clinician.created_by, clinic=patient.clinic, via="system")
    _course(patient, DemoCourse(patient.record_number, "rtms_10hz", 14, TMS), today, actor)
    phq9 = QuestionnaireSchedule.objects.filter(patient=patient, instrument="phq9", active=True)
    assert {s.course_id is None for s in phq9} == {True, False}  # the care team's and the course's

    client.force_login(login)
    page = client.get("/portal/").content.decode()
    assert page.count("Start the PHQ-9") == 1
