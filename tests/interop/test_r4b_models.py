"""A second opinion: every produced resource also parses with the ``fhir.resources`` R4B models.

R4B (4.3.0) and R4 (4.0.1) agree on every element these resources use; the R4 JSON schema
stays the authority (``fhir.resources`` 7+ ships no R4 package, and its models do not check
the codes of required value sets, which the schema does)."""

from __future__ import annotations

from collections import Counter

import pytest
from fhir.resources.R4B import get_fhir_model_class

from tests.interop.samples import all_samples
from tests.interop.schema import schema_errors
from trdnav.interop.base import Resource

SAMPLES = all_samples()


def test_the_samples_cover_every_resource_type_produced() -> None:
    kinds = Counter(str(r["resourceType"]) for r in SAMPLES)
    assert set(kinds) == {
        "Bundle",
        "Patient",
        "Condition",
        "MedicationStatement",
        "Observation",
        "Provenance",
        "Questionnaire",
        "QuestionnaireResponse",
        "OperationOutcome",
        "Procedure",
    }


@pytest.mark.parametrize("resource", SAMPLES, ids=lambda r: f"{r['resourceType']}-{r.get('id')}")
def test_every_sample_is_valid_r4_and_parses_as_r4b(resource: Resource) -> None:
    assert schema_errors(resource) == []
    model = get_fhir_model_class(str(resource["resourceType"]))
    model.model_validate(resource)


def test_the_schema_check_rejects_what_r4_forbids_even_inside_a_bundle() -> None:
    patient = {"resourceType": "Patient", "id": "a+b", "gender": "x", "colour": "blue"}
    errors = schema_errors(patient)
    assert len(errors) == 3
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": patient}]}
    assert schema_errors(bundle)
