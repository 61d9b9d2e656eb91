"""The chart page shows the engine's view of the patient context: top-level warnings
(interactions first), what to check before deciding, and per option its unknowns and the
interactions it would add, in words for people."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.clinical.fact_words import STATUS_WORDS
from trdnav.clinical.present import to_check, top_warnings
from trdnav.clinical.services import update_clinical_profile
from trdnav.core.knowledge import load_therapies
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db


def _profile(patient: Patient, clinician: User, **data: Any) -> None:
    update_clinical_profile(
        patient=patient, data=data, by=Actor(user=clinician), as_of=timezone.localdate()
    )


def _chart(client: Client, clinician: User, patient: Patient) -> str:
    client.force_login(clinician)
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    return str(response.content.decode())


def _section(html: str, element_id: str) -> str:
    match = re.search(rf'<section id="{element_id}".*?</section>', html, re.S)
    assert match is not None, element_id
    return match.group(0)


def test_unchecked_facts_are_listed_to_check_with_the_options_they_affect(
    client: Client, clinician: User, patient: Patient
) -> None:
    _profile(patient, clinician, facts=["catatonia"], medications=[])
    html = _chart(client, clinician, patient)
    panel = _section(html, "to-check")
    assert "To check before deciding" in panel
    assert "Current substance use disorder" in panel  # words, not the code
    assert "active_substance_use_disorder" not in panel
    assert "Intranasal esketamine (Spravato)" in panel  # the option's name, not its id
    option = r'<details class="option[^"]*" id="option-esketamine">.*?</details>'
    esketamine = re.search(option, html, re.S)
    assert esketamine is not None
    assert "Not yet checked" in esketamine.group(0)
    assert "use with caution" in esketamine.group(0)


def test_when_everything_is_checked_only_the_missing_history_is_left_to_check(
    client: Client, clinician: User, patient: Patient
) -> None:
    absent = [c for c in load_therapies().vocabulary.facts if c != "catatonia"]
    _profile(patient, clinician, facts=["catatonia"], absent_facts=absent, medications=[])
    panel = _section(_chart(client, clinician, patient), "to-check")
    items = re.findall(r"<li><strong>(.*?)</strong>", panel)
    assert items == ["Treatment history (how many treatments failed)"]
    assert "record it in the treatment history" in panel


def test_statuses_are_words_for_people(client: Client, clinician: User, patient: Patient) -> None:
    present = "prior_left_cervical_vagotomy"  # a VNS contraindication
    absent = [c for c in load_therapies().vocabulary.facts if c != present]
    _profile(patient, clinician, facts=[present], absent_facts=absent, medications=[])
    html = _chart(client, clinician, patient)
    titles = re.findall(r'<span class="rank">.*?(?:</summary>|</h4>)', html, re.S)
    shown = {
        re.findall(r'<span class="badge (?:danger|warn|ok)?">([^<]+)</span>', t)[0] for t in titles
    }
    assert {"suitable", "use with caution"} <= shown
    assert shown <= set(STATUS_WORDS.values())
    # Contraindicated options are apart, collapsed, each with its reason (P-CH3).
    apart = re.search(r'<details class="contraindicated".*?</details>', html, re.S)
    assert apart is not None
    assert "Vagus nerve stimulation" in apart.group(0)
    assert "vagotomy" in apart.group(0).lower()


def test_history_warnings_show_their_kind_and_severity_in_words(
    client: Client, clinician: User, patient: Patient
) -> None:
    html = _chart(client, clinician, patient)  # no history: the engine says so
    warnings = _section(html, "option-warnings")
    assert "Treatment history:" in warnings
    assert "for information" in warnings
    assert "No treatment history given" in warnings


def test_interaction_warnings_come_first_then_by_severity() -> None:
    data = [
        {"kind": "history", "text": "h", "severity": "info"},
        {"kind": "unrecognised_medication", "text": "u", "severity": "warning"},
        {"kind": "interaction", "text": "moderate one", "severity": "moderate"},
        {"kind": "age", "text": "a", "severity": "warning"},
        {"kind": "interaction", "text": "bad one", "severity": "contraindicated"},
    ]
    shown = top_warnings(data)
    assert [w["text"] for w in shown] == ["bad one", "moderate one", "u", "a", "h"]
    assert shown[0]["severity_words"] == "contraindicated combination"
    assert shown[0]["kind_words"] == "Interaction in the current medications"


def test_the_to_check_panel_names_groups_and_non_fact_unknowns_in_words() -> None:
    knowledge = load_therapies()
    rows = to_check(
        [
            {"fact": "bipolar_spectrum", "options": ["ect"], "rules": ["r1"]},
            {"fact": "age", "options": ["esketamine"], "rules": ["r2"]},
        ],
        {"ect": "Electroconvulsive therapy (ECT)"},
        knowledge,
    )
    assert rows[0]["label"].startswith("Bipolar spectrum")
    assert rows[0]["meaning"] == knowledge.vocabulary.groups["bipolar_spectrum"].meaning
    assert rows[0]["options"] == ["Electroconvulsive therapy (ECT)"]
    assert (rows[1]["label"], rows[1]["where"]) == ("Age (date of birth)", "patient details")
    assert rows[1]["options"] == ["esketamine"]  # an id without a name is shown as it is


def test_the_options_section_adds_no_inline_script(
    client: Client, clinician: User, patient: Patient
) -> None:
    _profile(patient, clinician, facts=["catatonia"], medications=["sertraline", "tramadol"])
    html = _chart(client, clinician, patient)
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="' in tag or 'type="application/json"' in tag, tag


def test_not_yet_checked_reasons_name_the_facts_in_words(
    client: Client, clinician: User, patient: Patient
) -> None:
    _profile(patient, clinician, facts=["catatonia"], medications=[])
    html = _chart(client, clinician, patient)
    reasons = re.findall(r'<ul class="reasons">(.*?)</ul>', html, re.S)
    unknown = [r for r in " ".join(reasons).split("<li>") if "Not yet checked:" in r]
    assert unknown
    assert not any("active_substance_use_disorder" in r for r in unknown)
    assert any("Current substance use disorder" in r for r in unknown)


def test_interactions_show_first_with_severity_and_source_and_on_the_option(
    client: Client, clinician: User, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's shape for interactions, whatever drug pair the medication table flags."""
    from trdnav.core.recommend import OptionResult, Recommendation

    interaction = {
        "kind": "interaction",
        "text": "Drug A with drug B: serotonin toxicity.",
        "severity": "contraindicated",
        "source": "label_x",
        "citation": "Label X, section 4",
        "status": "verified",
    }
    option_dict, result_dict = OptionResult.to_dict, Recommendation.to_dict

    def with_interaction(self: OptionResult) -> dict[str, Any]:
        data = option_dict(self)
        if self.id == "combo_mirtazapine":
            data["interactions"] = [{**interaction, "severity": "major"}]
        return data

    def with_warning(self: Recommendation) -> dict[str, Any]:
        data = result_dict(self)
        data["warnings"] = [*data["warnings"], interaction]
        return data

    monkeypatch.setattr(OptionResult, "to_dict", with_interaction)
    monkeypatch.setattr(Recommendation, "to_dict", with_warning)
    html = _chart(client, clinician, patient)
    warnings = _section(html, "option-warnings")
    first = re.search(r"<li[^>]*>(.*?)</li>", warnings, re.S)
    assert first is not None
    assert "contraindicated combination" in first.group(1)
    assert "Drug A with drug B" in first.group(1)
    # A short reference in the line; the full one in the page's source notes (P-WD2).
    assert '<cite class="muted">Label X<a class="footnote-ref" href="#note-' in first.group(1)
    assert "Source: Label X, section 4</li>" in html.split('id="policy-notes"')[1]
    block = re.search(r'id="option-combo_mirtazapine">.*?</details>', html, re.S)
    assert block is not None
    assert "Interactions it would add" in block.group(0)
    assert ">major</span> Drug A with drug B" in block.group(0)
