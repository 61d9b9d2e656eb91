"""Two nurses signing the same session at once: the session row is locked, so exactly one
signature is stored and the other is told the session is already signed. Two tablets sending
the same form at once store one session. Runs on SQLite and on PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from functools import partial

import pytest
from django.db import OperationalError, close_old_connections, connection

from tests.courses.helpers import GOOD, actor, course_for, draft
from tests.factories import make_clinic, make_member, make_patient
from trdnav.accounts.models import Role
from trdnav.audit.models import AuditEvent
from trdnav.courses.errors import SessionAlreadySigned
from trdnav.courses.models import RemsReport, TreatmentSession
from trdnav.courses.services import record_session, sign_session


def _race(jobs: Sequence[Callable[[], object]]) -> list[str]:
    outcomes: list[str] = []
    start = threading.Barrier(len(jobs))

    def work(job: Callable[[], object]) -> None:
        try:
            start.wait()
            for attempt in range(400):
                try:
                    job()
                    outcomes.append("stored")
                    return
                except SessionAlreadySigned:
                    outcomes.append("already signed")
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

    pool = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_signatures_exactly_one_is_stored() -> None:
    clinic = make_clinic("racing")
    doctor = make_member(clinic, Role.CLINICIAN, "dr-racing")
    nurses = [make_member(clinic, Role.STAFF, f"nurse-{n}") for n in (1, 2)]
    session = draft(course_for(make_patient(clinic, "R-001"), doctor), nurses[0])
    jobs = [partial(sign_session, session=session, by=actor(n)) for n in nurses]
    assert _race(jobs) == ["already signed", "stored"]
    stored = TreatmentSession.objects.get()
    assert stored.state == "signed" and stored.signed_by in nurses
    assert AuditEvent.objects.filter(summary="session 1 signed").count() == 1
    assert RemsReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_stores_one_session() -> None:
    clinic = make_clinic("racing")
    doctor = make_member(clinic, Role.CLINICIAN, "dr-racing")
    course = course_for(make_patient(clinic, "R-001"), doctor)

    def send() -> object:
        return record_session(course=course, values=GOOD, by=actor(doctor), idempotency_key="k")

    assert _race([send, send]) == ["stored", "stored"]
    assert TreatmentSession.objects.count() == 1
