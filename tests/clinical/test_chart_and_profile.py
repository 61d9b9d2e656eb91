from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.chart import chart_data
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import options_for, update_clinical_profile
from trdnav.core.errors import InvalidInput
from trdnav.core.instruments import score_instrument
from trdnav.patients.models import Patient

AS_OF = date(2025, 3, 1)
HISTORY = {
    "episodes": [{"id": "e1", "start": "2023-01-10", "end": None}],
    "treatments": [
        {
            "id": "t1",
            "episode": "e1",
            "kind": "antidepressant",
            "drug": "sertraline",
            "role": "monotherapy",
            "start": "2023-02-01",
            "end": "2023-06-01",
            "doses": [{"from": "2023-02-01", "mg_per_day": 150}],
            "adherence_pct": 90,
            "outcome": "non_response",
        }
    ],
}


def _weekly_phq9(patient: Patient, weeks: int, start: date = date(2020, 1, 6)) -> None:
    rows = []
    for week in range(weeks):
        items = [week % 4] * 9
        result = score_instrument("phq9", {"items": items})
        snapshot = result.to_dict()
        rows.append(
            Assessment(
                patient=patient,
                instrument="phq9",
                answers={"items": items},
                result=snapshot,
                valid=True,
                total=result.total,
                severity=result.severity or "",
                safety=result.safety.value if result.safety else None,
                knowledge_version=str(snapshot["knowledge_version"]),
                administered_on=start + timedelta(weeks=week),
                source="clinician",
            )
        )
    Assessment.objects.bulk_create(rows)


def test_chart_data_has_one_series_with_thresholds_from_the_knowledge_base(
    patient: Patient,
) -> None:
    _weekly_phq9(patient, 3)
    [series] = chart_data(patient.pk)
    assert series["label"] == "PHQ-9"
    assert series["points"] == [["2020-01-06", 0], ["2020-01-13", 9], ["2020-01-20", 18]]
    lines = {line["kind"]: line for line in series["thresholds"]}
    assert lines["response"]["value"] == 0  # 50% below a baseline of 0
    assert lines["remission"]["value"] == 5
    assert lines["remission"]["label"] == "remission: < 5"


def test_the_chart_response_line_is_half_of_a_non_zero_baseline(patient: Patient) -> None:
    _weekly_phq9(patient, 3, start=date(2020, 1, 20))  # weeks 0..2 score 0, 9, 18
    Assessment.objects.filter(total=0).delete()  # the baseline is now the 9 (then 18)
    [series] = chart_data(patient.pk)
    assert series["baseline"]["total"] == 9
    lines = {line["kind"]: line for line in series["thresholds"]}
    assert lines["response"]["value"] == 4.5  # 50% below a baseline of 9
    assert lines["response"]["label"] == "response: 50% below baseline 9"


def test_the_chart_page_costs_the_same_queries_for_five_years_of_scores(
    client: Client, clinician: User, patient: Patient, django_assert_max_num_queries: Any
) -> None:
    _weekly_phq9(patient, 260)
    client.force_login(clinician)
    # Session, user, membership, clinic, patient, audit insert, latest per instrument, latest
    # safety answer per instrument, profile, chart series, the patient's treatment courses,
    # session save (with savepoints on PostgreSQL): none of them per score. The audit insert
    # takes three statements since the hash chain (lock and read the head, insert, move the
    # head). The safety panel (trdnav.safety.state, the one safety state every page shows)
    # reads the latest safety answers as rows, the open portal notices and the safety reviews:
    # three more, in place of the chart's own read of the latest safety answers (18 on
    # SQLite, 20 on PostgreSQL).
    with django_assert_max_num_queries(20):
        response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    # Every score is drawn (in the wide and the narrow layout) and listed in the table.
    assert html.count('class="score-point"') == 2 * 260
    table = html.split('id="life-table"')[1]
    assert len(re.findall(r"<tr><th scope=\"row\">PHQ-9</th>", table)) == 260


