"""A completed QuestionnaireResponse becomes the core's score as an Observation; a bad answer
becomes an OperationOutcome naming the item, and no Observation."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any

from tests.interop.schema import schema_errors
from trdnav.core.knowledge import knowledge_version
from trdnav.interop.base import CANONICAL
from trdnav.interop.response import build_response
from trdnav.interop.sdc import Scored, score_response

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _phq9(items: list[int | None], **extra: Any) -> dict[str, Any]:
    return build_response(
        "phq9",
        {"items": items, **extra},
        response_id="qr-1",
        patient_id="7",
        authored=date(2026, 11, 29),
    )


def _scored(response: dict[str, Any]) -> Scored:
    outcome = score_response(response, recorded=NOW)
    assert isinstance(outcome, Scored), outcome
    for resource in outcome.resources():
        assert schema_errors(resource) == []
    return outcome


def _issues(outcome: object) -> list[tuple[str, str]]:
    assert isinstance(outcome, dict) and outcome["resourceType"] == "OperationOutcome", outcome
    assert schema_errors(outcome) == []
    return [(i["expression"][0], i["diagnostics"]) for i in outcome["issue"]]


def test_a_phq9_response_gives_total_band_and_a_positive_item9() -> None:
    scored = _scored(_phq9([1, 1, 1, 1, 1, 1, 1, 1, 1], difficulty=2))
    observation = scored.observation
    assert observation["valueInteger"] == 9
    assert observation["interpretation"][0]["coding"][0]["code"] == "mild"
    assert observation["derivedFrom"] == [{"reference": "QuestionnaireResponse/qr-1"}]
    assert observation["subject"] == {"reference": "Patient/7"}
    assert scored.record.safety == "positive" and scored.record.safety_priority is None


def test_the_provenance_names_the_knowledge_version_and_the_response() -> None:
    provenance = _scored(_phq9([0] * 9)).provenance
    assert provenance["agent"][0]["who"]["identifier"]["value"] == knowledge_version()
    assert provenance["entity"] == [
        {"role": "source", "what": {"reference": "QuestionnaireResponse/qr-1"}}
    ]
    assert provenance["target"] == [{"reference": "Observation/qr-1-score"}]


def test_an_incomplete_response_still_reports_item9() -> None:
    scored = _scored(_phq9([None, 0, 0, 0, 0, 0, 0, 0, 3]))
    assert "valueInteger" not in scored.observation
    assert scored.observation["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert (scored.record.safety, scored.record.safety_priority) == ("positive", "high")


def test_an_unanswered_item9_is_unknown_never_negative() -> None:
    assert _scored(_phq9([0] * 8 + [None])).record.safety == "unknown"


def test_the_forms_own_total_is_ignored_in_favour_of_the_cores() -> None:
    response = _phq9([3] * 9)
    response["item"].append({"linkId": "total", "answer": [{"valueDecimal": 1}]})
    assert _scored(response).observation["valueInteger"] == 27


def test_an_answer_that_is_not_an_option_names_the_item() -> None:
    response = _phq9([1] * 9)
    bad = copy.deepcopy(response)
    bad["item"][8]["answer"] = [{"valueCoding": {"system": "http://loinc.org", "code": "LA0000-0"}}]
    [(where, message)] = _issues(score_response(bad, recorded=NOW))
    assert where == "item[linkId=item9].answer"
    assert "LA6568-5" in message


def test_a_coding_whose_system_or_code_is_not_text_names_the_item() -> None:
    """Answers are looked up by (system, code): a list or an object there is a bad answer,
    never a crash."""
    response = _phq9([1] * 9)
    response["item"][0]["answer"] = [{"valueCoding": {"system": ["x"], "code": "LA6568-5"}}]
    response["item"][1]["answer"] = [{"valueCoding": {"system": "http://loinc.org", "code": {}}}]
    fields = [where for where, _ in _issues(score_response(response, recorded=NOW))]
    assert fields == ["item[linkId=item1].answer", "item[linkId=item2].answer"]


def test_an_answer_of_the_wrong_type_names_the_item() -> None:
    response = _phq9([1] * 9)
    response["item"][0]["answer"] = [{"valueInteger": 1}]
    assert _issues(score_response(response, recorded=NOW))[0][0] == "item[linkId=item1].answer"


def test_an_unknown_item_two_answers_and_a_repeated_item_are_each_named() -> None:
    response = _phq9([1] * 9)
    response["item"].append({"linkId": "item99", "answer": []})
    response["item"][1]["answer"] = response["item"][1]["answer"] * 2
    response["item"].append(copy.deepcopy(response["item"][2]))
    fields = [where for where, _ in _issues(score_response(response, recorded=NOW))]
    assert fields == ["item[linkId=item2].answer", "item[linkId=item99]", "item[linkId=item3]"]


def test_an_unknown_questionnaire_is_named() -> None:
    response = _phq9([1] * 9)
    response["questionnaire"] = f"{CANONICAL}/Questionnaire/bdi2"
    [(where, message)] = _issues(score_response(response, recorded=NOW))
    assert where == "questionnaire" and "phq9" in message


def test_a_resource_that_is_not_a_response_is_refused() -> None:
    assert _issues(score_response({"resourceType": "Patient"}, recorded=NOW))[0][0] == (
        "resourceType"
    )


def test_a_cssrs_screen_gives_its_triage_as_the_interpretation() -> None:
    answers = {
        "q1": True,
        "q2": True,
        "q3": False,
        "q4": True,
        "q5": False,
        "q6": False,
        "q6_past_3_months": None,
    }
    response = build_response("cssrs_screen", answers, response_id="c-1")
    scored = _scored(response)
    assert scored.observation["interpretation"][0]["coding"][0]["code"] == "high"
    assert scored.observation["code"]["coding"][0]["code"] == "93374-7"
    assert (scored.record.safety, scored.record.safety_priority) == ("positive", "high")
    assert [c["code"] for c in scored.observation["valueCodeableConcept"]["coding"]] == ["high"]


def test_a_low_cssrs_risk_also_carries_its_verified_loinc_answer_code() -> None:
    answers = {"q1": True, "q2": False, "q6": False, "q6_past_3_months": None}
    scored = _scored(build_response("cssrs_screen", answers, response_id="c-3"))
    codes = [c["code"] for c in scored.observation["valueCodeableConcept"]["coding"]]
    assert codes == ["low", "LA9194-7"]


def test_a_cgi_rating_not_assessed_is_an_incomplete_score_not_an_error() -> None:
    scored = _scored(build_response("cgi_s", {"score": 0}, response_id="g"))
    assert "valueInteger" not in scored.observation


def test_a_follow_up_the_since_last_contact_version_lacks_is_named() -> None:
    answers = {
        "q1": False,
        "q2": False,
        "q6": True,
        "q6_past_3_months": True,
        "version": "since_last_contact",
    }
    response = build_response("cssrs_screen", answers, response_id="c-2")
    [(where, _)] = _issues(score_response(response, recorded=NOW))
    assert where == "item[linkId=q6_past_3_months].answer"


def test_a_response_whose_codings_carry_extensions_and_other_displays_is_accepted() -> None:
    # LHC-Forms copies the option's ordinalValue into the answer it returns.
    response = _phq9([1] * 9)
    for item in response["item"]:
        coding = item["answer"][0]["valueCoding"]
        coding["display"] = "shown differently"
        coding["extension"] = [
            {"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 1}
        ]
    assert _scored(response).observation["valueInteger"] == 9
