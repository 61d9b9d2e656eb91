from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment
from trdnav.audit.models import AuditEvent
from trdnav.patients.models import Patient


def _phq9_form(**items: str) -> dict[str, Any]:
    data = {"administered_on": "2025-02-01"}
    data.update({f"item_{n}": "1" for n in range(1, 10)})
    data.update(items)
    return data


def test_the_form_is_generated_from_the_instrument_definition(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.get(f"/patients/{patient.pk}/assessments/new/phq9/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "9. thoughts of being better off dead or of self-harm" in html
    assert "3 — nearly every day" in html
    assert 'name="difficulty"' in html
    assert 'name="item_9"' in html
    # A date input only shows ISO dates; any other format leaves it empty.
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_the_instrument_choice_lists_the_library(
    client: Client, staff: User, patient: Patient
) -> None:
    client.force_login(staff)
    html = client.get(f"/patients/{patient.pk}/assessments/new/").content.decode()
    for code in ("phq9", "madrs", "cssrs_screen", "cgi_s"):
        assert f"/assessments/new/{code}/" in html


def test_recording_a_phq9_stores_it_and_shows_the_safety_flag(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    url = f"/patients/{patient.pk}/assessments/new/phq9/"
    response = client.post(url, _phq9_form(item_9="2"), follow=True)
    stored = Assessment.objects.get()
    assert (stored.total, stored.safety, stored.safety_priority) == (10, "positive", "high")
    assert stored.answers == {"items": [1, 1, 1, 1, 1, 1, 1, 1, 2]}
    html = response.content.decode()
    assert "safety item positive, high priority: review now" in html
    # The chart's header shows it as an open item of the one safety state, to review.
    assert 'data-state="open"' in html and "PHQ-9 item 9</strong>: positive, high priority" in html


def test_blank_items_store_an_incomplete_form(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    data = _phq9_form()
    del data["item_9"]
    client.post(f"/patients/{patient.pk}/assessments/new/phq9/", data)
    stored = Assessment.objects.get()
    assert (stored.valid, stored.safety) == (False, "unknown")


def test_a_tampered_answer_is_shown_next_to_its_item_and_nothing_is_stored(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.post(f"/patients/{patient.pk}/assessments/new/phq9/", _phq9_form(item_9="7"))
    assert response.status_code == 400
    assert "item_9" in response.context["form"].errors
    assert not Assessment.objects.exists()


def test_a_future_date_is_refused_on_the_date_field(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.post(
        f"/patients/{patient.pk}/assessments/new/phq9/",
        _phq9_form(administered_on="2999-01-01"),
    )
    assert response.status_code == 400
    assert "cannot be in the future" in str(response.context["form"].errors["administered_on"])
    assert not Assessment.objects.exists()


def test_the_cssrs_form_maps_yes_no_and_not_asked(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    data = {"administered_on": "2025-02-01", "q1": "yes", "q2": "no", "q6": "no"}
    data["version"] = "screen"
    client.post(f"/patients/{patient.pk}/assessments/new/cssrs_screen/", data)
    stored = Assessment.objects.get()
    assert stored.answers["q1"] is True
    assert stored.answers["q3"] is None
    assert stored.result["risk"] == "low"


def test_an_unknown_instrument_page_is_404(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    assert client.get(f"/patients/{patient.pk}/assessments/new/bdi2/").status_code == 404


def test_the_list_page_is_audited_and_shows_the_patients_assessments(
    client: Client, patient_user: User, patient: Patient, clinician: User
) -> None:
    client.force_login(clinician)
    client.post(f"/patients/{patient.pk}/assessments/new/phq9/", _phq9_form())
    response = client.get(f"/patients/{patient.pk}/assessments/")
    assert response.status_code == 200
    assert "PHQ-9" in response.content.decode()
    assert AuditEvent.objects.filter(actor=clinician, object_type="assessments").exists()
    # The patient sees their results in the portal, never the clinician list (D9).
    client.force_login(patient_user)
    assert client.get(f"/patients/{patient.pk}/assessments/").status_code == 403
    refused = AuditEvent.objects.get(actor=patient_user, object_type="assessments")
    assert refused.action == "refused"
