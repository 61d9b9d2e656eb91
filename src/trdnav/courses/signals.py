"""Signals other apps listen to.

``course_ended`` is sent (inside the ending transaction, after the course is saved) by
``trdnav.courses.services.end_course`` with ``sender=Course``, ``course`` (the saved course,
status ``completed`` or ``stopped``) and ``by`` (the ``Actor``). A receiver that raises rolls
the ending back, so a course is never ended without what its receivers store with it.
"""

from __future__ import annotations

from django.dispatch import Signal

course_ended = Signal()