def test_the_chart_page_shows_options_with_citations_to_staff_only(
    client: Client, clinician: User, patient_user: User, patient: Patient
) -> None:
    client.force_login(clinician)
    html = client.get(f"/patients/{patient.pk}/").content.decode()
    assert 'id="options"' in html
    assert "Electroconvulsive therapy (ECT)" in html
    assert "What to expect" in html
    client.force_login(patient_user)
    assert 'id="options"' not in client.get(f"/patients/{patient.pk}/").content.decode()


def test_a_profile_update_is_validated_by_the_core_and_audited(
    patient: Patient, clinician: User
) -> None:
    actor = Actor(user=clinician)
    data = {"facts": ["high_suicide_risk"], "history": HISTORY}
    profile = update_clinical_profile(patient=patient, data=data, by=actor, as_of=AS_OF)
    assert profile.history == HISTORY
    assert profile.knowledge_version.startswith("kb-")
    event = AuditEvent.objects.get(object_type="clinical_profile")
    assert event.summary == "changed: facts, history"
    urgent = options_for(patient=patient, as_of=AS_OF).option("ect")
    assert urgent.urgent


def test_bad_codes_and_bad_history_are_refused_with_paths_and_nothing_is_stored(
    patient: Patient, clinician: User
) -> None:
    actor = Actor(user=clinician)
    with pytest.raises(InvalidInput) as exc:
        update_clinical_profile(patient=patient, data={"facts": ["flying"]}, by=actor, as_of=AS_OF)
    assert exc.value.errors[0].field == "facts[0]"
    broken = {"episodes": [], "treatments": "none"}
    with pytest.raises(InvalidInput) as history_exc:
        update_clinical_profile(patient=patient, data={"history": broken}, by=actor, as_of=AS_OF)
    assert history_exc.value.errors[0].field.startswith("history")
    assert not ClinicalProfile.objects.exists()


def test_the_profile_page_changes_facts_and_leaves_the_history_alone(
    client: Client, clinician: User, patient: Patient
) -> None:
    actor = Actor(user=clinician)
    update_clinical_profile(patient=patient, data={"history": HISTORY}, by=actor, as_of=AS_OF)
    client.force_login(clinician)
    url = f"/patients/{patient.pk}/clinical/"
    assert "history" not in client.get(url).context["form"].fields
    ok = client.post(url, {"fact__pregnancy": "present"})
    assert ok.status_code == 302
    stored = ClinicalProfile.objects.get()
    assert (stored.facts, stored.history) == (["pregnancy"], HISTORY)


def test_the_options_api_returns_the_engines_json(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    body = client.get(f"/api/v1/patients/{patient.pk}/options?as_of=2025-03-01").json()
    assert body["as_of"] == "2025-03-01"
    assert body["patient"]["age"] == patient.age_on(AS_OF)
    assert {"id", "status", "rank", "urgent", "reasons", "citations"} <= set(body["options"][0])


def test_the_profile_api_patches_only_what_is_sent_and_refuses_with_paths(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    url = f"/api/v1/patients/{patient.pk}/clinical-profile"
    ok = client.patch(url, {"facts": ["pregnancy"]}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["facts"] == ["pregnancy"]
    bad = client.patch(url, {"preferences": ["x"]}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "preferences[0]"
    assert client.get(url).json()["preferences"] == []


def test_the_chart_page_shows_the_life_chart_trd_status_and_stages_in_words(
    client: Client, clinician: User, patient: Patient
) -> None:
    actor = Actor(user=clinician)
    update_clinical_profile(patient=patient, data={"history": HISTORY}, by=actor, as_of=AS_OF)
    client.force_login(clinician)
    html = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "sertraline (antidepressant)" in html
    assert '<strong class="trd-not_met">Not met</strong>:' in html
    assert "1 adequate failed trial" in html
    assert '<span class="ladder-name">Thase–Rush</span>' in html
    assert "thase_rush</" not in html and "moderately_severe" not in html
    assert "Stage" in html
