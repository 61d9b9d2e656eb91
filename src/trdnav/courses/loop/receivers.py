"""The loop's receivers: a planned course schedules its measures; a signed session stores the
course's outcome; an ended course stops its schedules, stores its final outcome and is written
to the treatment history. Both run inside the
transaction that planned or ended the course, so neither is ever half done."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.utils import timezone

from trdnav.audit.services import Actor
from trdnav.courses.loop.history import write_to_history
from trdnav.courses.loop.measures import schedule_course_measures, stop_course_measures
from trdnav.courses.loop.outcome import refresh_course_outcome
from trdnav.courses.models import Course, TreatmentSession
from trdnav.courses.signals import course_ended


def on_course_planned(sender: Any, *, instance: Course, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        by = Actor(user=instance.created_by, clinic=instance.patient.clinic, via="system")
        schedule_course_measures(course=instance, by=by)


def on_session_saved(
    sender: Any, *, instance: TreatmentSession, created: bool, **kwargs: Any
) -> None:
    """A signed session may pass a checkpoint: store the course's outcome as of its day."""
    if kwargs.get("raw") or not instance.is_signed:
        return
    course = instance.course
    signed = instance.signed_at or timezone.now()
    by = Actor(user=instance.signed_by, clinic=course.patient.clinic, via="system")
    refresh_course_outcome(course=course, as_of=timezone.localdate(signed), by=by)


def on_course_ended(sender: Any, *, course: Course, by: Actor, **kwargs: Any) -> None:
    stop_course_measures(course=course, by=by)
    write_to_history(course=course, by=by)


def connect() -> None:
    post_save.connect(on_course_planned, sender=Course, dispatch_uid="courses-loop-planned")
    post_save.connect(
        on_session_saved, sender=TreatmentSession, dispatch_uid="courses-loop-session"
    )
    course_ended.connect(on_course_ended, dispatch_uid="courses-loop-ended")
