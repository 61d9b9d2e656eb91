"""The history API's ETag and If-Match: a stale PUT gets 412 naming the current revision and
stores nothing; a PUT without If-Match is accepted (docs/history-schema.md)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from tests.personas import PERSONAS
from trdnav.accounts.models import User
from trdnav.clinical.models import ClinicalProfile
from trdnav.history import document as hd
from trdnav.history.models import HistorySnapshot
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db

BEN = PERSONAS["ben"]


def _url(patient: Patient) -> str:
    return f"/api/v1/patients/{patient.pk}/history"


def _tag(doc: Any) -> str:
    return f'"{hd.revision(doc)}"'


def _put(client: Client, patient: Patient, doc: Any, **headers: str) -> Any:
    return client.put(_url(patient), doc, content_type="application/json", headers=headers)


def _changed(note: str) -> dict[str, Any]:
    doc = copy.deepcopy(BEN.history)
    doc["treatments"][0]["notes"] = note
    return doc


def _stored(patient: Patient) -> Any:
    found = ClinicalProfile.objects.filter(patient=patient).first()
    return None if found is None else found.history


def test_get_and_put_answer_with_the_revision_as_a_strong_etag(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    assert client.get(_url(patient))["ETag"] == _tag(None)
    put = _put(client, patient, BEN.history, **{"If-Match": _tag(None)})
    assert put.status_code == 200
    assert put["ETag"] == _tag(BEN.history)
    assert client.get(_url(patient))["ETag"] == _tag(BEN.history)


def test_a_put_from_the_current_etag_replaces_the_document(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    _put(client, patient, BEN.history)
    etag = client.get(_url(patient))["ETag"]
    put = _put(client, patient, _changed("mine"), **{"If-Match": etag})
    assert put.status_code == 200
    assert _stored(patient) == _changed("mine")


def test_a_put_from_an_older_etag_gets_412_naming_the_current_revision_and_stores_nothing(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    _put(client, patient, BEN.history)
    old = client.get(_url(patient))["ETag"]
    assert _put(client, patient, _changed("theirs"), **{"If-Match": old}).status_code == 200
    snapshots = HistorySnapshot.objects.count()
    stale = _put(client, patient, _changed("mine"), **{"If-Match": old})
    assert stale.status_code == 412
    body = stale.json()
    assert body["current_revision"] == hd.revision(_changed("theirs"))
    assert "changed" in body["detail"]
    assert stale["ETag"] == _tag(_changed("theirs"))
    assert _stored(patient) == _changed("theirs")
    assert HistorySnapshot.objects.count() == snapshots


@pytest.mark.parametrize(
    "header", ['W/"{rev}"', "{rev}", '"0123456789abcdef"'], ids=["weak", "unquoted", "other"]
)
def test_a_weak_unquoted_or_other_tag_never_matches(
    client: Client, clinician: User, patient: Patient, header: str
) -> None:
    client.force_login(clinician)
    _put(client, patient, BEN.history)
    sent = header.format(rev=hd.revision(BEN.history))
    response = _put(client, patient, _changed("mine"), **{"If-Match": sent})
    assert response.status_code == 412
    assert _stored(patient) == BEN.history


def test_a_list_of_tags_matches_when_one_is_current_and_a_star_matches_any(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    _put(client, patient, BEN.history)
    listed = f'"0123456789abcdef", {_tag(BEN.history)}'
    assert _put(client, patient, _changed("a"), **{"If-Match": listed}).status_code == 200
    assert _put(client, patient, _changed("b"), **{"If-Match": "*"}).status_code == 200
    assert _stored(patient) == _changed("b")


def test_an_empty_if_match_is_refused_as_bad_input(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = _put(client, patient, BEN.history, **{"If-Match": " , "})
    assert response.status_code == 400
    assert "If-Match" in response.json()["detail"]
    assert _stored(patient) is None


def test_a_put_without_if_match_is_still_accepted(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    _put(client, patient, BEN.history)
    response = _put(client, patient, _changed("last write"))
    assert response.status_code == 200
    assert _stored(patient) == _changed("last write")
