from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from trdnav.accounts.models import User
from trdnav.audit import guard
from trdnav.audit.models import Action, AppendOnlyError, AuditEvent
from trdnav.audit.services import Actor, actor_from_request, record_event


@pytest.fixture
def event(clinician: User) -> AuditEvent:
    return record_event(
        by=Actor(user=clinician), action=Action.VIEW, object_type="patient", object_id=7
    )


def test_an_event_cannot_be_saved_again_after_a_change(event: AuditEvent) -> None:
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_an_event_cannot_be_deleted_through_the_model(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_and_delete_through_the_queryset_are_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


def test_the_database_refuses_a_raw_update(event: AuditEvent) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET summary = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


def test_the_database_refuses_a_raw_delete_while_the_guard_is_armed(event: AuditEvent) -> None:
    guard.set_delete_guard(connection, enforced=True)  # rolled back with the test
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_event_records_who_where_and_from_which_client(clinician: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Browser/1.0")
    request.user = clinician
    event = record_event(
        by=actor_from_request(request),
        action=Action.UPDATE,
        object_type="patient",
        object_id=5,
        patient_id=5,
        summary="changed: email",
    )
    event.refresh_from_db()
    assert (event.actor_id, event.actor_username) == (clinician.pk, "dr-north")
    assert event.clinic_id == clinician.membership.clinic_id
    assert (event.ip_address, event.user_agent, event.via) == ("10.1.2.3", "Browser/1.0", "page")
    assert (event.patient_id, event.object_id, event.summary) == (5, "5", "changed: email")


def test_a_long_summary_is_cut_to_the_column_length(clinician: User) -> None:
    event = record_event(by=Actor(user=clinician), action=Action.VIEW, summary="x" * 500)
    assert len(event.summary) == 200
