"""Optimistic concurrency in ``save_history``: the expected revision is compared under a row lock,
so a stale change is refused (``StaleRevision``) and of two saves from one revision exactly one
is stored. Runs on SQLite and on PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import OperationalError, close_old_connections, connection

from tests.factories import make_clinic, make_member, make_patient
from tests.personas import PERSONAS
from trdnav.accounts.models import Role, User
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.history import document as hd
from trdnav.history.models import HistorySnapshot
from trdnav.history.services import StaleRevision, save_history
from trdnav.patients.models import Patient

CARLA = PERSONAS["carla"]


def _carla(notes: str | None = None) -> dict[str, Any]:
    doc = copy.deepcopy(CARLA.history)
    if notes is not None:
        doc["treatments"][0]["notes"] = notes
    return doc


def _save(patient: Patient, user: User, doc: Any, expected: str | Sequence[str] | None) -> None:
    save_history(
        patient=patient,
        history=doc,
        by=Actor(user=user),
        as_of=CARLA.as_of,
        expected_revision=expected,
    )


def _counts(patient: Patient) -> tuple[int, int]:
    events = AuditEvent.objects.filter(object_type="treatment_history", action="update")
    return events.count(), HistorySnapshot.objects.filter(patient=patient).count()


@pytest.mark.django_db
def test_a_save_from_the_stored_revision_is_stored(clinician: User, patient: Patient) -> None:
    _save(patient, clinician, _carla(), expected=hd.revision(None))
    _save(patient, clinician, _carla("second"), expected=hd.revision(_carla()))
    assert ClinicalProfile.objects.get(patient=patient).history == _carla("second")
    assert _counts(patient) == (2, 2)


@pytest.mark.django_db
def test_a_save_from_an_older_revision_is_refused_and_stores_nothing(
    clinician: User, patient: Patient
) -> None:
    _save(patient, clinician, _carla(), expected=None)
    before = _counts(patient)
    with pytest.raises(StaleRevision) as stale:
        _save(patient, clinician, _carla("mine"), expected=hd.revision(None))
    assert stale.value.current == hd.revision(_carla())
    assert ClinicalProfile.objects.get(patient=patient).history == _carla()
    assert _counts(patient) == before


@pytest.mark.django_db
def test_a_stale_first_save_creates_no_profile(clinician: User, patient: Patient) -> None:
    with pytest.raises(StaleRevision):
        _save(patient, clinician, _carla(), expected="0123456789abcdef")
    assert not ClinicalProfile.objects.filter(patient=patient).exists()
    assert _counts(patient) == (0, 0)


@pytest.mark.django_db
def test_the_revision_is_checked_before_the_document(clinician: User, patient: Patient) -> None:
    _save(patient, clinician, _carla(), expected=None)
    broken = _carla()
    broken["treatments"][0]["start"] = "not a date"
    with pytest.raises(StaleRevision):
        _save(patient, clinician, broken, expected=hd.revision(None))


@pytest.mark.django_db
def test_any_of_several_accepted_revisions_matches(clinician: User, patient: Patient) -> None:
    _save(patient, clinician, _carla(), expected=None)
    _save(patient, clinician, None, expected=("0123456789abcdef", hd.revision(_carla())))
    assert ClinicalProfile.objects.get(patient=patient).history is None


def _race(patient: Patient, user: User, expected: str, docs: list[Any]) -> list[str]:
    """Save each document from its own thread at once, all from ``expected``."""
    outcomes: list[str] = []
    start = threading.Barrier(len(docs))

    def work(doc: Any) -> None:
        try:
            start.wait()
            for attempt in range(400):
                try:
                    _save(patient, user, doc, expected)
                    outcomes.append("stored")
                    return
                except StaleRevision:
                    outcomes.append("stale")
                    return
                except OperationalError:
                    # SQLite's shared in-memory test database reports a locked table at once
                    # instead of waiting (PostgreSQL waits for the row lock); try again.
                    time.sleep(0.005 * (attempt % 10 + 1))
            outcomes.append("gave up")
        except BaseException as error:  # pragma: no cover - reported by the assertion
            outcomes.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=work, args=(doc,)) for doc in docs]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True], ids=["first history", "stored history"])
def test_of_two_concurrent_saves_from_one_revision_exactly_one_wins(existing: bool) -> None:
    clinic = make_clinic("racing")
    user = make_member(clinic, Role.CLINICIAN, "dr-racing")
    patient = make_patient(clinic, "R-001")
    start = None
    if existing:
        start = _carla()
        _save(patient, user, start, expected=None)
    mine, theirs = _carla("mine"), _carla("theirs")
    outcomes = _race(patient, user, hd.revision(start), [mine, theirs])
    assert outcomes == ["stale", "stored"]
    stored = ClinicalProfile.objects.get(patient=patient).history
    assert stored in (mine, theirs)
    saves = 1 + int(existing)
    assert _counts(patient) == (saves, saves)
