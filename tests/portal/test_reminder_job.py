"""The reminders as a background job: the worker's daily ``send_reminders`` job sends what
``trdnav send-reminders`` would, reports progress, and a second run sends nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.portal.conftest import SCHEDULE_START
from trdnav.jobs.models import Job, Status
from trdnav.jobs.runner import enqueue, run_next
from trdnav.portal.models import QuestionnaireSchedule

pytestmark = pytest.mark.django_db


def test_the_reminder_job_sends_the_days_reminders_once(
    weekly_phq9: QuestionnaireSchedule,
) -> None:
    day = SCHEDULE_START.isoformat()
    first = enqueue("send_reminders", {"as_of": day})
    assert run_next("w")
    first.refresh_from_db()
    assert first.status == Status.DONE
    assert first.result == {"as_of": day, "reminders": 1, "emails": 1}
    assert (first.progress_done, first.progress_total) == (1, 1)
    enqueue("send_reminders", {"as_of": day})
    run_next("w")
    assert len(mail.outbox) == 1
    assert Job.objects.filter(result__reminders=0).count() == 1


def test_without_a_day_the_job_reminds_for_today(weekly_phq9: QuestionnaireSchedule) -> None:
    job = enqueue("send_reminders")
    run_next("w")
    job.refresh_from_db()
    assert job.status == Status.DONE and "as_of" in job.result
