from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

from tests.personas import PERSONAS
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.history import document as hd
from trdnav.history.models import HistorySnapshot
from trdnav.history.services import save_history
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db

EPISODE = {"start": "2024-01-10", "severity": "moderate"}


def _store(patient: Patient, user: User, key: str = "carla") -> dict[str, Any]:
    persona = PERSONAS[key]
    save_history(
        patient=patient,
        history=copy.deepcopy(persona.history),
        by=Actor(user=user),
        as_of=persona.as_of,
    )
    return persona.history


def _stored(patient: Patient) -> Any:
    return ClinicalProfile.objects.get(patient=patient).history


def _rev(patient: Patient) -> str:
    found = ClinicalProfile.objects.filter(patient=patient).first()
    return hd.revision(None if found is None else found.history)


def _doses(*steps: tuple[str, str]) -> dict[str, str]:
    data = {
        "doses-TOTAL_FORMS": "3",
        "doses-INITIAL_FORMS": "0",
        "doses-MIN_NUM_FORMS": "0",
        "doses-MAX_NUM_FORMS": "60",
    }
    for i, (day, mg) in enumerate(steps):
        data[f"doses-{i}-from_date"] = day
        data[f"doses-{i}-mg_per_day"] = mg
    return data


def _unchanged(patient: Patient) -> tuple[Any, int, int]:
    """What a refused save must leave as it was: the document, snapshots, change events."""
    updates = AuditEvent.objects.filter(object_type="treatment_history", action="update")
    return _stored(patient), HistorySnapshot.objects.count(), updates.count()


def _url(patient: Patient, rest: str = "") -> str:
    return f"/patients/{patient.pk}/history/{rest}"


