"""``trdnav send-reminders``: one reminder per schedule and due date, however often it runs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from typer.testing import CliRunner

from tests.portal.conftest import SCHEDULE_START
from trdnav.accounts.models import User
from trdnav.cli import app
from trdnav.patients.models import Patient
from trdnav.portal.models import QuestionnaireSchedule, SentReminder
from trdnav.portal.services.reminders import send_reminders

pytestmark = pytest.mark.django_db


def test_a_due_schedule_gets_one_reminder_and_a_second_run_sends_nothing(
    weekly_phq9: QuestionnaireSchedule,
) -> None:
    first = send_reminders(as_of=SCHEDULE_START)
    second = send_reminders(as_of=SCHEDULE_START)
    assert (first.reminders, first.emails) == (1, 1)
    assert (second.reminders, second.emails) == (0, 0)
    assert len(mail.outbox) == 1
    assert SentReminder.objects.get().due_on == SCHEDULE_START


def test_the_next_due_date_gets_its_own_reminder(weekly_phq9: QuestionnaireSchedule) -> None:
    send_reminders(as_of=SCHEDULE_START)
    send_reminders(as_of=SCHEDULE_START + timedelta(days=3))  # same occurrence, now overdue
    send_reminders(as_of=SCHEDULE_START + timedelta(days=7))
    assert [r.due_on for r in SentReminder.objects.order_by("due_on")] == [
        SCHEDULE_START,
        SCHEDULE_START + timedelta(days=7),
    ]
    assert len(mail.outbox) == 2


def test_nothing_is_sent_before_the_first_due_date_or_without_an_address(
    weekly_phq9: QuestionnaireSchedule, portal_user: User, patient: Patient
) -> None:
    assert send_reminders(as_of=SCHEDULE_START - timedelta(days=1)).reminders == 0
    portal_user.email = ""
    portal_user.save(update_fields=["email"])
    assert send_reminders(as_of=SCHEDULE_START).reminders == 0
    assert mail.outbox == []


def test_stopped_schedules_and_patients_without_a_login_get_nothing(
    weekly_phq9: QuestionnaireSchedule, patient: Patient
) -> None:
    weekly_phq9.active = False
    weekly_phq9.save()
    assert send_reminders(as_of=SCHEDULE_START).reminders == 0


def test_two_due_schedules_of_one_patient_share_one_email(
    weekly_phq9: QuestionnaireSchedule, patient: Patient
) -> None:
    QuestionnaireSchedule.objects.create(
        patient=patient, instrument="gad7", every_days=28, start=SCHEDULE_START
    )
    run = send_reminders(as_of=SCHEDULE_START)
    assert (run.reminders, run.emails) == (2, 1)
    assert "2 questionnaires" in mail.outbox[0].body


def test_a_failed_send_records_nothing_so_the_next_run_retries(
    weekly_phq9: QuestionnaireSchedule, settings: object
) -> None:
    settings.EMAIL_BACKEND = "tests.portal.failing_mail.Backend"  # type: ignore[attr-defined]
    with pytest.raises(ConnectionError):
        send_reminders(as_of=SCHEDULE_START)
    assert not SentReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    assert send_reminders(as_of=SCHEDULE_START).reminders == 1


def test_the_command_prints_how_many_it_sent_and_is_idempotent_under_a_frozen_clock(
    weekly_phq9: QuestionnaireSchedule,
) -> None:
    runner = CliRunner()
    frozen = datetime(2025, 3, 4, 9, 0, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(frozen, tick=False):
        first = runner.invoke(app, ["send-reminders"])
        second = runner.invoke(app, ["send-reminders"])
    assert first.exit_code == 0, first.output
    assert "Sent 1 reminder(s) in 1 e-mail(s)." in first.output
    assert "Sent 0 reminder(s) in 0 e-mail(s)." in second.output
    assert SentReminder.objects.get().due_on == date(2025, 3, 3)


def test_the_command_takes_as_of_and_refuses_a_bad_date(weekly_phq9: QuestionnaireSchedule) -> None:
    runner = CliRunner()
    early = runner.invoke(app, ["send-reminders", "--as-of", "2025-03-02"])
    assert "Sent 0 reminder(s)" in early.output
    bad = runner.invoke(app, ["send-reminders", "--as-of", "March"])
    assert bad.exit_code == 2
    assert "YYYY-MM-DD" in bad.output