def test_the_history_page_shows_each_trials_adequacy_verdict_in_plain_words(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    response = client.get(_url(patient))
    html = response.content.decode()
    sertraline = response.context["episodes"][0]["treatments"][1]
    assert sertraline["item"]["id"] == "sertraline"
    assert sertraline["trial"]["adequate"] is False
    assert sertraline["trial"]["reason_words"] == ["dose below the minimum adequate dose"]
    assert "not adequate" in html
    assert "dose below the minimum adequate dose" in html
    assert "adherence too low" in html
    assert "counts as a failed trial" in html
    assert "usual minimum dose (default)" in html


def test_where_the_profiles_disagree_both_verdicts_are_shown(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    response = client.get(_url(patient))
    venlafaxine = next(
        t for t in response.context["episodes"][0]["treatments"] if t["item"]["id"] == "venlafaxine"
    )
    assert venlafaxine["trial"]["adequate"] is True
    assert [o["adequate"] for o in venlafaxine["others"]] == [False]
    assert "Under the conservative ATRQ-style screening profile" in response.content.decode()


def test_the_profile_can_be_chosen_and_an_unknown_one_falls_back_to_the_default(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    conservative = client.get(_url(patient), {"profile": "conservative_atrq"})
    assert conservative.context["result"]["profile"] == "conservative_atrq"
    venlafaxine = conservative.context["result"]["trials"][3]
    assert venlafaxine["adequate"] is False
    unknown = client.get(_url(patient), {"profile": "nonsense"})
    assert unknown.context["result"]["profile"] == "usual_minimum"


def test_the_page_shows_trd_status_per_definition_and_every_staging_model(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician, "ed")
    client.force_login(clinician)
    response = client.get(_url(patient))
    html = response.content.decode()
    codes = [d["code"] for d in response.context["trd"]]
    assert codes == [
        "common",
        "sforzini_2022",
        "ema_2013",
        "cpmp_different_classes",
        "esketamine_label",
    ]
    assert [s["key"] for s in response.context["stages"]] == [
        "thase_rush",
        "european",
        "mgh_s",
        "maudsley",
        "dm_trd",
    ]
    assert "stage II" in html
    assert "Maudsley Staging Method" in html
    maudsley = response.context["result"]["staging"]["maudsley"]
    assert f"total {maudsley['total']} ({maudsley['band']})" in html
    assert maudsley["explanation"] in html
    version = response.context["result"]["knowledge_version"]
    assert f'data-knowledge-version="{version}"' in html
    assert f">{version}" not in html and f" {version}" not in html


def test_the_chart_links_to_the_history_page(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    html = client.get(f"/patients/{patient.pk}/").content.decode()
    assert f'href="/patients/{patient.pk}/history/"' in html


def test_a_clinician_adds_an_episode_then_an_antidepressant_with_a_dose_timeline(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    added = client.post(_url(patient, "episodes/new/"), {**EPISODE, "revision": _rev(patient)})
    assert added.status_code == 302
    assert _stored(patient)["episodes"] == [
        {"id": "episode-2024", "start": "2024-01-10", "severity": "moderate"}
    ]
    form = {
        "episode": "episode-2024",
        "drug": "sertraline",
        "role": "monotherapy",
        "start": "2024-02-01",
        "end": "2024-05-01",
        "adherence_pct": "90",
        "improvement_pct": "10",
        "revision": _rev(patient),
        **_doses(("2024-02-01", "50"), ("2024-02-15", "150")),
    }
    response = client.post(_url(patient, "treatments/new/antidepressant/"), form)
    assert response.status_code == 302, response.context["form"].errors
    trial = _stored(patient)["treatments"][0]
    assert trial["doses"] == [
        {"from": "2024-02-01", "mg_per_day": 50},
        {"from": "2024-02-15", "mg_per_day": 150},
    ]
    assert (trial["id"], trial["kind"], trial["adherence_pct"]) == (
        "sertraline",
        "antidepressant",
        90,
    )
    assert HistorySnapshot.objects.filter(patient=patient).count() == 2
    updates = AuditEvent.objects.filter(object_type="treatment_history", action="update")
    summaries = updates.values_list("summary", flat=True)
    # Positions, never what the treatment was: audit summaries hold no health data.
    assert set(summaries) == {"added episode 1", "added treatment 1"}


def test_a_bad_dose_is_shown_on_its_dose_row_and_nothing_is_stored(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    before = _unchanged(patient)
    form = {
        "episode": "current",
        "drug": "bupropion",
        "start": "2025-07-10",
        "revision": _rev(patient),
        **_doses(("2025-07-10", "150"), ("2025-07-01", "300")),
    }
    response = client.post(_url(patient, "treatments/new/antidepressant/"), form)
    assert response.status_code == 400
    rows = response.context["formset"].forms
    assert "doses must be in date order" in str(rows[1].errors["from_date"])
    assert not rows[0].errors
    assert "doses must be in date order" in response.content.decode()
    assert _unchanged(patient) == before


def test_errors_on_the_treatments_own_fields_are_shown_next_to_them(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    form = {
        "episode": "current",
        "drug": "notadrug",
        "start": "2025-07-10",
        "adherence_pct": "150",
        "revision": _rev(patient),
        **_doses(("2025-07-10", "20")),
    }
    response = client.post(_url(patient, "treatments/new/antidepressant/"), form)
    errors = response.context["form"].errors
    assert "Unknown antidepressant; choose one from the list" in " ".join(errors["drug"])
    assert "must be between 0 and 100" in " ".join(errors["adherence_pct"])
    assert _stored(patient) == PERSONAS["carla"].history


def test_a_missing_start_date_is_reported_on_the_start_field(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    form = {"episode": "current", "modality": "cbt", "revision": _rev(patient)}
    response = client.post(_url(patient, "treatments/new/psychotherapy/"), form)
    assert response.status_code == 400
    assert "Enter the date the treatment started." in str(response.context["form"].errors["start"])


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("ect", {"laterality": "right_unilateral", "sessions": "8"}),
        ("tms", {"protocol": "itbs", "sessions": "30"}),
        ("ketamine", {"sessions": "6"}),
        ("esketamine", {"sessions": "12"}),
        ("psychotherapy", {"modality": "dbt", "sessions": "20"}),
    ],
)
def test_each_course_kind_has_its_form(
    client: Client, clinician: User, patient: Patient, kind: str, extra: dict[str, str]
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    form = {
        "episode": "current",
        "start": "2025-07-10",
        "end": "2025-08-20",
        "outcome": "partial_response",
        "notes": "tolerated well",
        "revision": _rev(patient),
        **extra,
    }
    response = client.post(_url(patient, f"treatments/new/{kind}/"), form)
    assert response.status_code == 302, response.context["form"].errors
    course = _stored(patient)["treatments"][-1]
    assert course["kind"] == kind
    assert course["outcome"] == "partial_response"
    assert {k: str(course[k]) for k in extra} == extra


def test_an_augmentation_names_the_trial_it_augments_and_must_start_during_it(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    form = {
        "episode": "current",
        "agent": "lithium",
        "augments": "venlafaxine",
        "start": "2025-07-01",
        "revision": _rev(patient),
        **_doses(("2025-07-01", "600")),
    }
    url = _url(patient, "treatments/new/augmentation/")
    late = client.post(url, form)
    assert "must fall while 'venlafaxine' was being taken" in " ".join(
        late.context["form"].errors["start"]
    )
    ok = client.post(url, {**form, "start": "2025-05-01", **_doses(("2025-05-01", "600"))})
    assert ok.status_code == 302
    assert _stored(patient)["treatments"][-1]["augments"] == "venlafaxine"


def test_editing_a_treatment_keeps_its_id_and_shows_its_values(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    url = _url(patient, "treatments/1/")
    shown = client.get(url)
    assert shown.context["form"].initial["drug"] == "sertraline"
    assert shown.context["formset"].forms[0].initial == {
        "from_date": "2024-11-15",
        "mg_per_day": 25,
    }
    form = {
        "episode": "current",
        "drug": "sertraline",
        "start": "2024-11-15",
        "end": "2025-01-24",
        "adherence_pct": "95",
        "improvement_pct": "5",
        "revision": _rev(patient),
        **_doses(("2024-11-15", "25"), ("2024-11-29", "100")),
    }
    assert client.post(url, form).status_code == 302
    sertraline = _stored(patient)["treatments"][1]
    assert sertraline["id"] == "sertraline"
    assert sertraline["doses"][1] == {"from": "2024-11-29", "mg_per_day": 100}


def test_a_form_opened_before_someone_elses_change_is_refused(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    stale = _rev(patient)
    _store(patient, clinician, "carla")  # same content: revision unchanged
    doc = _stored(patient)
    doc["treatments"][0]["notes"] = "changed elsewhere"
    save_history(
        patient=patient, history=doc, by=Actor(user=clinician), as_of=PERSONAS["carla"].as_of
    )
    response = client.post(_url(patient, "episodes/0/"), {**EPISODE, "revision": stale})
    assert response.status_code == 400
    assert "changed by someone else" in str(response.context["form"].non_field_errors())
    assert _stored(patient) == doc


def test_removing_asks_first_and_refuses_what_is_still_referred_to(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician, "dana")
    client.force_login(clinician)
    doc = _stored(patient)
    venlafaxine = hd.ids(doc, "treatments").index("venlafaxine")
    url = _url(patient, f"treatments/{venlafaxine}/remove/")
    assert "Remove the venlafaxine trial (" in client.get(url).content.decode()
    refused = client.post(url, {"revision": _rev(patient)})
    assert refused.status_code == 400
    assert "'olanzapine' refer(s) to this treatment" in refused.context["errors"][0].message
    episode = client.post(_url(patient, "episodes/1/remove/"), {"revision": _rev(patient)})
    assert episode.status_code == 400
    assert _stored(patient) == doc
    olanzapine = hd.ids(doc, "treatments").index("olanzapine")
    removed = client.post(
        _url(patient, f"treatments/{olanzapine}/remove/"), {"revision": _rev(patient)}
    )
    assert removed.status_code == 302
    assert "olanzapine" not in hd.ids(_stored(patient), "treatments")


def test_a_treatment_needs_an_episode_first(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.get(_url(patient, "treatments/new/ect/"))
    assert response.status_code == 302
    assert response["Location"] == _url(patient, "episodes/new/")


def test_unknown_kinds_and_items_are_not_found(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(clinician)
    assert client.get(_url(patient, "treatments/new/homeopathy/")).status_code == 404
    assert client.get(_url(patient, "treatments/99/")).status_code == 404
    assert client.get(_url(patient, "episodes/5/")).status_code == 404


def test_the_json_import_replaces_the_whole_history_only_when_it_is_valid(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    url = _url(patient, "import/")
    bad_json = client.post(url, {"history": "{not json", "revision": _rev(patient)})
    assert "not valid JSON" in str(bad_json.context["form"].errors["history"])
    broken = copy.deepcopy(PERSONAS["ben"].history)
    broken["treatments"][0]["doses"][0]["mg_per_day"] = "lots"
    wrong = client.post(url, {"history": json.dumps(broken), "revision": _rev(patient)})
    assert wrong.status_code == 400
    assert "treatments[0].doses[0].mg_per_day: must be a number" in str(
        wrong.context["form"].errors["history"]
    )
    assert not ClinicalProfile.objects.exists()
    good = json.dumps(PERSONAS["ben"].history)
    assert client.post(url, {"history": good, "revision": _rev(patient)}).status_code == 302
    assert _stored(patient) == PERSONAS["ben"].history


def test_staff_read_the_history_page_without_edit_links_and_cannot_edit(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician)
    client.force_login(staff)
    html = client.get(_url(patient)).content.decode()
    assert "not adequate" in html
    assert "Add a treatment" not in html
    assert client.get(_url(patient, "treatments/new/ect/")).status_code == 403
    assert client.post(_url(patient, "treatments/0/remove/"), {}).status_code == 403


def test_a_combination_names_its_partner_and_a_partner_without_the_role_is_refused(
    client: Client, clinician: User, patient: Patient
) -> None:
    _store(patient, clinician, "ben")
    client.force_login(clinician)
    form = {
        "episode": "current",
        "drug": "mirtazapine",
        "role": "monotherapy",
        "with_trial": "duloxetine",
        "start": "2025-07-01",
        "end": "2025-08-20",
        "revision": _rev(patient),
        **_doses(("2025-07-01", "30")),
    }
    url = _url(patient, "treatments/new/antidepressant/")
    refused = client.post(url, form)
    assert "Only for a combination" in " ".join(refused.context["form"].errors["with_trial"])
    assert client.post(url, {**form, "role": "combination"}).status_code == 302
    added = _stored(patient)["treatments"][-1]
    assert (added["role"], added["with"]) == ("combination", "duloxetine")


def test_the_episode_list_names_episodes_by_their_months(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    client.post(_url(patient, "episodes/new/"), {**EPISODE, "revision": _rev(patient)})
    page = client.get(_url(patient, "treatments/new/antidepressant/")).content.decode()
    assert ">Episode Jan 2024 – ongoing</option>" in page
